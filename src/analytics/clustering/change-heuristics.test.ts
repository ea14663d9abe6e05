import { afterEach, describe, expect, it } from 'vitest';
import type { AddressId } from '../../model/address.js';
import type { Transaction } from '../../model/transaction.js';
import type { GraphStore } from '../../store/graph-store.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import { addr, coinbase, spend, tid, tinyGraph, type TinyGraph } from '../../../test/fixtures/tiny-graph.js';
import { addressKind, changeEvidenceFor, detectChangeOutputs } from './change-heuristics.js';

const open: GraphStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function evidenceOf(g: TinyGraph, name: string) {
  const store = await openEmbeddedStore({ dir: ':memory:' });
  open.push(store);
  for (const b of g.blocks()) await store.writeBlock(b);
  const tx = g.txs.get(name)!;
  const stored = (await store.getTransactions([tx.id])).get(tx.id)!;
  return (await detectChangeOutputs(store, { transactions: [stored] })).get(tx.id);
}

describe('change heuristics on a store', () => {
  it('finds one-time change: same type, not round, below the smallest input, fresh', async () => {
    const g = tinyGraph('btc');
    g.tx('c1', { height: 1, inputs: [coinbase()], outputs: [['S1', 600_000n]] });
    g.tx('c2', { height: 1, inputs: [coinbase()], outputs: [['S2', 600_000n]] });
    // 700,000 is round (and above both inputs); 495,500 is the one candidate.
    g.tx('t1', { height: 2, inputs: [spend('c1', 0), spend('c2', 0)], outputs: [['Pay', 700_000n], ['Chg', 495_500n]] });
    expect(await evidenceOf(g, 't1')).toMatchObject([{ txId: tid('t1'), outputIndex: 1, address: addr('Chg'), heuristic: 'one-time-change', confidence: 50 }]);
  });

  it('gives no one-time change when the candidate address was seen before', async () => {
    const g = tinyGraph('btc');
    g.tx('c0', { height: 1, inputs: [coinbase()], outputs: [['Old', 1_000n]] });
    g.tx('c1', { height: 1, inputs: [coinbase()], outputs: [['S', 600_000n]] });
    g.tx('t1', { height: 2, inputs: [spend('c1', 0)], outputs: [['Pay', 300_000n], ['Old', 295_123n]] });
    expect(await evidenceOf(g, 't1')).toEqual([]);
  });

  it('gives no one-time change when two outputs qualify', async () => {
    const g = tinyGraph('btc');
    g.tx('c1', { height: 1, inputs: [coinbase()], outputs: [['S', 1_000_000n]] });
    g.tx('t1', { height: 2, inputs: [spend('c1', 0)], outputs: [['X', 300_123n], ['Y', 600_456n]] });
    expect(await evidenceOf(g, 't1')).toEqual([]);
  });

  it('finds direct change back to an input address, without merging anything', async () => {
    const g = tinyGraph('btc');
    g.tx('c1', { height: 1, inputs: [coinbase()], outputs: [['U', 1_000_000n]] });
    g.tx('t1', { height: 2, inputs: [spend('c1', 0)], outputs: [['Pay', 400_000n], ['U', 599_000n]] });
    expect(await evidenceOf(g, 't1')).toMatchObject([{ outputIndex: 1, address: addr('U'), heuristic: 'direct-change', confidence: 100 }]);
  });

  it('gives no evidence for a CoinJoin or a coinbase', async () => {
    const g = tinyGraph('btc');
    for (const p of ['P1', 'P2', 'P3']) g.tx(`c${p}`, { height: 1, inputs: [coinbase()], outputs: [[p, 1_000_000n]] });
    g.tx('mix', {
      height: 2,
      inputs: [spend('cP1', 0), spend('cP2', 0), spend('cP3', 0)],
      outputs: [['O1', 500_000n], ['O2', 500_000n], ['O3', 500_000n], ['K1', 490_123n], ['P1', 480_000n]],
    });
    expect(await evidenceOf(g, 'mix')).toEqual([]);
    expect(await evidenceOf(g, 'cP1')).toEqual([]);
  });
});

describe('changeEvidenceFor (pure)', () => {
  const P2PKH = 'btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyX';
  const fresh = { isFresh: () => true };
  const base = (outputs: [AddressId, bigint][], inputs: [AddressId, bigint][] = [[addr('in'), 1_000_000n]]): Transaction => ({
    id: tid('pure'),
    chain: 'btc',
    hash: tid('pure').slice(4),
    blockHash: '00',
    height: 5,
    time: 0,
    position: 1,
    coinbase: false,
    status: 'ok',
    fee: null,
    inputs: inputs.map(([address, value], index) => ({ index, address, value, asset: 'BTC' })),
    outputs: outputs.map(([address, value], index) => ({ index, address, value, asset: 'BTC', scriptType: 'p2wpkh' })),
  });

  it('needs the candidate to have the inputs\' address type', () => {
    expect(changeEvidenceFor(base([[addr('pay'), 500_000n], [P2PKH, 123_456n]]), fresh)).toEqual([]);
    expect(changeEvidenceFor(base([[addr('pay'), 500_000n], [addr('chg'), 123_456n]]), fresh)).toHaveLength(1);
  });

  it('needs the candidate to be below the smallest input and not a multiple of 1,000', () => {
    // 1,000,001 is not below the input 1,000,000; 123,000 is round.
    expect(changeEvidenceFor(base([[addr('pay'), 500_000n], [addr('chg'), 1_000_001n]]), fresh)).toEqual([]);
    expect(changeEvidenceFor(base([[addr('pay'), 500_000n], [addr('chg'), 123_000n]]), fresh)).toEqual([]);
  });

  it('looks at no more than 10 outputs', () => {
    const ten: [AddressId, bigint][] = Array.from({ length: 9 }, (_, i) => [addr(`p${i}`), 10_000n] as [AddressId, bigint]);
    expect(changeEvidenceFor(base([...ten, [addr('chg'), 1_234n]]), fresh)).toHaveLength(1);
    expect(changeEvidenceFor(base([...ten, [addr('p9'), 10_000n], [addr('chg'), 1_234n]]), fresh)).toEqual([]);
  });

  it('reports multi-input change when an output is already in an input\'s cluster', () => {
    const clusterOf = (a: AddressId) => (a === addr('in') || a === addr('old-chg') ? 'k1' : null);
    const ev = changeEvidenceFor(base([[addr('pay'), 500_000n], [addr('old-chg'), 400_000n]]), { isFresh: () => false, clusterOf });
    expect(ev).toMatchObject([{ outputIndex: 1, heuristic: 'multi-input-change', confidence: 50 }]);
  });

  it('reads the address type from the encoding', () => {
    expect(addressKind(P2PKH)).toBe('p2pkh');
    expect(addressKind('btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')).toBe('p2sh');
    expect(addressKind(addr('x'))).toBe('p2wpkh');
    expect(addressKind('btc:bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3')).toBe('p2wsh');
    expect(addressKind('btc:bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr')).toBe('p2tr');
  });
});

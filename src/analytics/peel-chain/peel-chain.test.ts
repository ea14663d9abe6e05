import { afterEach, describe, expect, it } from 'vitest';
import { isAriadneError } from '../../errors.js';
import type { Transaction } from '../../model/transaction.js';
import type { GraphReader, GraphStore } from '../../store/graph-store.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import { addr, coinbase, spend, tid, tinyGraph, type TinyGraph } from '../../../test/fixtures/tiny-graph.js';
import { detectPeelChains } from './detect-peel-chains.js';
import { classifyPeelHop, peelOptions } from './peel-hop.js';
import { scanPeelChains } from './scan-peel-chains.js';

const open: GraphStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function storeWith(g: TinyGraph): Promise<GraphStore> {
  const store = await openEmbeddedStore({ dir: ':memory:' });
  open.push(store);
  for (const b of g.blocks()) await store.writeBlock(b);
  return store;
}

/** Wraps a store and counts the batched reads, to check there is one read per hop and not one per tx. */
function recording(store: GraphStore) {
  const calls = { getTransactions: 0, getFlows: 0 };
  const reader = new Proxy(store, {
    get(target, prop) {
      if (prop === 'getTransactions' || prop === 'getFlows') calls[prop]++;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as GraphReader;
  return { reader, calls };
}

/**
 * S receives 10,000,000 sat; six hops each peel 500,000 sat and pay 10,000 sat fee:
 * change after hop k = 10,000,000 - k * 510,000. Hop 2 lists its change first.
 * `changeName(k)` names hop k's change address (fresh: C1..C6; reused: all S).
 */
function sixHops(changeName: (k: number) => string, prefix = '', start = 1): TinyGraph {
  const g = tinyGraph('btc');
  addSixHops(g, changeName, prefix, start);
  return g;
}

function addSixHops(g: TinyGraph, changeName: (k: number) => string, prefix: string, start: number, hops = 6): void {
  g.tx(`${prefix}c0`, { height: start, inputs: [coinbase()], outputs: [[`${prefix}S`, 10_000_000n]] });
  let prev = `${prefix}c0`;
  let vout = 0;
  let value = 10_000_000n;
  for (let k = 1; k <= hops; k++) {
    value -= 510_000n;
    const change: [string, bigint] = [changeName(k), value];
    const peel: [string, bigint] = [`${prefix}P${k}`, 500_000n];
    g.tx(`${prefix}hop${k}`, { height: start + k, inputs: [spend(prev, vout)], outputs: k === 2 ? [change, peel] : [peel, change] });
    prev = `${prefix}hop${k}`;
    vout = k === 2 ? 0 : 1;
  }
}

// Hand-computed: peel 500,000 over (peel + change) for change 9,490,000 ... 6,940,000, floor, in ppm.
const RATIOS = [50_050, 52_742, 55_741, 59_101, 62_893, 67_204];
const CHANGES = [9_490_000n, 8_980_000n, 8_470_000n, 7_960_000n, 7_450_000n, 6_940_000n];

describe('detectPeelChains', () => {
  it('follows a 6-hop peel chain with a fresh change address each hop', async () => {
    const store = await storeWith(sixHops((k) => `C${k}`));
    const { reader, calls } = recording(store);
    const r = await detectPeelChains(reader, { txId: tid('hop1') });
    expect(r.chains).toHaveLength(1);
    const [chain] = r.chains;
    expect(chain).toMatchObject({
      startTxId: tid('hop1'),
      length: 6,
      totalPeeled: 3_000_000n,
      startValue: 9_990_000n,
      endValue: 6_940_000n,
      changeAddressReused: false,
      end: 'unspent',
      truncated: false,
    });
    expect(chain!.hops.map((h) => h.txId)).toEqual([1, 2, 3, 4, 5, 6].map((k) => tid(`hop${k}`)));
    expect(chain!.hops.map((h) => h.changeAddress)).toEqual([1, 2, 3, 4, 5, 6].map((k) => addr(`C${k}`)));
    expect(chain!.hops.map((h) => h.peelAddress)).toEqual([1, 2, 3, 4, 5, 6].map((k) => addr(`P${k}`)));
    expect(chain!.hops.map((h) => h.changeValue)).toEqual(CHANGES);
    expect(chain!.hops.map((h) => h.peelRatioPpm)).toEqual(RATIOS);
    expect(chain!.hops.map((h) => h.changeIndex)).toEqual([1, 0, 1, 1, 1, 1]);
    expect(chain!.hops.every((h) => h.peelValue === 500_000n && h.fee === 10_000n && h.inputCount === 1)).toBe(true);
    // One batched read per hop: the start, then hops 2..6 (the step after hop 6 finds no spender and reads
    // no transaction); one getFlows per step after each of the 6 hops.
    expect(calls).toEqual({ getTransactions: 6, getFlows: 6 });
  });

  it('follows the same chain when the change returns to the same address every hop', async () => {
    const store = await storeWith(sixHops(() => 'S'));
    // From the address: S pays into all six hops, but only one chain (no tails) is reported.
    const r = await detectPeelChains(store, { address: addr('S') });
    expect(r.chains).toHaveLength(1);
    expect(r.chains[0]).toMatchObject({ startTxId: tid('hop1'), length: 6, totalPeeled: 3_000_000n, changeAddressReused: true, end: 'unspent' });
    expect(r.chains[0]!.hops.map((h) => h.peelRatioPpm)).toEqual(RATIOS);
    expect(new Set(r.chains[0]!.hops.map((h) => h.changeAddress))).toEqual(new Set([addr('S')]));
  });

  it('starts mid-chain, or walks back to the first hop with extendBackward', async () => {
    const store = await storeWith(sixHops((k) => `C${k}`));
    const mid = await detectPeelChains(store, { txId: tid('hop3') });
    expect(mid.chains[0]).toMatchObject({ startTxId: tid('hop3'), length: 4 });
    const whole = await detectPeelChains(store, { txId: tid('hop3') }, { extendBackward: true });
    expect(whole.chains[0]).toMatchObject({ startTxId: tid('hop1'), length: 6 });
  });

  it('stops a chain at a transaction with three outputs', async () => {
    const g = tinyGraph('btc');
    addSixHops(g, (k) => `C${k}`, '', 1, 3);
    // hop3's change (8,470,000 at C3, vout 1) is spent by a 3-output transaction, then two more hops.
    g.tx('three', { height: 5, inputs: [spend('hop3', 1)], outputs: [['X1', 500_000n], ['X2', 500_000n], ['X3', 7_460_000n]] });
    g.tx('hop5', { height: 6, inputs: [spend('three', 2)], outputs: [['P5', 500_000n], ['C5', 6_950_000n]] });
    g.tx('hop6', { height: 7, inputs: [spend('hop5', 1)], outputs: [['P6', 500_000n], ['C6', 6_440_000n]] });
    const store = await storeWith(g);
    const r = await detectPeelChains(store, { txId: tid('hop1') });
    expect(r.chains).toHaveLength(1);
    expect(r.chains[0]).toMatchObject({ length: 3, end: 'not-a-hop', endTxId: tid('three'), totalPeeled: 1_500_000n, truncated: false });
    // After the break, hop5-hop6 is a chain of 2: below the default minLength 3.
    expect((await detectPeelChains(store, { txId: tid('hop5') })).chains).toEqual([]);
    expect((await detectPeelChains(store, { txId: tid('hop5') }, { minLength: 2 })).chains[0]).toMatchObject({ length: 2, totalPeeled: 1_000_000n });
    const not = await detectPeelChains(store, { txId: tid('three') });
    expect(not.chains).toEqual([]);
    expect(not.note).toContain('3 outputs; a hop has exactly 2');
  });

  it('ends a chain at a hop whose peel ratio leaves the band', async () => {
    const g = tinyGraph('btc');
    addSixHops(g, (k) => `C${k}`, '', 1, 3);
    // hop3's change is 8,470,000 (vout 1). Outputs 1,694,000 + 6,776,000 = 8,470,000: ratio exactly 20%.
    g.tx('edge', { height: 5, inputs: [spend('hop3', 1)], outputs: [['E1', 1_694_000n], ['E2', 6_776_000n]] });
    // 1,355,201 + 5,420,799 = 6,776,000: ratio 1,355,201 / 6,776,000 = 0.2000001... > 20%.
    g.tx('over', { height: 6, inputs: [spend('edge', 1)], outputs: [['F1', 1_355_201n], ['F2', 5_420_799n]] });
    const store = await storeWith(g);
    const r = await detectPeelChains(store, { txId: tid('hop1') });
    expect(r.chains[0]).toMatchObject({ length: 4, end: 'not-a-hop', endTxId: tid('over') });
    expect(r.chains[0]!.hops[3]).toMatchObject({ txId: tid('edge'), peelRatioPpm: 200_000, peelValue: 1_694_000n });
  });

  it('cuts a chain at maxHops and marks it truncated', async () => {
    const store = await storeWith(sixHops((k) => `C${k}`));
    const r = await detectPeelChains(store, { txId: tid('hop1') }, { maxHops: 4 });
    expect(r.chains[0]).toMatchObject({ length: 4, end: 'max-hops', truncated: true });
    expect(r.truncated).toBe(true);
    // maxHops equal to the real length does not truncate.
    expect((await detectPeelChains(store, { txId: tid('hop1') }, { maxHops: 6 })).chains[0]).toMatchObject({ length: 6, truncated: false });
  });

  it('enforces the work budget: LIMIT_EXCEEDED by default, a truncated result on request', async () => {
    const store = await storeWith(sixHops((k) => `C${k}`));
    try {
      await detectPeelChains(store, { txId: tid('hop1') }, { maxTransactions: 4 });
      expect.unreachable();
    } catch (err) {
      expect(isAriadneError(err) && err.code).toBe('LIMIT_EXCEEDED');
      expect((err as Error).message).toMatch(/would pass maxTransactions 4 \(4 read so far\)/);
    }
    const r = await detectPeelChains(store, { txId: tid('hop1') }, { maxTransactions: 4, onBudget: 'truncate' });
    expect(r.truncated).toBe(true);
    expect(r.chains[0]).toMatchObject({ length: 4, end: 'budget', truncated: true });
  });

  it('refuses unknown starts and bad options', async () => {
    const store = await storeWith(sixHops((k) => `C${k}`));
    await expect(detectPeelChains(store, { txId: tid('nope') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(detectPeelChains(store, { address: addr('nobody') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(detectPeelChains(store, { txId: 'xyz' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(detectPeelChains(store, { txId: tid('hop1') }, { maxPeelRatioPpm: 500_000 })).rejects.toThrow(/maxPeelRatioPpm must be an integer between 0 and 499999, got 500000/);
    await expect(detectPeelChains(store, { txId: tid('hop1') }, { minPeelRatioPpm: 3, maxPeelRatioPpm: 2 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('classifyPeelHop: ratio band and shape', () => {
  const hop = (values: bigint[], inputs = 1): Transaction => ({
    id: tid('x'),
    chain: 'btc',
    hash: tid('x').slice(4),
    blockHash: '00',
    height: 1,
    time: 0,
    position: 1,
    coinbase: false,
    status: 'ok',
    fee: null,
    inputs: Array.from({ length: inputs }, (_, index) => ({ index, address: addr(`i${index}`), value: null, asset: 'BTC' })),
    outputs: values.map((value, index) => ({ index, address: addr(`o${index}`), value, asset: 'BTC', scriptType: 'p2wpkh' as const })),
  });
  const d = peelOptions();

  it('includes the upper bound exactly and refuses one satoshi more', () => {
    expect(classifyPeelHop(hop([200_000n, 800_000n]), d)).toMatchObject({ peelIndex: 0, changeIndex: 1, peelRatioPpm: 200_000 });
    expect(classifyPeelHop(hop([200_001n, 799_999n]), d)).toBeNull();
  });

  it('includes the lower bound exactly and refuses one satoshi less', () => {
    const o = peelOptions({ minPeelRatioPpm: 100_000 });
    expect(classifyPeelHop(hop([900_000n, 100_000n]), o)).toMatchObject({ peelIndex: 1, changeIndex: 0, peelRatioPpm: 100_000 });
    expect(classifyPeelHop(hop([900_001n, 99_999n]), o)).toBeNull();
  });

  it('refuses equal outputs, other output counts, and more inputs than maxInputs', () => {
    expect(classifyPeelHop(hop([5n, 5n]), d)).toBeNull();
    expect(classifyPeelHop(hop([1n, 10n, 100n]), d)).toBeNull();
    expect(classifyPeelHop(hop([1n, 10n], 2), d)).toBeNull();
    expect(classifyPeelHop(hop([1n, 10n], 2), peelOptions({ maxInputs: 2 }))).not.toBeNull();
  });
});

/**
 * Two chains and noise in one store:
 * - chain A: 4 hops at heights 2-5, fresh change addresses (prefix a);
 * - chain B: 3 hops at heights 3-5, change back to bS every hop (prefix b);
 * - aP1 (chain A's first peel) is itself spent by a 2-hop chain;
 * - noise: a 2-input 2-output transaction, a lone hop-shaped transaction, a 3-output transaction.
 */
function scanGraph(): TinyGraph {
  const g = tinyGraph('btc');
  addSixHops(g, (k) => `aC${k}`, 'a', 1, 4);
  addSixHops(g, () => 'bS', 'b', 2, 3);
  g.tx('r1', { height: 4, inputs: [spend('ahop1', 0)], outputs: [['rP1', 50_000n], ['rC1', 440_000n]] });
  g.tx('r2', { height: 5, inputs: [spend('r1', 1)], outputs: [['rP2', 40_000n], ['rC2', 390_000n]] });
  g.tx('nc1', { height: 1, inputs: [coinbase()], outputs: [['N1', 1_000_000n], ['N2', 1_000_000n], ['N3', 1_000_000n]] });
  g.tx('n1', { height: 3, inputs: [spend('nc1', 0), spend('nc1', 1)], outputs: [['N4', 100_000n], ['N5', 1_890_000n]] });
  g.tx('n2', { height: 3, inputs: [spend('nc1', 2)], outputs: [['N6', 100_000n], ['N7', 890_000n]] });
  g.tx('n3', { height: 4, inputs: [spend('n1', 1)], outputs: [['N8', 100_000n], ['N9', 100_000n], ['N10', 1_680_000n]] });
  return g;
}

describe('scanPeelChains', () => {
  it('reports each chain once, from its first hop, and ignores noise and short chains', async () => {
    const store = await storeWith(scanGraph());
    const { reader, calls } = recording(store);
    const r = await scanPeelChains(reader, { chain: 'btc', fromHeight: 0, toHeight: 100 });
    expect(r.chains.map((c) => [c.startTxId, c.length, c.changeAddressReused])).toEqual([
      [tid('ahop1'), 4, false],
      [tid('bhop1'), 3, true],
    ]);
    expect(r.chains[0]!.totalPeeled).toBe(2_000_000n);
    expect(r.chains[1]!.totalPeeled).toBe(1_500_000n);
    // Chains are walked in lockstep: one getFlows per step of the longest chain (A, 4 steps).
    expect(calls.getFlows).toBe(4);
    // minLength 1 adds the peel recipient's 2-hop chain and the lone hop n2, still no tails.
    const all = await scanPeelChains(store, { chain: 'btc', fromHeight: 0, toHeight: 100 }, { minLength: 1 });
    expect(all.chains.map((c) => [c.startTxId, c.length])).toEqual([
      [tid('ahop1'), 4],
      [tid('bhop1'), 3],
      [tid('n2'), 1],
      [tid('r1'), 2],
    ]);
  });

  it('leaves a chain whose first hop is before the range to the scan of that range', async () => {
    const store = await storeWith(scanGraph());
    // ahop1 is at height 2; ahop2-4 continue it, so [3, 100] reports only chain B (first hop bhop1 at 3).
    const later = await scanPeelChains(store, { chain: 'btc', fromHeight: 3, toHeight: 100 });
    expect(later.chains.map((c) => c.startTxId)).toEqual([tid('bhop1')]);
    const earlier = await scanPeelChains(store, { chain: 'btc', fromHeight: 0, toHeight: 2 });
    // Followed past toHeight: the full 4 hops.
    expect(earlier.chains.map((c) => [c.startTxId, c.length])).toEqual([[tid('ahop1'), 4]]);
  });

  it('refuses account chains and bad ranges', async () => {
    const store = await storeWith(scanGraph());
    await expect(scanPeelChains(store, { chain: 'eth', fromHeight: 0, toHeight: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(scanPeelChains(store, { chain: 'btc', fromHeight: 5, toHeight: 1 })).rejects.toThrow(/0 <= fromHeight <= toHeight, got \[5, 1\]/);
  });
});

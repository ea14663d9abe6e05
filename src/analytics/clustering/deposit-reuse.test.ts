import { afterEach, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../store/graph-store.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import { addr, tid, tinyGraph, type TinyGraph } from '../../../test/fixtures/tiny-graph.js';
import { ClusterIndex } from './cluster-index.js';
import { detectDepositReuse, isDepositPair, type NativeTransfer } from './deposit-reuse.js';

const ETH = 10n ** 18n;
const CENT = 10n ** 16n; // 0.01 ETH, the largest accepted v1 - v2

const e = (name: string) => addr(name, 'eth');

const open: GraphStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/**
 * d1 is a deposit address at the edge of both bounds: u1 -> d1 1 ETH at block 100, d1 -> x 0.99 ETH at
 * block 10,100 (v1 - v2 = 0.01 ETH exactly, b2 - b1 = 10,000 exactly); u2 also pays d1.
 * Each of d2..d6 misses one condition by the smallest step.
 */
function depositGraph(): TinyGraph {
  const g = tinyGraph('eth');
  g.transfer('u1-d1', 'u1', 'd1', ETH, 100);
  g.transfer('u2-d1', 'u2', 'd1', ETH / 2n, 200);
  g.transfer('d1-x', 'd1', 'x', ETH - CENT, 10_100);
  // v1 - v2 = 0.01 ETH + 1 wei: one wei too much kept back.
  g.transfer('u3-d2', 'u3', 'd2', ETH, 100);
  g.transfer('d2-x', 'd2', 'x', ETH - CENT - 1n, 150);
  // v2 > v1 by 1 wei: v1 - v2 = -1.
  g.transfer('u4-d3', 'u4', 'd3', ETH, 100);
  g.transfer('d3-x', 'd3', 'x', ETH + 1n, 150);
  // b2 - b1 = 10,001 blocks.
  g.transfer('u5-d4', 'u5', 'd4', ETH, 100);
  g.transfer('d4-x', 'd4', 'x', ETH - CENT, 10_101);
  // Forward one block BEFORE the inbound: b2 - b1 = -1.
  g.transfer('d5-x', 'd5', 'x', ETH, 100);
  g.transfer('u6-d5', 'u6', 'd5', ETH, 101);
  // Forward to an unlabelled address.
  g.transfer('u7-d6', 'u7', 'd6', ETH, 100);
  g.transfer('d6-y', 'd6', 'y', ETH - CENT, 101);
  return g;
}

const exchangeLabel = {
  address: e('x'),
  category: 'exchange' as const,
  label: 'Some Exchange hot wallet',
  source: 'test',
  confidence: 100,
  actor: 'some-exchange',
};

async function storeWith(g: TinyGraph, labelFirst: boolean): Promise<GraphStore> {
  const store = await openEmbeddedStore({ dir: ':memory:' });
  open.push(store);
  if (labelFirst) await store.addLabel(exchangeLabel);
  for (const b of g.blocks()) await store.writeBlock(b);
  return store;
}

describe('deposit-address reuse (Victor 2020)', () => {
  it('joins every sender of a deposit address with it, at the edge of both bounds, and no one else', async () => {
    const store = await storeWith(depositGraph(), true);
    const index = await ClusterIndex.build(store, await store.findTransactionsByHeight('eth', 0, 1_000_000));
    const id = [e('u1'), e('u2'), e('d1')].sort()[0]!;
    expect(index.clusterOf(e('u1'))).toEqual({ id, size: 3 });
    expect(index.clusterOf(e('u2'))).toEqual({ id, size: 3 });
    for (const n of ['d2', 'u3', 'd3', 'u4', 'd4', 'u5', 'd5', 'u6', 'd6', 'u7', 'x', 'y']) expect(index.clusterOf(e(n))?.size).toBe(1);
    expect(index.depositAddresses().map((d) => d.deposit)).toEqual([e('d1')]);
    const [dep] = index.depositAddresses();
    expect(dep).toMatchObject({
      exchange: e('x'),
      inbound: { txId: tid('u1-d1', 'eth'), value: ETH, height: 100 },
      forward: { txId: tid('d1-x', 'eth'), value: ETH - CENT, height: 10_100 },
    });
    const edges = index.explainCluster(id).items;
    expect(edges.map((x) => [x.heuristic, x.txId])).toEqual([
      ['deposit-reuse', tid('u1-d1', 'eth')],
      ['deposit-reuse', tid('u2-d1', 'eth')],
    ]);
    expect(edges[0]!.deposit?.forward.txId).toBe(tid('d1-x', 'eth'));
  });

  it('finds the deposit when the exchange label arrives after the blocks (follow mode)', async () => {
    const store = await openEmbeddedStore({ dir: ':memory:' });
    open.push(store);
    const index = new ClusterIndex(store);
    index.follow(store);
    for (const b of depositGraph().blocks()) await store.writeBlock(b);
    await index.idle();
    expect(index.clusterOf(e('u1'))?.size).toBe(1);
    await store.addLabel(exchangeLabel);
    await index.idle();
    expect(index.clusterOf(e('u1'))?.size).toBe(3);
    // A later transfer into the known deposit address joins its sender too.
    const later = tinyGraph('eth');
    later.transfer('u8-d1', 'u8', 'd1', 3n * ETH, 20_000);
    await store.writeBlock(later.blocks()[0]!);
    await index.idle();
    expect(index.clusterOf(e('u8'))?.size).toBe(4);
  });

  it('detectDepositReuse scans a height range and lists the links', async () => {
    const store = await storeWith(depositGraph(), true);
    const r = await detectDepositReuse(store, { chain: 'eth', fromHeight: 0, toHeight: 20_000 });
    expect(r.deposits.map((d) => d.deposit)).toEqual([e('d1')]);
    expect(r.links.map((l) => [l.sender, l.deposit])).toEqual([
      [e('u1'), e('d1')],
      [e('u2'), e('d1')],
    ]);
    expect(r.skipped).toEqual([]);
  });

  it('does not treat an exchange-labelled address as a deposit address', async () => {
    const g = tinyGraph('eth');
    g.transfer('u-hot', 'u', 'hot', ETH, 100);
    g.transfer('hot-x', 'hot', 'x', ETH - CENT, 101);
    const store = await storeWith(g, true);
    await store.addLabel({ ...exchangeLabel, address: e('hot'), label: 'hot wallet' });
    const r = await detectDepositReuse(store, { chain: 'eth', fromHeight: 0, toHeight: 1000 });
    expect(r.deposits).toEqual([]);
  });

  it('does not merge an exchange that pays into a deposit address', async () => {
    const g = tinyGraph('eth');
    g.transfer('u-d', 'u', 'd', ETH, 100);
    g.transfer('x-d', 'x', 'd', 5n, 150);
    g.transfer('d-x', 'd', 'x', ETH - CENT, 200);
    // Fed in batches of 3: this one arrives once d is a known deposit address.
    g.transfer('x-d-later', 'x', 'd', 7n, 300);
    const store = await storeWith(g, true);
    const index = await ClusterIndex.build(store, await store.findTransactionsByHeight('eth', 0, 1000), { batchSize: 3 });
    expect(index.clusterOf(e('u'))).toEqual({ id: [e('u'), e('d')].sort()[0], size: 2 });
    expect(index.clusterOf(e('x'))?.size).toBe(1);
    const r = await detectDepositReuse(store, { chain: 'eth', fromHeight: 0, toHeight: 1000 });
    expect(r.links.map((l) => l.sender)).toEqual([e('u')]);
    expect(r.skipped.map((l) => l.sender)).toEqual([e('x')]);
  });

  it('isDepositPair applies the bounds exactly', () => {
    const t = (from: string, to: string, value: bigint, height: number, position = 0): NativeTransfer => ({
      txId: tid(`${from}-${to}-${height}`, 'eth'),
      from: e(from),
      to: e(to),
      value,
      height,
      position,
    });
    expect(isDepositPair(t('u', 'd', ETH, 10), t('d', 'x', ETH, 10, 1))).toBe(true); // same block, earlier position
    expect(isDepositPair(t('u', 'd', ETH, 10, 1), t('d', 'x', ETH, 10, 0))).toBe(false); // same block, later position
    expect(isDepositPair(t('u', 'd', ETH, 10), t('d', 'x', ETH - CENT, 10_010))).toBe(true);
    expect(isDepositPair(t('u', 'd', ETH, 10), t('d', 'x', ETH - CENT - 1n, 10_010))).toBe(false);
    expect(isDepositPair(t('u', 'd', ETH, 10), t('d', 'x', ETH, 10_011))).toBe(false);
    expect(isDepositPair(t('u', 'd', ETH, 10), t('e', 'x', ETH, 11))).toBe(false); // not the same deposit address
  });
});

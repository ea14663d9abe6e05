import { afterEach, describe, expect, it } from 'vitest';
import { isAriadneError } from '../../errors.js';
import type { Category } from '../../model/label.js';
import type { GraphStore } from '../../store/graph-store.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import { addr, coinbase, spend, tinyGraph } from '../../../test/fixtures/tiny-graph.js';
import { ClusterIndex } from './cluster-index.js';
import { clusterLabels } from './cluster-labels.js';

const open: GraphStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/** Cluster {A, B, C, D} by one four-input transaction; cluster {E, F} by a two-input one. */
async function setup(labels: [string, Category, string, string | null][]) {
  const g = tinyGraph('btc');
  for (const n of ['A', 'B', 'C', 'D', 'E', 'F']) g.tx(`c${n}`, { height: 1, inputs: [coinbase()], outputs: [[n, 1_000n]] });
  g.tx('t1', { height: 2, inputs: ['A', 'B', 'C', 'D'].map((n) => spend(`c${n}`, 0)), outputs: [['Z', 3_900n]] });
  g.tx('t2', { height: 2, inputs: [spend('cE', 0), spend('cF', 0)], outputs: [['Z2', 1_900n]] });
  const store = await openEmbeddedStore({ dir: ':memory:' });
  open.push(store);
  for (const b of g.blocks()) await store.writeBlock(b);
  for (const [name, category, label, actor] of labels) {
    await store.addLabel({ address: addr(name), category, label, source: 'test', confidence: 80, actor });
  }
  const index = await ClusterIndex.build(store, await store.findTransactionsByHeight('btc', 0, 10));
  return { store, index, abcd: index.clusterOf(addr('A'))!.id, ef: index.clusterOf(addr('E'))!.id };
}

describe('clusterLabels', () => {
  it('aggregates labels by category with the addresses carrying each, and reports conflicts', async () => {
    const { store, index, abcd } = await setup([
      ['A', 'exchange', 'Binance 7', 'binance'],
      ['C', 'exchange', 'Binance deposit', ' Binance '],
      ['B', 'mixer', 'Helix', 'helix'],
    ]);
    const s = await clusterLabels(store, { clusters: index, clusterId: abcd });
    expect(s).toMatchObject({ clusterId: abcd, size: 4, examined: 4, truncated: false, labelledAddresses: 3 });
    expect(s.categories.map((c) => [c.category, c.addresses.map((a) => a.address)])).toEqual([
      ['exchange', [addr('A'), addr('C')].sort()],
      ['mixer', [addr('B')]],
    ]);
    // ' Binance ' and 'binance' are one actor.
    expect(s.actors.map((a) => [a.actor, a.categories])).toEqual([
      ['binance', ['exchange']],
      ['helix', ['mixer']],
    ]);
    expect(s.conflicts.map((c) => [c.kind, c.categories, c.actors])).toEqual([
      ['entity-type', ['exchange', 'mixer'], []],
      ['actor', ['exchange', 'mixer'], ['binance', 'helix']],
    ]);
    expect(s.conflicts[0]!.addresses).toEqual([addr('A'), addr('B'), addr('C')].sort());
  });

  it('reports two different exchanges as an actor conflict, and an exchange with a hack label', async () => {
    const { store, index, abcd } = await setup([
      ['A', 'exchange', 'Binance 7', 'binance'],
      ['B', 'exchange', 'Huobi 3', 'huobi'],
      ['D', 'hack', 'Bitstamp hack 2015', 'bitstamp'],
    ]);
    const s = await clusterLabels(store, { clusters: index, clusterId: abcd });
    expect(s.conflicts.map((c) => c.kind)).toEqual(['actor', 'service-and-illicit']);
    expect(s.conflicts[0]!.actors).toEqual(['binance', 'bitstamp', 'huobi']);
    expect(s.conflicts[1]!.categories).toEqual(['exchange', 'hack']);
  });

  it('reports no conflict for one actor and no labels for an unlabelled cluster', async () => {
    const { store, index, abcd, ef } = await setup([
      ['A', 'exchange', 'Binance 7', 'binance'],
      ['B', 'exchange', 'Binance 8', 'binance'],
      ['A', 'sanctioned', 'not really, for the test', null],
    ]);
    const s = await clusterLabels(store, { clusters: index, clusterId: abcd });
    expect(s.conflicts).toEqual([]);
    expect(s.categories.map((c) => c.category)).toEqual(['sanctioned', 'exchange']);
    expect(s.labelledAddresses).toBe(2);
    const none = await clusterLabels(store, { clusters: index, clusterId: ef });
    expect(none).toMatchObject({ size: 2, labelledAddresses: 0, categories: [], actors: [], conflicts: [] });
  });

  it('stops at maxMembers: truncated by default, LIMIT_EXCEEDED on request', async () => {
    const { store, index, abcd } = await setup([['D', 'exchange', 'x', 'binance']]);
    const s = await clusterLabels(store, { clusters: index, clusterId: abcd }, { maxMembers: 3, batchSize: 2 });
    expect(s).toMatchObject({ size: 4, examined: 3, truncated: true });
    try {
      await clusterLabels(store, { clusters: index, clusterId: abcd }, { maxMembers: 3, onLimit: 'error' });
      expect.unreachable();
    } catch (err) {
      expect(isAriadneError(err) && err.code).toBe('LIMIT_EXCEEDED');
    }
  });
});

import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addr, coinbase, spend, tid, tinyGraph, type TinyGraph } from '../../ingest/scenario/tiny-graph.js';
import { readScenarioFile, type Scenario } from '../../ingest/scenario/load-scenario.js';
import type { AddressId } from '../../model/address.js';
import type { Category } from '../../model/label.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import type { GraphStore } from '../../store/graph-store.js';
import { ClusterIndex } from '../clustering/cluster-index.js';
import type { HopDistanceResult } from '../proximity/hop-distance.js';
import { ProximityIndex } from '../proximity/proximity-index.js';
import { assessAddressRisk, type ScreeningIndex } from './assess-address-risk.js';
import { assessTransactionRisk } from './assess-transaction-risk.js';

const stores: GraphStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function load(g: TinyGraph, labels: [string, Category][] = []): Promise<GraphStore> {
  const store = await openEmbeddedStore({ dir: ':memory:' });
  stores.push(store);
  for (const b of g.blocks()) await store.writeBlock(b);
  for (const [name, category] of labels) {
    await store.addLabel({ address: addr(name, g.chain), category, label: `${name} label`, source: 'test', confidence: 100, actor: null });
  }
  return store;
}

/**
 * seed/demo-laundering.json and its ground truth seed/demo-laundering.md. Expected decisions, from the
 * ground truth and the documented default weights (docs: "Risk score"):
 * - P0: 1 hop from the sanctioned LAZ (ground truth: hop distance 1) -> sanctioned_proximity 75 points on
 *   its own, above reviewMax 70: reject. Its whole receipt (2,000,000,000 sat, split) came straight from LAZ:
 *   direct sanctioned exposure 100% -> +25 = 100 already: SAR. (Taint 100% +20, peel operator +10 only add.)
 * - R6: 7 hops from LAZ (ground truth), beyond the 4 hops the hop table counts; no labelled counterparty in 3
 *   hops either way; its 105,000,000 sat peel traces back 6 hops to P0 only (LAZ is the 7th): no taint. It
 *   received the peel of peel6, the last hop of the 6-hop chain: recipient, 30% of 10 = 3 points; one
 *   transaction, one sender: no behaviour points; a sink (no betweenness). Score 3 -> approve.
 * - C1: funded by the mixer MIX1 (1 hop: 30 points) which LAZ paid (2 hops: 50% of 75 = 37.5), all of its
 *   receipt from the mixer (direct mixer exposure 100%: 20) and traced through the mixer to LAZ (haircut,
 *   ground truth "100%": taint 20) -> already 107.5 -> 100: reject with SAR.
 */
describe('assessAddressRisk on the demo scenario', () => {
  let scenario: Scenario;
  let store: GraphStore;
  const id = (name: string): AddressId => scenario.addresses.get(name)!;
  beforeAll(async () => {
    scenario = await readScenarioFile(path.resolve(import.meta.dirname, '../../../seed/demo-laundering.json'));
    store = await openEmbeddedStore({ dir: ':memory:' });
    for (const b of scenario.blocks) await store.writeBlock(b);
    await store.importLabels(`seed:${scenario.name}`, scenario.labels);
  });
  afterAll(async () => {
    await store.close();
  });

  it('rejects P0, one hop from the sanctioned LAZ, and files a SAR', async () => {
    const r = await assessAddressRisk(store, id('P0'));
    expect(r.features.nearest.sanctioned).toMatchObject({ hops: 1, address: id('LAZ'), label: 'Demo sanctioned entity' });
    expect(r.features.exposure.sanctioned).toEqual({ directBps: 10_000, indirectBps: 0 });
    expect(r.features.taintBps).toBe(10_000);
    expect(r.features.peelChain).toMatchObject({ role: 'operator', chainLength: 6 });
    expect(r).toMatchObject({ score: 100, decision: 'reject', fileSar: true });
    expect(r.factors.reduce((s, f) => s + f.contribution, 0)).toBe(100);
    const top = [...r.factors].sort((a, b) => b.contribution - a.contribution)[0]!;
    expect(top.name).toBe('sanctioned_proximity');
  });

  it('approves R6, seven hops from LAZ, with no exposure', async () => {
    const r = await assessAddressRisk(store, id('R6'));
    expect(r.features.nearest).toEqual({ sanctioned: null, mixer: null, darknet: null });
    expect(r.features.taintBps).toBe(0);
    expect(r.features.peelChain).toMatchObject({ role: 'recipient', chainLength: 6 });
    expect(r).toMatchObject({ score: 3, decision: 'approve', fileSar: false });
    expect(r.factors.filter((f) => f.contribution > 0).map((f) => [f.name, f.contribution])).toEqual([['peel_chain', 3]]);
  });

  it('rejects C1, funded through the mixer, and files a SAR', async () => {
    const r = await assessAddressRisk(store, id('C1'));
    expect(r.features.nearest.mixer).toMatchObject({ hops: 1, address: id('MIX1') });
    expect(r.features.nearest.sanctioned).toMatchObject({ hops: 2 });
    expect(r.features.exposure.mixer).toEqual({ directBps: 10_000, indirectBps: 0 });
    expect(r.features.taintBps).toBe(10_000);
    expect(r).toMatchObject({ score: 100, decision: 'reject', fileSar: true });
  });

  it('gives the same features with a ProximityIndex for sanctioned screening as with hopDistance', async () => {
    const index = await ProximityIndex.build(store);
    try {
      const viaIndex = await assessAddressRisk(store, id('P0'), { proximity: index });
      const direct = await assessAddressRisk(store, id('P0'));
      expect(viaIndex.features).toEqual(direct.features);
    } finally {
      index.close();
    }
  });

  it('rejects the transaction that P0 spends in (peel1) and explains why', async () => {
    const peel1 = tid('peel1');
    const r = await assessTransactionRisk(store, peel1);
    expect(r.features.peelChain).toEqual({ member: true, chainLength: 6 });
    // peel1 pays R1 100,000,000 and P1 1,899,990,000; P0 is the only input: nothing is change.
    expect(r.features.amount).toBe(1_999_990_000n);
    expect(r.features.inputs).toEqual([{ address: id('P0'), score: 100 }]);
    expect(r).toMatchObject({ score: 100, decision: 'reject', fileSar: true });
  });

  it('scores a transaction from cached address scores without assessing them again', async () => {
    const asked: AddressId[] = [];
    const r = await assessTransactionRisk(store, tid('peel6'), {
      scoreAddress: async (a) => {
        asked.push(a);
        return 0;
      },
    });
    expect(asked.sort()).toEqual([id('P5'), id('P6'), id('R6')].sort());
    // Clean addresses; a hop of the 6-hop chain (10); R6 105,000,000 + P6 1,379,940,000 = 1,484,940,000 sat
    // moved: (1,484,940,000 - 10^8) / (10^10 - 10^8) = 1398 bps (floored) of 10 points = 1.398 -> 11.398 -> 11.
    expect(r.features.amount).toBe(1_484_940_000n);
    expect(r).toMatchObject({ score: 11, decision: 'approve' });
  });
});

describe('assessAddressRisk with injected analytics', () => {
  it('rejects an address whose cluster holds a sanctioned address, through the cluster index', async () => {
    // A and S (sanctioned) spend together in t2: one entity by the multi-input heuristic. Neither pays the
    // other, so A has no sanctioned counterparty; the cluster label alone says what A is: 90 points.
    const g = tinyGraph('btc');
    g.tx('t0', { height: 1, inputs: [coinbase()], outputs: [['A', 5_000n]] });
    g.tx('t1', { height: 1, inputs: [coinbase()], outputs: [['S', 7_000n]] });
    g.tx('t2', { height: 2, inputs: [spend('t0', 0), spend('t1', 0)], outputs: [['Z', 11_000n]] });
    const store = await load(g, [['S', 'sanctioned']]);
    const clusters = await ClusterIndex.build(store, [...g.txs.values()].map((t) => t.id));
    const without = await assessAddressRisk(store, addr('A'));
    expect(without.features.clusterCategories).toEqual([]);
    const r = await assessAddressRisk(store, addr('A'), { clusters });
    expect(r.features.clusterCategories).toEqual(['sanctioned']);
    expect(r.features.cluster).toEqual({ id: [addr('A'), addr('S')].sort()[0], size: 2 });
    expect(r.factors.find((f) => f.name === 'cluster_labels')).toMatchObject({ signalBps: 10_000, points: 90 });
    expect(r).toMatchObject({ decision: 'reject', fileSar: true });
  });

  it('asks a screening index for the category it covers and hopDistance for the others', async () => {
    const g = tinyGraph('eth');
    g.transfer('a', 'X', 'A', 10n, 1);
    const store = await load(g);
    const calls: string[] = [];
    const index: ScreeningIndex = {
      options: { categories: ['sanctioned'], maxHops: 6 },
      async screen(addresses, options = {}): Promise<HopDistanceResult> {
        calls.push(`${String(addresses)} ${options.direction}`);
        const s = addr('X', 'eth');
        return {
          sources: [addr('A', 'eth')],
          direction: options.direction ?? 'both',
          categories: ['sanctioned'],
          distance: options.direction === 'in' ? 1 : null,
          targets: options.direction === 'in' ? [{ address: s, categories: ['sanctioned'], labels: ['pretend SDN'] }] : [],
          paths: [],
          truncated: null,
          visited: 0,
        };
      },
    };
    const r = await assessAddressRisk(store, addr('A', 'eth'), { proximity: [index] }, { metrics: false });
    expect(calls).toEqual([`${addr('A', 'eth')} in`, `${addr('A', 'eth')} out`]);
    expect(r.features.nearest.sanctioned).toEqual({ hops: 1, address: addr('X', 'eth'), label: 'pretend SDN' });
    expect(r.features.nearest.mixer).toBeNull();
    expect(r.features.peelChain).toBeNull(); // account chain: peel chains are a UTXO pattern
    expect(r.features.metrics).toBeNull();
    expect(r.decision).toBe('reject');
  });

  it('refuses an unknown address or transaction', async () => {
    const g = tinyGraph('btc');
    g.tx('t0', { height: 1, inputs: [coinbase()], outputs: [['A', 5_000n]] });
    const store = await load(g);
    await expect(assessAddressRisk(store, addr('nobody'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(assessTransactionRisk(store, tid('nothing'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('approves a plain payment between clean addresses and refuses one with too many addresses', async () => {
    const g = tinyGraph('btc');
    g.tx('t0', { height: 1, inputs: [coinbase()], outputs: [['A', 5_000n]] });
    g.tx('t1', { height: 2, inputs: [spend('t0', 0)], outputs: [['B', 3_000n], ['C', 1_500n]] });
    const store = await load(g);
    const r = await assessTransactionRisk(store, tid('t1'));
    expect(r.features.peelChain).toEqual({ member: false, chainLength: 0 });
    expect(r.features.amount).toBe(4_500n);
    expect(r).toMatchObject({ score: 0, decision: 'approve' });
    await expect(assessTransactionRisk(store, tid('t1'), {}, { maxAddresses: 2 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
  });
});

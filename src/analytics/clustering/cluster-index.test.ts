import { afterEach, describe, expect, it } from 'vitest';
import { isAriadneError } from '../../errors.js';
import type { AddressId } from '../../model/address.js';
import { CATEGORIES, type Category } from '../../model/label.js';
import type { Block } from '../../model/transaction.js';
import type { GraphStore } from '../../store/graph-store.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import { prng } from '../../../test/fixtures/prng.js';
import { addr, coinbase, spend, tid, tinyGraph, type TinyGraph } from '../../../test/fixtures/tiny-graph.js';
import { ClusterIndex } from './cluster-index.js';

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

async function allTxIds(store: GraphStore, chain: 'btc' | 'eth' = 'btc') {
  return store.findTransactionsByHeight(chain, 0, 1_000_000);
}

const minOf = (...names: string[]): AddressId => names.map((n) => addr(n)).sort()[0]!;
const sortedAddrs = (...names: string[]): AddressId[] => names.map((n) => addr(n)).sort();

/** Four addresses joined by three multi-input transactions that each share one address with the last. */
function chainOfMultiInput(): TinyGraph {
  const g = tinyGraph('btc');
  g.tx('cA', { height: 1, inputs: [coinbase()], outputs: [['A', 10_000n]] });
  g.tx('cB', { height: 1, inputs: [coinbase()], outputs: [['B', 10_000n], ['B', 10_000n]] });
  g.tx('cC', { height: 1, inputs: [coinbase()], outputs: [['C', 10_000n], ['C', 10_000n]] });
  g.tx('cD', { height: 1, inputs: [coinbase()], outputs: [['D', 10_000n]] });
  // A coinbase that pays two addresses: outputs never merge.
  g.tx('cM', { height: 1, inputs: [coinbase()], outputs: [['M1', 5_000n], ['M2', 5_000n]] });
  g.tx('t1', { height: 2, inputs: [spend('cA', 0), spend('cB', 0)], outputs: [['X1', 19_000n]] });
  g.tx('t2', { height: 3, inputs: [spend('cB', 1), spend('cC', 0)], outputs: [['X2', 19_000n]] });
  g.tx('t3', { height: 4, inputs: [spend('cC', 1), spend('cD', 0)], outputs: [['X3', 19_000n]] });
  // One input only: nothing to merge.
  g.tx('t4', { height: 4, inputs: [spend('cM', 0)], outputs: [['X4', 4_000n]] });
  return g;
}

describe('ClusterIndex: multi-input heuristic', () => {
  it('merges a chain of multi-input transactions transitively and explains each union', async () => {
    const store = await storeWith(chainOfMultiInput());
    const index = await ClusterIndex.build(store, await allTxIds(store));
    const id = minOf('A', 'B', 'C', 'D');
    for (const n of ['A', 'B', 'C', 'D']) expect(index.clusterOf(addr(n))).toEqual({ id, size: 4 });
    expect(index.members(id).items).toEqual(sortedAddrs('A', 'B', 'C', 'D'));
    // Hand-derived spanning tree: t1 joins A-B, t2 joins B-C, t3 joins C-D (first input is the anchor).
    const edges = index.explainCluster(id).items.map((e) => ({ h: e.heuristic, tx: e.txId, a: e.a, b: e.b }));
    expect(edges).toEqual([
      { h: 'multi-input', tx: tid('t1'), a: addr('A'), b: addr('B') },
      { h: 'multi-input', tx: tid('t2'), a: addr('B'), b: addr('C') },
      { h: 'multi-input', tx: tid('t3'), a: addr('C'), b: addr('D') },
    ]);
    // 10 addresses (A B C D M1 M2 X1 X2 X3 X4); clusters: {A,B,C,D} + 6 singletons = 7.
    expect(index.stats()).toMatchObject({ addresses: 10, clusters: 7, multiAddressClusters: 1, largest: { id, size: 4 }, coinjoins: 0 });
  });

  it('does not merge the outputs of a coinbase', async () => {
    const store = await storeWith(chainOfMultiInput());
    const index = await ClusterIndex.build(store, await allTxIds(store));
    expect(index.clusterOf(addr('M1'))).toEqual({ id: addr('M1'), size: 1 });
    expect(index.clusterOf(addr('M2'))).toEqual({ id: addr('M2'), size: 1 });
    expect(index.clusterOf(addr('never-seen'))).toBeNull();
  });

  it('gives the same clusters fed block by block through follow() as built from scratch', async () => {
    const g = chainOfMultiInput();
    const store = await openEmbeddedStore({ dir: ':memory:' });
    open.push(store);
    const live = new ClusterIndex(store);
    const stop = live.follow(store);
    for (const b of g.blocks()) await store.writeBlock(b);
    await live.idle();
    stop();
    const scratch = await ClusterIndex.build(store, await allTxIds(store));
    expect(live.clusters({ minSize: 1, limit: 100 })).toEqual(scratch.clusters({ minSize: 1, limit: 100 }));
  });

  it('merges an input whose address resolves only when its prevout block arrives later', async () => {
    const g = chainOfMultiInput();
    const blocks = g.blocks();
    // Strip what t1 knows about its inputs, as an adapter does when the spent outputs are not stored yet.
    const unresolved = (b: Block): Block => ({
      ...b,
      transactions: b.transactions.map((t) => ({ ...t, fee: null, inputs: t.inputs.map((i) => ({ index: i.index, address: null, value: null, asset: i.asset, spends: i.spends! })) })),
    });
    const store = await openEmbeddedStore({ dir: ':memory:' });
    open.push(store);
    const live = new ClusterIndex(store);
    live.follow(store);
    await store.writeBlock(unresolved(blocks[1]!)); // height 2: t1 spends cA:0 and cB:0, not stored yet
    await live.idle();
    expect(live.stats().pending).toBe(1);
    expect(live.clusterOf(addr('A'))).toBeNull();
    await store.writeBlock(blocks[0]!); // height 1: the coinbases; the store resolves t1's inputs
    await live.idle();
    expect(live.stats().pending).toBe(0);
    expect(live.clusterOf(addr('A'))).toEqual({ id: minOf('A', 'B'), size: 2 });
  });

  it('pages members in address order and refuses bad pages and unknown ids', async () => {
    const store = await storeWith(chainOfMultiInput());
    const index = await ClusterIndex.build(store, await allTxIds(store));
    const id = minOf('A', 'B', 'C', 'D');
    const all = sortedAddrs('A', 'B', 'C', 'D');
    expect(index.members(id, { limit: 3 })).toEqual({ clusterId: id, total: 4, offset: 0, items: all.slice(0, 3), nextOffset: 3 });
    expect(index.members(id, { offset: 3, limit: 3 })).toEqual({ clusterId: id, total: 4, offset: 3, items: all.slice(3), nextOffset: null });
    expect(index.size(id)).toBe(4);
    expect(() => index.members(id, { limit: 0 })).toThrow(/page limit must be an integer between 1 and 10000, got 0/);
    const notMin = all[1]!;
    try {
      index.members(notMin);
      expect.unreachable();
    } catch (err) {
      expect(isAriadneError(err) && err.code).toBe('NOT_FOUND');
      expect((err as Error).message).toContain(`now belongs to cluster "${id}"`);
    }
  });
});

/** P1, P2, P3 mix into three 500,000 sat outputs plus two change outputs. */
function coinJoinGraph(): TinyGraph {
  const g = tinyGraph('btc');
  for (const p of ['P1', 'P2', 'P3', 'Q1', 'Q2']) g.tx(`c${p}`, { height: 1, inputs: [coinbase()], outputs: [[p, 1_000_000n]] });
  g.tx('mix', {
    height: 2,
    inputs: [spend('cP1', 0), spend('cP2', 0), spend('cP3', 0)],
    outputs: [['O1', 500_000n], ['O2', 500_000n], ['O3', 500_000n], ['K1', 490_000n], ['K2', 480_000n]],
  });
  // Two equal 546 sat outputs among three: the most common value is dust, so NOT a CoinJoin.
  g.tx('dust', { height: 2, inputs: [spend('cQ1', 0), spend('cQ2', 0)], outputs: [['R1', 546n], ['R2', 546n], ['R3', 1_990_000n]] });
  return g;
}

describe('ClusterIndex: CoinJoin exclusion', () => {
  it('excludes a textbook CoinJoin and records which rule and numbers', async () => {
    const store = await storeWith(coinJoinGraph());
    const index = await ClusterIndex.build(store, await allTxIds(store));
    for (const p of ['P1', 'P2', 'P3']) expect(index.clusterOf(addr(p))?.size).toBe(1);
    const [exclusion, ...rest] = index.coinJoinExclusions();
    expect(rest).toEqual([]);
    expect(exclusion).toMatchObject({
      txId: tid('mix'),
      height: 2,
      rule: 'blocksci-coinjoin',
      verdict: { isCoinJoin: true, inputs: 3, outputs: 5, distinctInputAddresses: 3, participants: 3, denomination: 500_000n, denominationCount: 3 },
    });
  });

  it('does not exclude a transaction whose repeated value is 546 sat dust', async () => {
    const store = await storeWith(coinJoinGraph());
    const index = await ClusterIndex.build(store, await allTxIds(store));
    expect(index.clusterOf(addr('Q1'))).toEqual({ id: minOf('Q1', 'Q2'), size: 2 });
    expect(index.explainCluster(minOf('Q1', 'Q2')).items).toMatchObject([{ heuristic: 'multi-input', txId: tid('dust') }]);
  });
});

/**
 * S1 and S2 pay 700,000 and get 495,500 back to a fresh address Chg1 (one-time change: p2wpkh like the
 * inputs, not a multiple of 1,000, below the smallest input 600,000, first seen here). Chg1 then pays
 * 200,000 and gets 295,123 back to fresh Chg2 (again one-time change: below its one input 495,500).
 */
function changeGraph(): TinyGraph {
  const g = tinyGraph('btc');
  g.tx('c1', { height: 1, inputs: [coinbase()], outputs: [['S1', 600_000n]] });
  g.tx('c2', { height: 1, inputs: [coinbase()], outputs: [['S2', 600_000n]] });
  g.tx('t1', { height: 2, inputs: [spend('c1', 0), spend('c2', 0)], outputs: [['Pay1', 700_000n], ['Chg1', 495_500n]] });
  g.tx('t2', { height: 3, inputs: [spend('t1', 1)], outputs: [['Pay2', 200_000n], ['Chg2', 295_123n]] });
  return g;
}

describe('ClusterIndex: opt-in change merging', () => {
  it('does not merge change by default', async () => {
    const store = await storeWith(changeGraph());
    const index = await ClusterIndex.build(store, await allTxIds(store));
    expect(index.clusterOf(addr('S1'))?.size).toBe(2);
    expect(index.clusterOf(addr('Chg1'))?.size).toBe(1);
    expect(index.clusterOf(addr('Chg2'))?.size).toBe(1);
  });

  it('merges change when asked, and refuses a merge that would pass maxChangeMergeSize', async () => {
    const store = await storeWith(changeGraph());
    const index = await ClusterIndex.build(store, await allTxIds(store), { mergeChange: true, maxChangeMergeSize: 3 });
    const id = minOf('S1', 'S2', 'Chg1');
    expect(index.clusterOf(addr('Chg1'))).toEqual({ id, size: 3 });
    expect(index.explainCluster(id).items).toMatchObject([
      { heuristic: 'multi-input', txId: tid('t1'), a: addr('S1'), b: addr('S2') },
      { heuristic: 'change', txId: tid('t1'), a: addr('S1'), b: addr('Chg1'), change: { outputIndex: 1, heuristic: 'one-time-change', confidence: 50 } },
    ]);
    // t2: {S1, S2, Chg1} (3) + {Chg2} (1) = 4 > 3: refused.
    expect(index.clusterOf(addr('Chg2'))?.size).toBe(1);
    expect(index.refusals()).toMatchObject([{ txId: tid('t2'), a: addr('Chg1'), b: addr('Chg2'), sizeA: 3, sizeB: 1, limit: 3 }]);
  });

  it('merges the second change too when the guard allows 4', async () => {
    const store = await storeWith(changeGraph());
    const index = await ClusterIndex.build(store, await allTxIds(store), { mergeChange: true, maxChangeMergeSize: 4 });
    expect(index.clusterOf(addr('Chg2'))).toEqual({ id: minOf('S1', 'S2', 'Chg1', 'Chg2'), size: 4 });
    expect(index.refusals()).toEqual([]);
  });

  it('rejects nonsense options', () => {
    expect(() => new ClusterIndex({} as GraphStore, { maxChangeMergeSize: 1 })).toThrow(/maxChangeMergeSize must be an integer >= 2, got 1/);
    expect(() => new ClusterIndex({} as GraphStore, { changeMinConfidence: 101 })).toThrow(/between 0 and 100/);
  });
});

/**
 * The reference for label categories per cluster, written without the code under test: clusters as the
 * connected components of "spent together in one transaction" over the test's own record of inputs
 * (breadth-first search), categories as the union of the active labels the test itself added and removed.
 */
function referenceCategories(inputsPerTx: readonly string[][], labels: Iterable<{ name: string; category: Category }>): Map<string, { size: number; categories: Category[] }> {
  const neighbours = new Map<string, Set<string>>();
  for (const names of inputsPerTx) {
    for (const a of names) {
      const set = neighbours.get(a) ?? new Set<string>();
      neighbours.set(a, set);
      for (const b of names) if (b !== a) set.add(b);
    }
  }
  const byName = new Map<string, Set<Category>>();
  for (const l of labels) byName.set(l.name, (byName.get(l.name) ?? new Set()).add(l.category));
  const result = new Map<string, { size: number; categories: Category[] }>();
  for (const start of neighbours.keys()) {
    if (result.has(start)) continue;
    const component = [start];
    const seen = new Set(component);
    for (let i = 0; i < component.length; i++) {
      for (const n of neighbours.get(component[i]!)!) if (!seen.has(n)) {
        seen.add(n);
        component.push(n);
      }
    }
    const cats = new Set(component.flatMap((n) => [...(byName.get(n) ?? [])]));
    const entry = { size: component.length, categories: CATEGORIES.filter((c) => cats.has(c)) };
    for (const n of component) result.set(n, entry);
  }
  return result;
}

describe('ClusterIndex: label categories per cluster', () => {
  for (const seed of [3, 11, 2025]) {
    it(`equal a recomputation from scratch after random merges and label additions and removals (seed ${seed})`, async () => {
      const rand = prng(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
      const store = await openEmbeddedStore({ dir: ':memory:' });
      open.push(store);
      const g = tinyGraph('btc');
      // N40..N44 are only ever labelled, never in a transaction; the others enter as outputs.
      const names = Array.from({ length: 45 }, (_, i) => `N${i}`);
      const cats: Category[] = ['sanctioned', 'exchange', 'mixer', 'gambling', 'scam'];
      const unspent: { tx: string; index: number; owner: string; value: bigint }[] = [];
      const inputsPerTx: string[][] = [];
      const active = new Map<number, { name: string; category: Category }>();
      let height = 0;
      let txCount = 0;
      const mint = (owner: string): void => {
        const name = `c${txCount++}`;
        const value = 1_000_000n + BigInt(txCount);
        g.tx(name, { height, inputs: [coinbase()], outputs: [[owner, value]] });
        unspent.push({ tx: name, index: 0, owner, value });
      };
      const spendSome = (): void => {
        const k = Math.min(unspent.length, 1 + Math.floor(rand() * 3));
        if (k === 0) return;
        const spent = Array.from({ length: k }, () => unspent.splice(Math.floor(rand() * unspent.length), 1)[0]!);
        const total = spent.reduce((sum, u) => sum + u.value, 0n);
        // Two outputs of different values (never a CoinJoin's equal outputs), or one.
        const first = (total * 2n) / 3n;
        const outputs: [string, bigint][] = rand() < 0.5 ? [[pick(names.slice(0, 40)), total - 100n]] : [[pick(names.slice(0, 40)), first], [pick(names.slice(0, 40)), total - first - 100n]];
        const name = `t${txCount++}`;
        g.tx(name, { height, inputs: spent.map((u) => spend(u.tx, u.index)), outputs });
        outputs.forEach(([owner, value], index) => unspent.push({ tx: name, index, owner, value }));
        inputsPerTx.push(spent.map((u) => u.owner));
      };
      const writeBlock = async (): Promise<void> => {
        for (const b of g.blocks()) if (b.height === height) await store.writeBlock(b);
      };
      const label = async (): Promise<void> => {
        const name = pick(names);
        const category = pick(cats);
        // Two texts per category: an address may carry one category twice, and keep it when one goes.
        const stored = await store.addLabel({ address: addr(name), category, label: `${category} ${Math.floor(rand() * 2)}`, source: 'test', confidence: 90, actor: null });
        active.set(stored.id, { name, category });
      };

      height++;
      for (let i = 0; i < 12; i++) mint(names[i]!);
      await writeBlock();
      for (let i = 0; i < 4; i++) await label();
      const index = await ClusterIndex.build(store, await allTxIds(store));
      const stop = index.follow(store);

      const check = async (step: string): Promise<void> => {
        await index.idle();
        const expected = referenceCategories(inputsPerTx, active.values());
        for (const name of names) {
          const ref = index.clusterOf(addr(name));
          if (!ref) continue; // never in a transaction: no cluster
          const want = expected.get(name) ?? { size: 1, categories: CATEGORIES.filter((c) => [...active.values()].some((l) => l.name === name && l.category === c)) };
          expect({ size: ref.size, categories: index.labelCategories(ref.id) }, `${step}: ${name}`).toEqual(want);
        }
      };
      await check('after build');
      for (let step = 0; step < 40; step++) {
        const action = rand();
        if (action < 0.45) {
          height++;
          if (rand() < 0.2) mint(pick(names.slice(0, 40)));
          spendSome();
          spendSome();
          await writeBlock();
        } else if (action < 0.75 || active.size === 0) {
          await label();
        } else {
          const id = pick([...active.keys()]);
          active.delete(id);
          await store.removeLabel(id);
        }
        await check(`step ${step}`);
      }
      stop();
      // The run merged clusters and labelled them: the check above was not vacuous.
      const reference = referenceCategories(inputsPerTx, active.values());
      expect(Math.max(...[...reference.values()].map((r) => r.size))).toBeGreaterThanOrEqual(3);
      expect([...reference.values()].some((r) => r.size >= 2 && r.categories.length > 0)).toBe(true);
      // A fresh build reads the same categories (loadLabels after the transactions).
      const rebuilt = await ClusterIndex.build(store, await allTxIds(store));
      for (const name of names) {
        const ref = index.clusterOf(addr(name));
        if (ref) expect(rebuilt.labelCategories(ref.id), name).toEqual(index.labelCategories(ref.id));
      }
    });
  }
});

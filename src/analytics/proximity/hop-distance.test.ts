import { afterEach, describe, expect, it } from 'vitest';
import type { AddressId } from '../../model/address.js';
import type { Category } from '../../model/label.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import type { GraphStore } from '../../store/graph-store.js';
import { addr, coinbase, spend, tid, tinyGraph, type TinyGraph } from '../../../test/fixtures/tiny-graph.js';
import { hopDistance } from './hop-distance.js';

const stores: GraphStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function load(g: TinyGraph, labels: [string, Category][] = []): Promise<GraphStore> {
  const store = await openEmbeddedStore({ dir: ':memory:' });
  stores.push(store);
  for (const b of g.blocks()) await store.writeBlock(b);
  for (const [name, category] of labels) {
    await store.addLabel({ address: addr(name, g.chain), category, label: `${name} (${category})`, source: 'test', confidence: 100, actor: null });
  }
  return store;
}

/**
 * Hand-drawn account graph (transfers in wei, one per block):
 *   a1 A->B 5   a2 B->C 5   a3 C->S 5   a4 A->E 10   a5 E->S 1   a6 D->A 2   a7 T->D 1   a8 A->G 1   a9 G->C 1
 * S and T are sanctioned, E is an exchange.
 *   out from A: A->B->C->S and A->G->C->S (3 hops); A->E->S is shorter but passes through the exchange.
 *   in to A:    A<-D<-T (2 hops).
 *   both:       A-D-T (2 hops) is the nearest.
 */
function evm(): TinyGraph {
  const g = tinyGraph('eth');
  g.transfer('a1', 'A', 'B', 5n, 1);
  g.transfer('a2', 'B', 'C', 5n, 2);
  g.transfer('a3', 'C', 'S', 5n, 3);
  g.transfer('a4', 'A', 'E', 10n, 4);
  g.transfer('a5', 'E', 'S', 1n, 5);
  g.transfer('a6', 'D', 'A', 2n, 6);
  g.transfer('a7', 'T', 'D', 1n, 7);
  g.transfer('a8', 'A', 'G', 1n, 8);
  g.transfer('a9', 'G', 'C', 1n, 9);
  return g;
}
const LABELS: [string, Category][] = [
  ['S', 'sanctioned'],
  ['T', 'sanctioned'],
  ['E', 'exchange'],
];
const a = (name: string): AddressId => addr(name, 'eth');
const byText = (x: string[], y: string[]): number => (x.join() < y.join() ? -1 : x.join() > y.join() ? 1 : 0);

describe('hopDistance', () => {
  it('finds the nearest sanctioned address going out, not through the exchange, with every shortest path in order', async () => {
    const store = await load(evm(), LABELS);
    const result = await hopDistance(store, a('A'), { direction: 'out' });
    expect(result.distance).toBe(3);
    expect(result.targets.map((t) => t.address)).toEqual([a('S')]);
    expect(result.targets[0]!.labels).toEqual(['S (sanctioned)']);
    // the two shortest paths, ordered by their address sequences
    const expected = [
      [a('A'), a('B'), a('C'), a('S')],
      [a('A'), a('G'), a('C'), a('S')],
    ].sort(byText);
    expect(result.paths.map((p) => p.addresses)).toEqual(expected);
    const viaB = result.paths.find((p) => p.addresses[1] === a('B'))!;
    expect(viaB.hops).toEqual([
      { txId: tid('a1', 'eth'), from: a('A'), to: a('B'), sent: 5n, received: 5n, asset: 'ETH', otherTxs: 0 },
      { txId: tid('a2', 'eth'), from: a('B'), to: a('C'), sent: 5n, received: 5n, asset: 'ETH', otherTxs: 0 },
      { txId: tid('a3', 'eth'), from: a('C'), to: a('S'), sent: 5n, received: 5n, asset: 'ETH', otherTxs: 0 },
    ]);
  });

  it('goes through the exchange when no stop category is set', async () => {
    const store = await load(evm(), LABELS);
    const result = await hopDistance(store, a('A'), { direction: 'out', stopAtCategories: [] });
    expect(result.distance).toBe(2);
    expect(result.paths.map((p) => p.addresses)).toEqual([[a('A'), a('E'), a('S')]]);
  });

  it('can end on a stop point that is itself sanctioned', async () => {
    const store = await load(evm(), [...LABELS, ['E', 'sanctioned']]);
    const result = await hopDistance(store, a('A'), { direction: 'out' });
    expect(result.distance).toBe(1);
    expect(result.targets.map((t) => t.address)).toEqual([a('E')]);
  });

  it('follows the funds backward for direction in, and both ways for both', async () => {
    const store = await load(evm(), LABELS);
    const incoming = await hopDistance(store, a('A'), { direction: 'in' });
    expect(incoming.distance).toBe(2);
    expect(incoming.paths[0]!.addresses).toEqual([a('A'), a('D'), a('T')]);
    // evidence in fund-flow terms: D paid A, T paid D
    expect(incoming.paths[0]!.hops.map((h) => [h.from, h.to, h.txId])).toEqual([
      [a('D'), a('A'), tid('a6', 'eth')],
      [a('T'), a('D'), tid('a7', 'eth')],
    ]);
    const both = await hopDistance(store, a('A'), { direction: 'both' });
    expect(both.distance).toBe(2);
    expect(both.targets.map((t) => t.address)).toEqual([a('T')]);
  });

  it('screens a set of addresses (a cluster) by its nearest member', async () => {
    const store = await load(evm(), LABELS);
    const result = await hopDistance(store, [a('D'), a('B')], { direction: 'out' });
    // B->C->S is 2; D->A->... is 4
    expect(result.distance).toBe(2);
    expect(result.paths.map((p) => p.addresses)).toEqual([[a('B'), a('C'), a('S')]]);
  });

  it('returns distance 0 for a labelled address and null beyond maxHops', async () => {
    const store = await load(evm(), LABELS);
    expect((await hopDistance(store, a('S'), { direction: 'out' })).distance).toBe(0);
    const far = await hopDistance(store, a('A'), { direction: 'out', maxHops: 2 });
    expect(far.distance).toBeNull();
    expect(far.paths).toEqual([]);
  });

  it('caps the number of paths', async () => {
    const store = await load(evm(), LABELS);
    const result = await hopDistance(store, a('A'), { direction: 'out', maxPaths: 1 });
    expect(result.paths).toHaveLength(1);
    expect(result.paths[0]!.addresses).toEqual(
      [
        [a('A'), a('B'), a('C'), a('S')],
        [a('A'), a('G'), a('C'), a('S')],
      ].sort(byText)[0],
    );
  });

  it('pools the inputs of a Bitcoin transaction', async () => {
    // c2: M 10 -> [U 6, V 4]; c3: [U 6, Q 5] -> T 11. M is sanctioned.
    const g = tinyGraph('btc');
    g.tx('c0', { height: 1, inputs: [coinbase()], outputs: [['M', 10n]] });
    g.tx('c1', { height: 1, inputs: [coinbase()], outputs: [['Q', 5n]] });
    g.tx('c2', { height: 2, inputs: [spend('c0', 0)], outputs: [['U', 6n], ['V', 4n]] });
    g.tx('c3', { height: 3, inputs: [spend('c2', 0), spend('c1', 0)], outputs: [['T', 11n]] });
    const store = await load(g, [['M', 'sanctioned']]);
    const result = await hopDistance(store, addr('T'), { direction: 'in' });
    expect(result.distance).toBe(2);
    expect(result.paths[0]!.addresses).toEqual([addr('T'), addr('U'), addr('M')]);
    expect(result.paths[0]!.hops).toEqual([
      { txId: tid('c3'), from: addr('U'), to: addr('T'), sent: 6n, received: 11n, asset: 'BTC', otherTxs: 0 },
      { txId: tid('c2'), from: addr('M'), to: addr('U'), sent: 10n, received: 6n, asset: 'BTC', otherTxs: 0 },
    ]);
    // Q's funds went only to T, which leads nowhere labelled
    expect((await hopDistance(store, addr('Q'), { direction: 'out', categories: ['sanctioned'] })).distance).toBeNull();
  });

  it('ignores zero-value transfers (address-poisoning spam makes no proximity)', async () => {
    const g = evm();
    g.transfer('spam', 'S', 'G', 0n, 10);
    const store = await load(g, LABELS);
    // counted, the spam would put G one hop from S; without it G <- A <- D <- T is 3 hops
    expect((await hopDistance(store, a('G'), { direction: 'in' })).distance).toBe(3);
  });

  it('reads one batch per level, not one call per address', async () => {
    const store = await load(evm(), LABELS);
    const calls: Record<string, number> = {};
    const counted = new Proxy(store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls[String(prop)] = (calls[String(prop)] ?? 0) + 1;
          return value.apply(target, args);
        };
      },
    });
    const result = await hopDistance(counted, a('A'), { direction: 'out' });
    expect(result.distance).toBe(3);
    // levels 0, 1 and 2 are expanded (A; then B, G - E is a stop; then C): one getFlows and one
    // getTransactions each; labels for the sources and for each new level (B,E,G; C; S).
    expect(calls).toEqual({ getAddresses: 1, getFlows: 3, getTransactions: 3, getLabels: 4 });
  });

  it('refuses bad arguments with clear errors', async () => {
    const store = await load(evm(), LABELS);
    await expect(hopDistance(store, a('A'), { maxHops: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(hopDistance(store, a('A'), { maxHops: 11 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    await expect(hopDistance(store, a('nobody'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(hopDistance(store, [])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(hopDistance(store, a('A'), { categories: ['lottery' as Category] })).rejects.toThrow(/unknown category "lottery"/);
  });
});

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addr, tinyGraph, type TinyGraph } from '../../ingest/scenario/tiny-graph.js';
import { readScenarioFile } from '../../ingest/scenario/load-scenario.js';
import type { AddressId } from '../../model/address.js';
import type { Category } from '../../model/label.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import type { GraphStore } from '../../store/graph-store.js';
import { clusterSubgraph, neighbourhoodSubgraph } from './flow-subgraph.js';
import { computeGraphMetrics, graphMetrics, type GraphMetrics, type NodeMetrics } from './graph-metrics.js';

const stores: GraphStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function load(g: TinyGraph, labels: [string, Category][] = []): Promise<GraphStore> {
  const store = await openEmbeddedStore({ dir: ':memory:' });
  stores.push(store);
  for (const b of g.blocks()) await store.writeBlock(b);
  for (const [name, category] of labels) {
    await store.addLabel({ address: addr(name, g.chain), category, label: name, source: 'test', confidence: 100, actor: null });
  }
  return store;
}

const e = (name: string): AddressId => addr(name, 'eth');
const node = (m: GraphMetrics, name: string, chain: 'eth' | 'btc' = 'eth'): NodeMetrics => {
  const found = m.nodes.find((n) => n.address === addr(name, chain));
  if (!found) throw new Error(`no node ${name}`);
  return found;
};

/** Plain transfers on an account chain: each [from, to, value] in its own transaction. */
function transfers(list: [string, string, bigint][]): TinyGraph {
  const g = tinyGraph('eth');
  list.forEach(([from, to, value], i) => g.transfer(`t${i}`, from, to, value, i + 1));
  return g;
}

describe('graph metrics on hand-drawn graphs', () => {
  it('gives a triangle with a pendant the clustering coefficients 1, 1, 1/3 and 0', async () => {
    // A-B-C triangle, D hangs off C. C has neighbours A, B, D: of the 3 pairs only A-B is linked -> 1/3.
    const store = await load(transfers([['A', 'B', 1n], ['B', 'C', 1n], ['C', 'A', 1n], ['C', 'D', 1n]]));
    const m = await graphMetrics(store, { addresses: ['A', 'B', 'C', 'D'].map(e) });
    expect([node(m, 'A'), node(m, 'B'), node(m, 'C'), node(m, 'D')].map((n) => n.clustering)).toEqual([1, 1, 1 / 3, 0]);
    expect([node(m, 'A'), node(m, 'B'), node(m, 'C'), node(m, 'D')].map((n) => n.triangles)).toEqual([1, 1, 1, 0]);
    expect(node(m, 'C')).toMatchObject({ inDegree: 1, outDegree: 2, degree: 3 });
  });

  it('puts the centre of a star on every path between its leaves', async () => {
    // A and B pay X; X pays D and E. Directed: X lies on the 4 paths A->D, A->E, B->D, B->E; normalized by
    // (n-1)(n-2) = 4*3 = 12 -> 1/3. Undirected: X lies on all 6 leaf pairs, counted both ways (12) / 12 = 1.
    const store = await load(transfers([['A', 'X', 5n], ['B', 'X', 5n], ['X', 'D', 4n], ['X', 'E', 4n]]));
    const directed = await graphMetrics(store, { address: e('X') });
    expect(directed.nodeCount).toBe(5);
    expect(node(directed, 'X').betweenness).toBeCloseTo(1 / 3, 12);
    for (const leaf of ['A', 'B', 'D', 'E']) expect(node(directed, leaf).betweenness).toBe(0);
    const undirected = await graphMetrics(store, { address: e('X') }, { betweenness: 'undirected' });
    expect(node(undirected, 'X').betweenness).toBeCloseTo(1, 12);
    expect(node(directed, 'X')).toMatchObject({ inDegree: 2, outDegree: 2, degree: 4, weightedInDegree: 10n, weightedOutDegree: 8n, weightedDegree: 18n });
  });

  it('gives each address of a 2-cycle a PageRank of 0.5', async () => {
    const store = await load(transfers([['A', 'B', 3n], ['B', 'A', 7n]]));
    const m = await graphMetrics(store, { address: e('A') });
    expect(node(m, 'A').pagerank).toBeCloseTo(0.5, 9);
    expect(node(m, 'B').pagerank).toBeCloseTo(0.5, 9);
    expect(node(m, 'A').pagerankRatio).toBeCloseTo(1, 9);
  });

  it('solves PageRank with a dangling node and with value weights as worked by hand', async () => {
    // A -> B, alpha 0.85, B dangling (its rank is spread evenly). With xA + xB = 1:
    // xA = 0.15/2 + 0.85 xB / 2 = 0.075 + 0.425 (1 - xA)  =>  xA = 0.5 / 1.425 = 0.350877...
    const pair = await load(transfers([['A', 'B', 1n]]));
    const m = await graphMetrics(pair, { address: e('A') });
    expect(node(m, 'A').pagerank).toBeCloseTo(0.5 / 1.425, 8);
    expect(node(m, 'B').pagerank).toBeCloseTo(1 - 0.5 / 1.425, 8);
    // A -> B 1, A -> C 3 (weights 1/4 and 3/4), B and C dangling. xA = 0.05 + 0.85 (1 - xA) / 3
    // => xA = (0.05 + 0.85/3) / (1 + 0.85/3); xB = xA (1 + 0.85/4); xC = xA (1 + 0.85 * 3/4).
    const fork = await load(transfers([['A', 'B', 1n], ['A', 'C', 3n]]));
    const w = await graphMetrics(fork, { address: e('A') });
    const xA = (0.05 + 0.85 / 3) / (1 + 0.85 / 3);
    expect(node(w, 'A').pagerank).toBeCloseTo(xA, 8);
    expect(node(w, 'B').pagerank).toBeCloseTo(xA * (1 + 0.85 / 4), 8);
    expect(node(w, 'C').pagerank).toBeCloseTo(xA * (1 + (0.85 * 3) / 4), 8);
    // Unweighted, B and C are symmetric.
    const u = await graphMetrics(fork, { address: e('A') }, { weightedPagerank: false });
    expect(node(u, 'B').pagerank).toBeCloseTo(node(u, 'C').pagerank, 12);
  });

  it('sums wei above 2^64 exactly in the weighted degree', async () => {
    const big = 2n ** 64n + 1n;
    const bigger = 2n ** 70n + 3n;
    // A float cannot tell 2^64 + 1 from 2^64: the sum has to stay bigint.
    expect(Number(big)).toBe(Number(2n ** 64n));
    const store = await load(transfers([['A', 'B', big], ['A', 'B', big], ['C', 'B', bigger], ['B', 'D', 1n]]));
    const m = await graphMetrics(store, { address: e('B') });
    expect(node(m, 'B').weightedInDegree).toBe(2n ** 65n + 2n + 2n ** 70n + 3n);
    expect(node(m, 'B').weightedOutDegree).toBe(1n);
    expect(node(m, 'A').weightedOutDegree).toBe(2n ** 65n + 2n);
    expect(m.edgeCount).toBe(3);
  });
});

describe('flow subgraphs', () => {
  it('includes the edges among the outermost level of a neighbourhood', async () => {
    // X pays A and B; A pays B. Radius 1 from X: {X, A, B}, and the A -> B edge makes a triangle.
    const store = await load(transfers([['X', 'A', 2n], ['X', 'B', 2n], ['A', 'B', 1n], ['B', 'Z', 1n]]));
    const sub = await neighbourhoodSubgraph(store, { address: e('X') }, { radius: 1 });
    expect(sub.nodes.map((n) => n.address)).toEqual([e('X'), e('A'), e('B')].sort());
    expect(sub.edges.map((x) => [x.from, x.to, x.value])).toEqual(
      [
        [e('A'), e('B'), 1n],
        [e('X'), e('A'), 2n],
        [e('X'), e('B'), 2n],
      ].sort((p, q) => (`${p[0]}>${p[1]}` < `${q[0]}>${q[1]}` ? -1 : 1)),
    );
    const m = computeGraphMetrics(sub);
    expect(node(m, 'X').clustering).toBe(1);
  });

  it('does not expand through an exchange but keeps it as a node', async () => {
    // X -> E (exchange) -> F: radius 2 from X reaches E but not F.
    const store = await load(transfers([['X', 'E', 2n], ['E', 'F', 1n], ['Y', 'X', 1n]]), [['E', 'exchange']]);
    const sub = await neighbourhoodSubgraph(store, { address: e('X') }, { radius: 2 });
    expect(sub.nodes.map((n) => [n.address, n.level, n.stopped])).toEqual(
      [
        [e('E'), 1, true],
        [e('X'), 0, false],
        [e('Y'), 1, false],
      ].sort((p, q) => (String(p[0]) < String(q[0]) ? -1 : 1)),
    );
    const open = await neighbourhoodSubgraph(store, { address: e('X') }, { radius: 2, stopAtCategories: [] });
    expect(open.nodes.map((n) => n.address)).toContain(e('F'));
  });

  it('cuts a level that does not fit maxNodes to its first addresses by id, or refuses', async () => {
    const store = await load(transfers([['X', 'A', 1n], ['X', 'B', 1n], ['X', 'C', 1n], ['X', 'D', 1n]]));
    const sub = await neighbourhoodSubgraph(store, { address: e('X') }, { radius: 1, maxNodes: 3 });
    const firstTwo = [e('A'), e('B'), e('C'), e('D')].sort().slice(0, 2);
    expect(sub.nodes.map((n) => n.address)).toEqual([e('X'), ...firstTwo].sort());
    expect(sub.truncated?.reason).toBe('max-nodes');
    await expect(neighbourhoodSubgraph(store, { address: e('X') }, { radius: 1, maxNodes: 3, onLimit: 'error' })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    await expect(neighbourhoodSubgraph(store, { address: e('X') }, { maxTransactions: 2, onLimit: 'error' })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    const budget = await neighbourhoodSubgraph(store, { address: e('X') }, { maxTransactions: 2 });
    expect(budget.truncated?.reason).toBe('budget');
    expect(budget.nodes.map((n) => n.address)).toEqual([e('X')]);
  });

  it('refuses bad arguments', async () => {
    const store = await load(transfers([['X', 'A', 1n]]));
    await expect(neighbourhoodSubgraph(store, { address: e('nobody') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(neighbourhoodSubgraph(store, { address: e('X') }, { radius: 5 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    await expect(neighbourhoodSubgraph(store, { address: e('X') }, { radius: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(graphMetrics(store, { address: e('X') }, { alpha: 1 })).rejects.toThrow(/strictly between 0 and 1/);
    await expect(graphMetrics(store, { addresses: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('builds a cluster subgraph from its members and the edges among them', async () => {
    // Members A, B, C; A -> B and B -> C inside, C -> Z outside.
    const store = await load(transfers([['A', 'B', 3n], ['B', 'C', 2n], ['C', 'Z', 1n]]));
    const members = [e('A'), e('B'), e('C')].sort();
    const clusters = {
      size: () => members.length,
      members: (_id: string, page: { offset?: number; limit?: number } = {}) => {
        const offset = page.offset ?? 0;
        const limit = page.limit ?? 100;
        return { items: members.slice(offset, offset + limit), nextOffset: offset + limit < members.length ? offset + limit : null };
      },
    };
    const sub = await clusterSubgraph(store, { clusters, clusterId: members[0]! }, { batchSize: 2 });
    expect(sub.kind).toBe('cluster');
    expect(sub.nodes.map((n) => n.address)).toEqual(members);
    expect(sub.edges.map((x) => [x.from, x.to, x.value])).toEqual(
      [
        [e('A'), e('B'), 3n],
        [e('B'), e('C'), 2n],
      ].sort((p, q) => (String(p[0]) < String(q[0]) ? -1 : 1)),
    );
    // B is the only address between two others: directed betweenness 1 / ((3-1)(3-2)) = 1/2.
    expect(node(computeGraphMetrics(sub), 'B').betweenness).toBeCloseTo(0.5, 12);
  });
});

describe('graph metrics on the demo scenario', () => {
  it('computes the 2-hop neighbourhood of P0 as drawn in seed/demo-laundering.md', async () => {
    const scenario = await readScenarioFile(path.resolve(import.meta.dirname, '../../../seed/demo-laundering.json'));
    const store = await openEmbeddedStore({ dir: ':memory:' });
    stores.push(store);
    for (const b of scenario.blocks) await store.writeBlock(b);
    await store.importLabels(`seed:${scenario.name}`, scenario.labels);
    const m = await graphMetrics(store, { address: scenario.addresses.get('P0')! });
    // Level 1: LAZ (split paid P0), R1 and P1 (peel1). Level 2: MIX1 (split), R2 and P2 (peel2).
    // Edges: LAZ->P0, LAZ->MIX1, P0->R1, P0->P1, P1->R2, P1->P2.
    expect(m.nodes.map((n) => n.address).sort()).toEqual(['P0', 'LAZ', 'R1', 'P1', 'MIX1', 'R2', 'P2'].map((n) => scenario.addresses.get(n)!).sort());
    expect(m.edgeCount).toBe(6);
    const p0 = node(m, 'P0', 'btc');
    expect(p0.weightedInDegree).toBe(2_000_000_000n);
    expect(p0.weightedOutDegree).toBe(100_000_000n + 1_899_990_000n);
    // P0 is on the paths from LAZ to R1, P1, R2 and P2: 4 / ((7-1)(7-2)) = 4/30. Its neighbours are not linked.
    expect(p0.betweenness).toBeCloseTo(4 / 30, 12);
    expect(p0.clustering).toBe(0);
  });
});

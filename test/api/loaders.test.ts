/**
 * DataLoaders keep costs flat: a page of addresses with their labels, clusters, balances and risk costs the
 * same number of store calls for 10 addresses as for 100 (no N+1). The store is wrapped in a Proxy that
 * counts calls per method; the queries run over HTTP.
 *
 * Graph (hand-drawn): coinbase -> S (sanctioned); `fan`: S pays A0..A119 1,000 sat each (less a fee);
 * `sweep`: A0..A119 all pay Z, so the multi-input heuristic puts A0..A119 in one cluster of 120.
 * Distances to S in both directions: every A_i is 1 hop, Z is 2 hops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addr, coinbase, spend, tinyGraph } from '../fixtures/tiny-graph.js';
import type { GraphStore } from '../../src/store/graph-store.js';
import { countingStore, startTestService, type TestService } from './harness.js';

const N = 120;
const names = Array.from({ length: N }, (_, i) => `A${i}`);
let t: TestService;
let counter: ReturnType<typeof countingStore<GraphStore>>;

beforeAll(async () => {
  const g = tinyGraph('btc');
  g.tx('mint', { height: 1, inputs: [coinbase()], outputs: [['S', 200_000n]] });
  g.tx('fan', { height: 2, inputs: [spend('mint', 0)], outputs: names.map((n) => [n, 1_000n] as [string, bigint]) });
  g.tx('sweep', { height: 3, inputs: names.map((_, i) => spend('fan', i)), outputs: [['Z', 110_000n]] });
  t = await startTestService({
    blocks: g.blocks(),
    labels: [
      { source: 'test:sanctions', labels: [{ address: addr('S'), category: 'sanctioned', label: 'test sanctioned', source: 'test:sanctions', confidence: 100, actor: null }] },
      { source: 'test:tags', labels: names.slice(0, 5).map((n) => ({ address: addr(n), category: 'gambling' as const, label: `tag ${n}`, source: 'test:tags', confidence: 80, actor: null })) },
    ],
    wrapStore: (store) => {
      counter = countingStore<GraphStore>(store);
      return counter.store;
    },
  });
});

afterAll(async () => {
  await t?.close();
});

/** Runs a query and returns the store calls it cost, per method. */
async function callsOf(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, number>> {
  await t.app.proximity.idle();
  counter.reset();
  const r = await t.gql(query, { variables });
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  const calls = Object.fromEntries([...counter.calls.entries()].sort());
  if (process.env.SHOW_CALLS) console.log(JSON.stringify(variables).slice(0, 60), calls);
  return calls;
}

const clusterPage = `query($id: String!, $first: Int!) {
  cluster(id: $id) {
    size
    addresses(first: $first) {
      nodes { id labels { category label } cluster { id size } balance { value } txCount risk { score decision factors { name contribution } } }
    }
  }
}`;

describe('a page of addresses costs a constant number of store calls', () => {
  it('cluster members with labels, clusters, balances and risk: 10 and 100 cost the same', async () => {
    const id = addr('A0');
    const ten = await callsOf(clusterPage, { id, first: 10 });
    const hundred = await callsOf(clusterPage, { id, first: 100 });
    expect(hundred).toEqual(ten);
    // The full risk assessment runs a few dozen analytics stages per address; batched, each stage is one
    // read for the whole page, however many addresses it holds.
    expect(ten.getAddresses).toBeGreaterThanOrEqual(1);
    expect(Object.values(hundred).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(60);
  });

  it('returns the page asked for, in address order, with the cluster of 120', async () => {
    const r = await t.gql<{ cluster: { size: number; addresses: { nodes: { id: string; cluster: { size: number } }[] } } }>(clusterPage, { variables: { id: addr('A7'), first: 100 } });
    const sorted = names.map((n) => addr(n)).sort();
    expect(r.body.data!.cluster.size).toBe(N);
    expect(r.body.data!.cluster.addresses.nodes.map((n) => n.id)).toEqual(sorted.slice(0, 100));
    expect(r.body.data!.cluster.addresses.nodes.every((n) => n.cluster.size === N)).toBe(true);
  });

  it('neighbours of an address, each with labels and cluster: 10 and 100 cost the same', async () => {
    const q = `query($id: String!, $first: Int!) { address(id: $id) { neighbours(first: $first) { totalCount nodes { transactionCount address { id labels { category } cluster { id } risk { score } } } } } }`;
    const ten = await callsOf(q, { id: addr('Z'), first: 10 });
    const hundred = await callsOf(q, { id: addr('Z'), first: 100 });
    expect(hundred).toEqual(ten);
    expect(Object.values(hundred).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(60);
  });

  it('the same page with the screening risk instead costs a handful of reads', async () => {
    const q = `query($id: String!, $first: Int!) { address(id: $id) { neighbours(first: $first) { nodes { address { id labels { category } cluster { id } } } } } subgraph(center: $id, hops: 1, limit: $first) { nodes { id risk { score decision } } } }`;
    const ten = await callsOf(q, { id: addr('Z'), first: 10 });
    const hundred = await callsOf(q, { id: addr('Z'), first: 100 });
    expect(hundred).toEqual(ten);
    expect(Object.values(hundred).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10);
  });

  it("the screening decision reads no labels of the cluster's other members", async () => {
    const q = `query($addresses: [String!]!) { screen(addresses: $addresses) { decision risk { factors { name explanation } } } }`;
    // A100 sits in the cluster of 120 whose members A0..A4 carry gambling labels; Z is a cluster of its own.
    const inCluster = await callsOf(q, { addresses: [addr('A100')] });
    const alone = await callsOf(q, { addresses: [addr('Z')] });
    expect(inCluster).toEqual(alone);
    const r = await t.gql<{ screen: { risk: { factors: { name: string; explanation: string }[] } }[] }>(q, { variables: { addresses: [addr('A100')] } });
    const factor = r.body.data!.screen[0]!.risk.factors.find((f) => f.name === 'cluster_labels')!;
    expect(factor.explanation).toBe(`its cluster ${names.map((n) => addr(n)).sort()[0]} (${N} addresses) is labelled gambling (severity 20%)`);
  });

  it('transactions of addresses in a page: one flows read for the whole page', async () => {
    const q = `query($id: String!, $first: Int!) { cluster(id: $id) { addresses(first: $first) { nodes { transactions(first: 5) { nodes { direction transaction { id fee { value } } } } } } } }`;
    const ten = await callsOf(q, { id: addr('A0'), first: 10 });
    const hundred = await callsOf(q, { id: addr('A0'), first: 100 });
    expect(hundred).toEqual(ten);
    expect(ten.getFlows).toBe(1);
    expect(ten.getTransactions).toBe(1);
  });

  it('screening 10 or 100 addresses with evidence paths costs the same reads', async () => {
    const q = `query($addresses: [String!]!) { screen(addresses: $addresses) { distance decision risk { score } targets { address } paths { addresses hops { transaction } } } }`;
    const ten = await callsOf(q, { addresses: names.slice(0, 10).map((n) => addr(n)) });
    const hundred = await callsOf(q, { addresses: names.slice(0, 100).map((n) => addr(n)) });
    expect(hundred).toEqual(ten);
    expect(Object.values(hundred).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(8);
  });
});

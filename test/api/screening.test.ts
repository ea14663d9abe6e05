/**
 * `screen` over HTTP on the demo scenario:
 * - distances in direction IN match the hand-computed ground truth of seed/demo-laundering.md;
 * - the batched evidence walk (src/api/graph/shortest-evidence.ts) gives, address by address and in every
 *   direction, exactly what ProximityIndex.screen (an independent implementation in the analytics) gives:
 *   distance, targets, and the first ten shortest paths with their evidence;
 * - other categories (fresh search), addresses the graph does not know, labelled-only addresses,
 *   duplicates and input order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/ingest/scenario/load-scenario.js';
import { addr } from '../fixtures/tiny-graph.js';
import { loadDemoScenario, startTestService, type TestService } from './harness.js';

let t: TestService;
let s: Scenario;
const a = (name: string) => s.addresses.get(name)!;
/** A valid address with no transaction and a sanctioned label only (an OFAC list entry never seen on chain). */
const LISTED = addr('LISTED_ONLY');
/** A valid address the store has never heard of. */
const STRANGER = addr('NEVER_SEEN');

interface Result {
  input: string;
  addressId: string;
  known: boolean;
  distance: number | null;
  decision: string;
  targets: { address: string; categories: string[]; labels: string[] }[];
  paths: { addresses: string[]; hops: { transaction: string; from: string; to: string; sent: { value: string } | null; received: { value: string }; otherTransactions: number }[] }[];
}

const SCREEN = `query($list: [String!]!, $direction: FlowDirection, $categories: [Category!]) {
  screen(addresses: $list, direction: $direction, maxHops: 10, categories: $categories) {
    input addressId known distance decision
    targets { address categories labels }
    paths(first: 10) { addresses hops { transaction from to sent { value } received { value } otherTransactions } }
  }
}`;

async function screen(list: string[], direction = 'BOTH', categories?: string[]): Promise<Result[]> {
  const r = await t.gql<{ screen: Result[] }>(SCREEN, { role: 'screening', variables: { list, direction, ...(categories ? { categories } : {}) } });
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  return r.body.data!.screen;
}

beforeAll(async () => {
  s = await loadDemoScenario();
  t = await startTestService({
    blocks: s.blocks,
    labels: [
      { source: `seed:${s.name}`, labels: s.labels },
      { source: 'test:list', labels: [{ address: LISTED, category: 'sanctioned', label: 'listed, never seen', source: 'test:list', confidence: 100, actor: null }] },
    ],
  });
});

afterAll(async () => {
  await t?.close();
});

describe('screen', () => {
  it('finds the hop distances of seed/demo-laundering.md following incoming funds', async () => {
    // Ground truth (seed/demo-laundering.md, "Hop distance to the sanctioned LAZ, following incoming funds").
    const expected: Record<string, number> = {
      LAZ: 0, P0: 1, MIX1: 1, P1: 2, R1: 2, P2: 3, R2: 3, P3: 4, EX_D1: 4, P4: 5, R4: 5, P5: 6, R5: 6, P6: 7, R6: 7, C1: 2, MIX2: 2, EX_D2: 3, EX_HOT: 4,
    };
    const names = Object.keys(expected);
    const results = await screen(names.map(a), 'IN');
    expect(Object.fromEntries(results.map((r, i) => [names[i], r.distance]))).toEqual(expected);
    expect(results.every((r) => r.targets.length === 1 && r.targets[0]!.address === a('LAZ') && r.targets[0]!.categories.join() === 'SANCTIONED')).toBe(true);
  });

  it('shows C1 its evidence: C1 <- MIX1 (mixout, 100,000,000 sat) <- LAZ (split, 7,999,990,000 sat)', async () => {
    const [c1] = await screen([a('C1')], 'IN');
    expect(c1!.paths).toEqual([
      {
        addresses: [a('C1'), a('MIX1'), a('LAZ')],
        hops: [
          { transaction: s.graph.txs.get('mixout')!.id, from: a('MIX1'), to: a('C1'), sent: { value: '7999990000' }, received: { value: '100000000' }, otherTransactions: 0 },
          { transaction: s.graph.txs.get('split')!.id, from: a('LAZ'), to: a('MIX1'), sent: { value: '10000000000' }, received: { value: '7999990000' }, otherTransactions: 0 },
        ],
      },
    ]);
  });

  it.each(['in', 'out', 'both'] as const)('gives what ProximityIndex.screen gives, address by address, direction %s', async (direction) => {
    const all = [...s.addresses.values()];
    const results = await screen(all, direction.toUpperCase());
    for (const [i, address] of all.entries()) {
      const ref = await t.app.proximity.screen(address, { direction, maxPaths: 10, maxHops: 10 });
      const got = results[i]!;
      expect(got.distance, address).toBe(ref.distance);
      expect(got.targets).toEqual(ref.targets.map((x) => ({ address: x.address, categories: x.categories.map((c) => c.toUpperCase()), labels: x.labels })));
      expect(got.paths).toEqual(
        ref.paths.map((p) => ({
          addresses: p.addresses,
          hops: p.hops.map((h) => ({ transaction: h.txId, from: h.from, to: h.to, sent: h.sent === null ? null : { value: String(h.sent) }, received: { value: String(h.received) }, otherTransactions: h.otherTxs })),
        })),
      );
    }
  });

  it('screens other categories with a fresh search: distance to the mixer, following incoming funds', async () => {
    // MIX1 -> (mixout) -> C1 -> (dep1..4) -> EX_D2; MIX1 -> (mixout) -> MIX2. P0 and LAZ get nothing from MIX1.
    const names = ['MIX1', 'C1', 'MIX2', 'EX_D2', 'P0', 'LAZ'];
    const results = await screen(names.map(a), 'IN', ['MIXER']);
    expect(results.map((r) => r.distance)).toEqual([0, 1, 1, 2, null, null]);
    expect(results[1]!.paths[0]!.addresses).toEqual([a('C1'), a('MIX1')]);
  });

  it('answers for addresses the graph does not know, and for sanctioned addresses never seen on chain', async () => {
    const [stranger, listed] = await screen([STRANGER, LISTED]);
    expect(stranger).toMatchObject({ addressId: STRANGER, known: false, distance: null, targets: [], paths: [], decision: 'APPROVE' });
    expect(listed).toMatchObject({ addressId: LISTED, known: true, distance: 0, decision: 'REJECT', paths: [{ addresses: [LISTED], hops: [] }] });
    expect(listed!.targets).toEqual([{ address: LISTED, categories: ['SANCTIONED'], labels: ['listed, never seen'] }]);
  });

  it('keeps the input order and repeats, and accepts bare addresses', async () => {
    const bare = a('C1').slice('btc:'.length);
    const results = await screen([a('LAZ'), bare, a('LAZ')]);
    expect(results.map((r) => [r.input, r.addressId, r.distance])).toEqual([
      [a('LAZ'), a('LAZ'), 0],
      [bare, a('C1'), 2],
      [a('LAZ'), a('LAZ'), 0],
    ]);
  });

  it('decides from the risk bands: the sanctioned address itself is rejected', async () => {
    const [laz] = await screen([a('LAZ')]);
    expect(laz!.decision).toBe('REJECT');
    const r = await t.gql<{ screen: { risk: { score: number; decision: string; assessment: string; factors: { name: string; contribution: number }[] } }[] }>(
      `{ screen(addresses: ["${a('LAZ')}"]) { risk { score decision assessment factors { name contribution } } } }`,
      { role: 'screening' },
    );
    const risk = r.body.data!.screen[0]!.risk;
    expect(risk.assessment).toBe('SCREENING');
    expect(risk.factors.reduce((sum, f) => sum + f.contribution, 0)).toBe(risk.score);
    expect(risk.score).toBe(100);
  });
});

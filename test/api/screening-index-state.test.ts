/**
 * `screen` says which state of the screening index it read (`indexVersion`, `indexStale`), and /healthz
 * reports the same: a store whose transaction reads fail (injected into the real store the app sees) makes a
 * block update fail; the index then answers from its last good state, marked stale, until its rebuild from
 * the store succeeds.
 *
 * Graph (hand-drawn): coinbase -> S (sanctioned) at height 1, S -> A at height 2; block 3 adds A -> B.
 * Distances to S in both directions: A 1 hop, B 2 hops once block 3 is in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addr, coinbase, spend, tinyGraph } from '../fixtures/tiny-graph.js';
import type { GraphStore } from '../../src/store/graph-store.js';
import { startTestService, type TestService } from './harness.js';

let t: TestService;
let failing = false;
const g = tinyGraph('btc');
g.tx('mint', { height: 1, inputs: [coinbase()], outputs: [['S', 50_000n]] });
g.tx('pay', { height: 2, inputs: [spend('mint', 0)], outputs: [['A', 40_000n]] });
g.tx('on', { height: 3, inputs: [spend('pay', 0)], outputs: [['B', 30_000n]] });
const [b1, b2, b3] = g.blocks();

beforeAll(async () => {
  t = await startTestService({
    blocks: [b1!, b2!],
    labels: [{ source: 'test:sanctions', labels: [{ address: addr('S'), category: 'sanctioned', label: 'test sanctioned', source: 'test:sanctions', confidence: 100, actor: null }] }],
    wrapStore: (store) =>
      new Proxy(store, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if (prop === 'getTransactions') {
            return (ids: string[]) => (failing ? Promise.reject(new Error('injected fault: getTransactions')) : target.getTransactions(ids));
          }
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }) as GraphStore,
  });
});

afterAll(async () => {
  failing = false;
  await t?.close();
});

interface Screened {
  distance: number | null;
  indexVersion: number;
  indexStale: boolean;
}

async function screen(name: string): Promise<Screened> {
  const r = await t.gql<{ screen: Screened[] }>(`query($a: [String!]!) { screen(addresses: $a) { distance indexVersion indexStale } }`, { role: 'screening', variables: { a: [addr(name)] } });
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  return r.body.data!.screen[0]!;
}

async function health(): Promise<{ status: number; body: { ok: boolean; screeningIndex: { version: number; stale: boolean } } }> {
  const res = await fetch(new URL('/healthz', t.url));
  return { status: res.status, body: (await res.json()) as { ok: boolean; screeningIndex: { version: number; stale: boolean } } };
}

describe('screening index state', () => {
  it('counts applied updates, marks a failed one stale, and clears it when the rebuild is in', async () => {
    const before = await screen('A');
    expect(before).toMatchObject({ distance: 1, indexStale: false });
    const v = before.indexVersion;

    // One label change applied: one more version.
    await t.store.addLabel({ address: addr('A'), category: 'gambling', label: 'a casino', source: 'test', confidence: 80, actor: null });
    await t.app.proximity.idle();
    expect(await screen('A')).toEqual({ distance: 1, indexVersion: v + 1, indexStale: false });
    expect(await health()).toEqual({ status: 200, body: expect.objectContaining({ ok: true, screeningIndex: { version: v + 1, stale: false } }) });

    failing = true;
    await t.store.writeBlock(b3!);
    await t.app.proximity.idle();
    // Block 3 failed: B is known to the store but not to the stale index; A still answers.
    expect(await screen('A')).toEqual({ distance: 1, indexVersion: v + 1, indexStale: true });
    expect(await screen('B')).toEqual({ distance: null, indexVersion: v + 1, indexStale: true });
    expect(await health()).toEqual({ status: 200, body: expect.objectContaining({ ok: true, screeningIndex: { version: v + 1, stale: true } }) });

    failing = false;
    await t.app.proximity.settled(); // the next rebuild attempt (after about a second) succeeds
    expect(await screen('B')).toEqual({ distance: 2, indexVersion: v + 2, indexStale: false });
    expect((await health()).body.screeningIndex).toEqual({ version: v + 2, stale: false });
  });
});

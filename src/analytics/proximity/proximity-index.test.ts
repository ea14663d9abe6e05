import { afterEach, describe, expect, it } from 'vitest';
import type { AddressId } from '../../model/address.js';
import type { StoredLabel } from '../../model/label.js';
import type { ChainKey } from '../../model/chain.js';
import type { Category } from '../../model/label.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import type { FlowQuery, GraphChange, GraphReader, GraphStore } from '../../store/graph-store.js';
import { prng } from '../../../test/fixtures/prng.js';
import { addr, coinbase, spend, tinyGraph, type TinyGraph } from '../../../test/fixtures/tiny-graph.js';
import { hopDistance } from './hop-distance.js';
import type { ProximityDirection } from './neighbourhood.js';
import { ProximityIndex } from './proximity-index.js';

const stores: GraphStore[] = [];
const indexes: ProximityIndex[] = [];
afterEach(async () => {
  for (const i of indexes.splice(0)) i.close();
  for (const s of stores.splice(0)) await s.close();
});

async function open(): Promise<GraphStore> {
  const store = await openEmbeddedStore({ dir: ':memory:' });
  stores.push(store);
  return store;
}

/**
 * The reference: a plain breadth-first search from one address over the edge list the test generated,
 * written without the code under test. An edge is a transfer of value >= 1 in a successful transaction
 * between two different addresses. It expands the start and every reached address that is neither a
 * target nor a stop; the first level holding a target is the distance.
 */
function plainDistance(
  edges: readonly { from: string; to: string }[],
  targets: ReadonlySet<string>,
  stops: ReadonlySet<string>,
  start: string,
  direction: ProximityDirection,
  maxHops: number,
): number | null {
  if (targets.has(start)) return 0;
  const seen = new Set([start]);
  let frontier = [start];
  for (let d = 1; d <= maxHops; d++) {
    const next: string[] = [];
    for (const x of frontier) {
      for (const e of edges) {
        const ys: string[] = [];
        if (direction !== 'in' && e.from === x) ys.push(e.to);
        if (direction !== 'out' && e.to === x) ys.push(e.from);
        for (const y of ys) {
          if (seen.has(y)) continue;
          seen.add(y);
          if (targets.has(y)) return d;
          if (!stops.has(y)) next.push(y);
        }
      }
    }
    frontier = next;
  }
  return null;
}

interface World {
  g: TinyGraph;
  names: string[];
  edges: { from: string; to: string }[];
  height: number;
  txCount: number;
}

/** Adds `count` random transfers in one new block; about one in eight is zero-value or failed (no edge). */
function randomBlock(w: World, rand: () => number, count: number): void {
  w.height += 1;
  for (let i = 0; i < count; i++) {
    const from = w.names[Math.floor(rand() * w.names.length)]!;
    let to = w.names[Math.floor(rand() * w.names.length)]!;
    if (to === from) to = w.names[(w.names.indexOf(from) + 1) % w.names.length]!;
    const kind = rand();
    const name = `x${w.txCount++}`;
    if (kind < 0.06) {
      w.g.transfer(name, from, to, 0n, w.height);
    } else if (kind < 0.12) {
      w.g.tx(name, { height: w.height, status: 'failed', inputs: [{ kind: 'account', name: from, value: 3n }], outputs: [[to, 3n]] });
    } else {
      w.g.transfer(name, from, to, BigInt(1 + Math.floor(rand() * 9)), w.height);
      w.edges.push({ from: addr(from, 'eth'), to: addr(to, 'eth') });
    }
  }
}

async function writeNew(store: GraphStore, w: World, fromHeight: number): Promise<void> {
  for (const b of w.g.blocks()) if (b.height > fromHeight) await store.writeBlock(b);
}

const DIRS: ProximityDirection[] = ['out', 'in', 'both'];

type ReadMethod = keyof GraphReader;

/**
 * A real store with injected faults: every read is the embedded store's, except the planned calls, which
 * throw or wait for the test to release them. Calls are counted per method from 1.
 */
class FaultyStore implements GraphReader {
  private readonly calls = new Map<ReadMethod, number>();
  private readonly plan = new Map<string, { gate: Promise<void> | null; reached: () => void }>();
  constructor(private readonly inner: GraphStore) {}

  /** The `later`-th next call of `method` (1: the next one) throws. */
  failNext(method: ReadMethod, later = 1): void {
    this.plan.set(`${method}#${(this.calls.get(method) ?? 0) + later}`, { gate: null, reached: () => {} });
  }

  /** The `later`-th next call of `method` waits for `release()`; `reached` resolves when it starts waiting. */
  holdNext(method: ReadMethod, later = 1): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started = new Promise<void>((r) => (reached = r));
    this.plan.set(`${method}#${(this.calls.get(method) ?? 0) + later}`, { gate, reached });
    return { reached: started, release };
  }

  private async call<T>(method: ReadMethod, read: () => Promise<T>): Promise<T> {
    const n = (this.calls.get(method) ?? 0) + 1;
    this.calls.set(method, n);
    const step = this.plan.get(`${method}#${n}`);
    if (step && step.gate === null) throw new Error(`injected fault: ${method} call ${n}`);
    if (step) {
      step.reached();
      await step.gate;
    }
    return read();
  }

  getTransactions(ids: readonly string[]) {
    return this.call('getTransactions', () => this.inner.getTransactions(ids));
  }
  getAddresses(ids: readonly AddressId[]) {
    return this.call('getAddresses', () => this.inner.getAddresses(ids));
  }
  getFlows(ids: readonly AddressId[], query?: FlowQuery) {
    return this.call('getFlows', () => this.inner.getFlows(ids, query));
  }
  getLabels(ids: readonly AddressId[]) {
    return this.call('getLabels', () => this.inner.getLabels(ids));
  }
  findAddressesByCategory(categories: readonly Category[]) {
    return this.call('findAddressesByCategory', () => this.inner.findAddressesByCategory(categories));
  }
  blockHeight(chain: ChainKey, hash: string) {
    return this.call('blockHeight', () => this.inner.blockHeight(chain, hash));
  }
  findTransactionsByHeight(chain: ChainKey, from: number, to: number) {
    return this.call('findTransactionsByHeight', () => this.inner.findTransactionsByHeight(chain, from, to));
  }
  stats() {
    return this.call('stats', () => this.inner.stats());
  }
  onChange(listener: (change: GraphChange) => void): () => void {
    return this.inner.onChange(listener);
  }
}

/** Every distance of `index` against a fresh build over the same store, and the sizes. */
async function expectEqualToFreshBuild(index: ProximityIndex, store: GraphStore, names: readonly string[], options: { maxHops?: number } = {}): Promise<void> {
  const fresh = await ProximityIndex.build(store, options);
  indexes.push(fresh);
  for (const name of names) {
    for (const dir of DIRS) expect(index.distance(addr(name, 'eth'), dir), `${name} ${dir}`).toBe(fresh.distance(addr(name, 'eth'), dir));
  }
  const { addresses, edges, targets, stops } = fresh.stats();
  expect(index.stats()).toMatchObject({ addresses, edges, targets, stops });
}

describe('ProximityIndex', () => {
  it('answers the hand-drawn graph like hopDistance, with paths and evidence', async () => {
    const store = await open();
    const g = tinyGraph('eth');
    g.transfer('a1', 'A', 'B', 5n, 1);
    g.transfer('a2', 'B', 'C', 5n, 2);
    g.transfer('a3', 'C', 'S', 5n, 3);
    g.transfer('a4', 'A', 'E', 10n, 4);
    g.transfer('a5', 'E', 'S', 1n, 5);
    g.transfer('a8', 'A', 'G', 1n, 8);
    g.transfer('a9', 'G', 'C', 1n, 9);
    for (const b of g.blocks()) await store.writeBlock(b);
    await store.addLabel({ address: addr('S', 'eth'), category: 'sanctioned', label: 'S', source: 'test', confidence: 100, actor: null });
    await store.addLabel({ address: addr('E', 'eth'), category: 'exchange', label: 'E', source: 'test', confidence: 100, actor: null });
    const index = await ProximityIndex.build(store);
    indexes.push(index);
    expect(index.distance(addr('A', 'eth'), 'out')).toBe(3); // not 2: E is a stop point
    expect(index.distance(addr('E', 'eth'), 'out')).toBe(1); // a stop point can be screened itself
    expect(index.distance(addr('S', 'eth'), 'in')).toBe(0);
    const screened = await index.screen(addr('A', 'eth'), { direction: 'out' });
    const fresh = await hopDistance(store, addr('A', 'eth'), { direction: 'out' });
    expect(screened.distance).toBe(3);
    expect(screened.paths).toEqual(fresh.paths);
    expect(screened.targets).toEqual(fresh.targets);
  });

  it('refuses bad screening arguments', async () => {
    const store = await open();
    const g = tinyGraph('eth');
    g.transfer('a1', 'A', 'B', 5n, 1);
    for (const b of g.blocks()) await store.writeBlock(b);
    const index = await ProximityIndex.build(store);
    indexes.push(index);
    await expect(index.screen(addr('A', 'eth'), { maxHops: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(index.screen(addr('A', 'eth'), { maxHops: 7 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    await expect(index.screen(addr('nobody', 'eth'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ProximityIndex.build(store, { maxHops: 11 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(index.distance(addr('A', 'eth'))).toBeNull();
  });

  it('picks up edges that an out-of-order block resolves later', async () => {
    const store = await open();
    // t2 (height 2) spends t0 (height 1), but arrives first: its input's address and value are unknown.
    const g = tinyGraph('btc');
    g.tx('t0', { height: 1, inputs: [coinbase()], outputs: [['M', 10n]] });
    g.tx('t2', { height: 2, inputs: [spend('t0', 0)], outputs: [['U', 10n]] });
    const [b1, b2] = g.blocks();
    const unresolved = b2!.transactions[0]!;
    unresolved.inputs = unresolved.inputs.map((i) => ({ ...i, address: null, value: null, addressSource: undefined }));
    unresolved.fee = null;
    await store.writeBlock(b2!);
    await store.addLabel({ address: addr('M'), category: 'sanctioned', label: 'M', source: 'test', confidence: 100, actor: null });
    const index = await ProximityIndex.build(store);
    indexes.push(index);
    expect(index.distance(addr('U'), 'in')).toBeNull();
    await store.writeBlock(b1!); // resolves t2's input to M
    await index.idle();
    expect(index.distance(addr('U'), 'in')).toBe(1);
    expect(index.distance(addr('U'), 'out')).toBeNull();
  });

  it('keeps screening from the last good state while a failed block update is rebuilt, then catches up', async () => {
    const store = await open();
    const faulty = new FaultyStore(store);
    const g = tinyGraph('eth');
    const sanction = (name: string) =>
      store.addLabel({ address: addr(name, 'eth'), category: 'sanctioned', label: name, source: 'test', confidence: 100, actor: null });
    const writeHeight = async (h: number) => {
      for (const b of g.blocks()) if (b.height === h) await store.writeBlock(b);
    };
    g.transfer('a1', 'S', 'X', 5n, 1);
    g.transfer('a2', 'C', 'D', 5n, 2);
    await writeHeight(1);
    await writeHeight(2);
    await sanction('S');
    const logs: string[] = [];
    const index = await ProximityIndex.build(faulty, { log: (l) => logs.push(l) });
    indexes.push(index);
    const v0 = index.stats().version;
    expect(index.stats().stale).toBe(false);

    // Block 3 (X -> A, A -> B) fails to read; the rebuild it starts is held at its first transaction read.
    faulty.failNext('getTransactions', 1);
    const held = faulty.holdNext('getTransactions', 2);
    g.transfer('a3', 'X', 'A', 5n, 3);
    g.transfer('a4', 'A', 'B', 5n, 3);
    await writeHeight(3);
    await index.idle(); // does not throw
    await held.reached;
    expect(index.stats()).toMatchObject({ stale: true, version: v0 });
    expect(logs.join('\n')).toMatch(/applying block eth 3 \(2 transactions\) failed: injected fault: getTransactions/);

    // Block 4 (C -> S) lands while the rebuild runs: applied to the old state at once.
    g.transfer('a5', 'C', 'S', 5n, 4);
    await writeHeight(4);
    await index.idle();
    expect(index.stats()).toMatchObject({ stale: true, version: v0 + 1 });
    const during = await index.screen(addr('C', 'eth'), { direction: 'out' });
    expect([during.distance, during.stale, during.indexVersion]).toEqual([1, true, v0 + 1]);
    const behind = await index.screen(addr('A', 'eth'), { direction: 'in' });
    expect([behind.distance, behind.stale]).toEqual([null, true]); // block 3 is missing from the old state

    held.release();
    await index.settled();
    expect(index.stats()).toMatchObject({ stale: false, version: v0 + 2 });
    // By hand: S -> X -> A -> B following incoming funds; C -> S; D <- C -> S in either direction.
    expect(index.distance(addr('A', 'eth'), 'in')).toBe(2);
    expect(index.distance(addr('B', 'eth'), 'in')).toBe(3);
    expect(index.distance(addr('C', 'eth'), 'out')).toBe(1); // block 4 reached the rebuilt state too
    expect(index.distance(addr('D', 'eth'), 'both')).toBe(2);
    const after = await index.screen(addr('B', 'eth'), { direction: 'in' });
    expect([after.distance, after.stale, after.paths[0]!.addresses]).toEqual([3, false, ['B', 'A', 'X', 'S'].map((n) => addr(n, 'eth'))]);
    await expectEqualToFreshBuild(index, store, ['S', 'X', 'A', 'B', 'C', 'D']);
    expect(logs.at(-1)).toMatch(/rebuilt from the store/);

    // A second failure, right after the first rebuild, starts another one.
    faulty.failNext('getTransactions', 1);
    g.transfer('a6', 'B', 'E', 5n, 5);
    await writeHeight(5);
    await index.idle();
    expect(index.stats().stale).toBe(true);
    await index.settled();
    expect(index.stats().stale).toBe(false);
    expect(index.distance(addr('E', 'eth'), 'in')).toBe(4);
    await expectEqualToFreshBuild(index, store, ['S', 'X', 'A', 'B', 'C', 'D', 'E']);
  });

  it('rebuilds after a failed label update, retrying a rebuild that fails too', async () => {
    const store = await open();
    const faulty = new FaultyStore(store);
    const g = tinyGraph('eth');
    g.transfer('a1', 'A', 'B', 5n, 1);
    g.transfer('a2', 'B', 'C', 5n, 2);
    for (const b of g.blocks()) await store.writeBlock(b);
    const logs: string[] = [];
    const index = await ProximityIndex.build(faulty, { log: (l) => logs.push(l), rebuildRetryMs: 5 });
    indexes.push(index);
    expect(index.distance(addr('A', 'eth'), 'out')).toBeNull();

    faulty.failNext('getLabels', 1); // the label update
    faulty.failNext('findAddressesByCategory', 1); // the first rebuild attempt
    await store.addLabel({ address: addr('C', 'eth'), category: 'sanctioned', label: 'C', source: 'test', confidence: 100, actor: null });
    await index.idle();
    expect(index.stats().stale).toBe(true);
    const stale = await index.screen(addr('A', 'eth'), { direction: 'out' });
    expect([stale.distance, stale.stale]).toEqual([null, true]);

    await index.settled();
    expect(index.stats().stale).toBe(false);
    expect(index.distance(addr('A', 'eth'), 'out')).toBe(2);
    expect(logs.some((l) => /a label change on 1 address failed/.test(l))).toBe(true);
    expect(logs.some((l) => /rebuild attempt 1 failed: injected fault: findAddressesByCategory/.test(l))).toBe(true);
    expect(logs.at(-1)).toMatch(/rebuilt from the store \(attempt 2\)/);
    await expectEqualToFreshBuild(index, store, ['A', 'B', 'C']);
  });

  for (const [seed, size] of [
    [1, 18],
    [7, 25],
    [42, 30],
    [2024, 90], // large enough that big affected regions fall back to a full recomputation
  ] as const) {
    it(`matches a plain BFS on a random graph after blocks and label changes (seed ${seed}, ${size} addresses)`, async () => {
      const rand = prng(seed);
      const store = await open();
      const w: World = { g: tinyGraph('eth'), names: Array.from({ length: size }, (_, i) => `n${i}`), edges: [], height: 0, txCount: 0 };
      for (let i = 0; i < 3; i++) randomBlock(w, rand, Math.ceil(size * 0.5));
      await writeNew(store, w, 0);
      const active: { label: StoredLabel; category: 'sanctioned' | 'exchange' }[] = [];
      const label = async (category: 'sanctioned' | 'exchange'): Promise<void> => {
        const name = w.names[Math.floor(rand() * w.names.length)]!;
        const stored = await store.addLabel({ address: addr(name, 'eth'), category, label: `${category} ${name}`, source: 'test', confidence: 100, actor: null });
        // addLabel is idempotent: the same label twice is one label
        if (!active.some((x) => x.label.id === stored.id)) active.push({ label: stored, category });
      };
      await label('sanctioned');
      await label('sanctioned');
      await label('exchange');
      await label('exchange');

      const index = await ProximityIndex.build(store, { maxHops: 4 });
      indexes.push(index);

      const check = async (step: string): Promise<void> => {
        await index.idle();
        const targets = new Set(active.filter((x) => x.category === 'sanctioned').map((x) => x.label.address as string));
        const stops = new Set(active.filter((x) => x.category === 'exchange').map((x) => x.label.address as string));
        for (const name of w.names) {
          const id: AddressId = addr(name, 'eth');
          for (const dir of DIRS) {
            const expected = plainDistance(w.edges, targets, stops, id, dir, 4);
            expect(index.distance(id, dir), `${step}: ${name} ${dir}`).toBe(expected);
          }
        }
        // A few full screenings against the fresh traversal: distance, targets and the paths themselves.
        for (let k = 0; k < 3; k++) {
          const name = w.names[Math.floor(rand() * w.names.length)]!;
          const dir = DIRS[Math.floor(rand() * 3)]!;
          const known = await store.getAddresses([addr(name, 'eth')]);
          if (!known.has(addr(name, 'eth'))) continue;
          const fresh = await hopDistance(store, addr(name, 'eth'), { direction: dir, maxHops: 4 });
          const screened = await index.screen(addr(name, 'eth'), { direction: dir });
          expect([screened.distance, screened.targets, screened.paths], `${step}: screen ${name} ${dir}`).toEqual([fresh.distance, fresh.targets, fresh.paths]);
        }
      };

      await check('after build');
      for (let step = 0; step < 12; step++) {
        const action = rand();
        if (action < 0.4) {
          const before = w.height;
          randomBlock(w, rand, 1 + Math.floor(rand() * 4));
          await writeNew(store, w, before);
        } else if (action < 0.6) {
          await label('sanctioned');
        } else if (action < 0.7) {
          await label('exchange');
        } else if (active.length > 0) {
          const [gone] = active.splice(Math.floor(rand() * active.length), 1);
          await store.removeLabel(gone!.label.id);
        }
        await check(`step ${step}`);
      }
    });
  }
});

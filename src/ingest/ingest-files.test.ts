import { afterEach, describe, expect, it } from 'vitest';
import { AriadneError } from '../errors.js';
import type { Block } from '../model/transaction.js';
import { openEmbeddedStore, type EmbeddedStore } from '../store/embedded/embedded-store.js';
import type { WriteBlockResult } from '../store/graph-store.js';
import { coinbase, spend, tinyGraph } from './scenario/tiny-graph.js';
import { BlockBatcher } from './ingest-files.js';

let store: EmbeddedStore | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});

/** Heights 1-4; the transaction at height 3 creates 60 from an input of 50 (a fee of -10), which any store refuses. */
function chain(): Block[] {
  const g = tinyGraph('btc');
  g.tx('c1', { height: 1, inputs: [coinbase()], outputs: [['A', 50n]] });
  g.tx('c2', { height: 2, inputs: [coinbase()], outputs: [['B', 20n]] });
  g.tx('bad', { height: 3, inputs: [spend('c1', 0)], outputs: [['C', 60n]] });
  g.tx('t4', { height: 4, inputs: [spend('c2', 0)], outputs: [['D', 19n]] });
  return g.blocks();
}

describe('BlockBatcher', () => {
  it('writes a refused batch again block by block: the good blocks load, the bad one is reported', async () => {
    store = await openEmbeddedStore({ dir: ':memory:' });
    const written: WriteBlockResult[] = [];
    const failed: AriadneError[] = [];
    const batcher = new BlockBatcher(store, (r) => written.push(r), (e) => failed.push(e), 1_000);
    for (const block of chain()) expect(batcher.add(block)).toBe(false);
    expect(await batcher.flush()).toBe(true);
    expect(written.map((r) => r.height)).toEqual([1, 2, 4]);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('fee must be a non-negative bigint') });
    expect(failed[0]!.context.block).toContain(':3:');
    const stats = await store.stats();
    expect(stats).toMatchObject({ blocks: 3, transactions: 3 });
    // t4 (height 4) resolved its input from c2 and paid a fee of 20 - 19.
    expect(written[2]).toMatchObject({ resolvedInputs: 1, fees: 1n });
    expect(await batcher.flush()).toBe(false);
  });

  it('asks for a flush once the queued blocks hold the batch size in transactions', async () => {
    store = await openEmbeddedStore({ dir: ':memory:' });
    const written: WriteBlockResult[] = [];
    const batcher = new BlockBatcher(store, (r) => written.push(r), () => undefined, 2);
    const [b1, b2] = chain();
    expect(batcher.add(b1!)).toBe(false);
    expect(batcher.add(b2!)).toBe(true);
    await batcher.flush();
    expect(written.map((r) => [r.height, r.written])).toEqual([
      [1, true],
      [2, true],
    ]);
  });
});

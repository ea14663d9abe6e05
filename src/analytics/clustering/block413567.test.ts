/**
 * Real data: Bitcoin block 413,567 with its prevouts (shared/data/bitcoin). The block is ingested by the
 * Bitcoin adapter into the embedded store and clustered by ClusterIndex; the result is compared with an
 * independent implementation (test/fixtures/reference-clustering.ts), which reads the raw block bytes and the prevouts CSV itself
 * (own varint and transaction parser, own CoinJoin rule, own union-find) and uses the spent script as the
 * address stand-in.
 *
 * The one place where the stand-in needs the address model's semantics: scripts that have no address (bare
 * multisig, OP_RETURN, non-standard) are "unknown address" inputs, and a P2PK script stands for the P2PKH
 * script of its key (the adapter gives P2PK outputs the P2PKH address of the key, as block explorers do).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressId } from '../../model/address.js';
import type { GraphStore } from '../../store/graph-store.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import { loadPrevoutsCsv, readBitcoinFile } from '../../ingest/bitcoin/index.js';
import { ClusterIndex } from './cluster-index.js';
import { independentClusters, parseRawBlock, readPrevoutScripts } from '../../../test/fixtures/reference-clustering.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RAW = path.resolve(repoRoot, '../shared/data/bitcoin/block413567.raw');
const CSV = path.resolve(repoRoot, '../shared/data/bitcoin/block413567-prevouts.csv');

// ------------------------------------------------------------------ the test

describe('clustering block 413,567 (real data)', () => {
  let store: GraphStore;
  let index: ClusterIndex;
  let inputAddresses: AddressId[];

  beforeAll(async () => {
    store = await openEmbeddedStore({ dir: ':memory:' });
    const prevouts = await loadPrevoutsCsv(CSV);
    for await (const item of readBitcoinFile(RAW, { prevouts })) {
      if ('total' in item) continue;
      if (!item.ok) throw item.error;
      await store.writeBlock(item.block);
    }
    const ids = await store.findTransactionsByHeight('btc', 0, 10_000_000);
    index = await ClusterIndex.build(store, ids);
    const txs = await store.getTransactions(ids);
    inputAddresses = [...new Set([...txs.values()].flatMap((t) => t.inputs.map((i) => i.address).filter((a): a is AddressId => a !== null)))];
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  const expected = independentClusters(parseRawBlock(readFileSync(RAW)), readPrevoutScripts(CSV));

  it('the independent parser agrees with the data README (1,557 transactions, 505 with 2+ inputs)', () => {
    expect(expected.txCount).toBe(1557);
    expect(expected.multiInput).toBe(505);
  });

  it('finds the same clusters of two or more addresses', () => {
    const got = index.clusters({ minSize: 2, limit: 10_000 });
    expect(got.items.map((c) => c.size)).toEqual(expected.multiSizes);
    expect(got.total).toBe(expected.multiSizes.length);
  });

  it('has as many input addresses and as many clusters among them', () => {
    expect(inputAddresses.length).toBe(expected.inputAddresses);
    expect(new Set(inputAddresses.map((a) => index.clusterOf(a)!.id)).size).toBe(expected.inputClusters);
  });

  it('excludes the same CoinJoin transactions', () => {
    expect(index.coinJoinExclusions().map((e) => e.txId.slice(4)).sort()).toEqual(expected.coinjoins);
  });

  it('explains every cluster with size - 1 multi-input edges from transactions of the block', () => {
    for (const c of index.clusters({ minSize: 2, limit: 10_000 }).items) {
      const edges = index.explainCluster(c.id, { limit: 10_000 });
      expect(edges.total).toBe(c.size - 1);
      expect(edges.items.every((e) => e.heuristic === 'multi-input' && e.height === 413_567)).toBe(true);
    }
  });
});

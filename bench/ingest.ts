/**
 * The timed ingest of the benchmarks: labels through importLabels, then every generated block through
 * `store.writeBlocks` in batches of about `batchTxs` transactions (0: one block per call, the way a
 * follower of the chain tip writes). Only the store calls are timed (wall clock and process CPU).
 */
import type { Block } from '../src/model/transaction.js';
import type { GraphStore } from '../src/store/graph-store.js';
import type { ChainGenerator } from './generator.js';
import { rate } from './stats.js';

export interface IngestFigures {
  blocks: number;
  transactions: number;
  inputs: number;
  transfers: number;
  wallS: number;
  cpuS: number;
  labelsS: number;
  /** Transactions per writeBlocks call (about); 0 when blocks were written one per call. */
  batchTxs: number;
}

/** Transactions per writeBlocks call of the bulk load. */
export const DEFAULT_INGEST_BATCH_TXS = 5_000;

export async function ingest(store: GraphStore, gen: ChainGenerator, progress: (line: string) => void, batchTxs = DEFAULT_INGEST_BATCH_TXS): Promise<IngestFigures> {
  const f: IngestFigures = { blocks: 0, transactions: 0, inputs: 0, transfers: 0, wallS: 0, cpuS: 0, labelsS: 0, batchTxs };
  let wall = 0;
  let cpu = 0;
  const t0 = performance.now();
  for (const { source, labels } of gen.labels()) await store.importLabels(source, labels);
  f.labelsS = (performance.now() - t0) / 1000;
  let lastReport = performance.now();
  let batch: Block[] = [];
  let batchSize = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const c = process.cpuUsage();
    const t = performance.now();
    await store.writeBlocks(batch);
    wall += performance.now() - t;
    const d = process.cpuUsage(c);
    cpu += (d.user + d.system) / 1000;
    batch = [];
    batchSize = 0;
    if (performance.now() - lastReport > 30_000) {
      lastReport = performance.now();
      progress(`${f.transfers.toLocaleString('en-US')} transfers, ${rate((f.transfers / wall) * 1000)} (store time)`);
    }
  };
  for (const block of gen.blocks()) {
    f.blocks++;
    f.transactions += block.transactions.length;
    for (const tx of block.transactions) {
      f.inputs += tx.inputs.length;
      f.transfers += tx.outputs.length;
    }
    batch.push(block);
    batchSize += block.transactions.length;
    if (batchSize >= batchTxs) await flush();
  }
  await flush();
  f.wallS = wall / 1000;
  f.cpuS = cpu / 1000;
  return f;
}

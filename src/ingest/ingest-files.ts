/**
 * Ingests chain files into a store, block by block: each block is decoded fully, then written atomically.
 * A bad block is reported with its file, block and transaction and skipped; good blocks and good files in
 * the same run still load. Re-running over the same files changes nothing (blocks already stored are skipped).
 */
import { AriadneError } from '../errors.js';
import type { Block } from '../model/transaction.js';
import type { GraphStore } from '../store/graph-store.js';
import { loadPrevoutsCsv, readBitcoinFile } from './bitcoin/index.js';
import { readEvmFile } from './ethereum/index.js';
import { addFailure, addWrite, emptySummary, type IngestSummary } from './ingest-summary.js';

export type ChainFileKind = 'bitcoin' | 'ethereum';

export interface IngestProgress {
  file: string;
  fileIndex: number;
  files: number;
  /** Blocks handled in this file so far, and the file's block count when known. */
  blocks: number;
  totalBlocks?: number;
  transactions: number;
}

export interface IngestOptions {
  /** Bitcoin: a prevouts CSV that supplies the values and scripts of spent outputs. */
  prevouts?: string;
  /** EVM: a receipts file (JSON array or JSON lines of eth_getTransactionReceipt results). */
  receipts?: string;
  /** EVM: the chain id to assume when transactions do not carry one (default 1). */
  chainId?: number;
  onProgress?: (progress: IngestProgress) => void;
}

export type BlockItem = { ok: true; block: Block } | { ok: false; error: AriadneError };

export async function ingestFiles(store: GraphStore, kind: ChainFileKind, files: readonly string[], options: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const summary = emptySummary();
  const prevouts = kind === 'bitcoin' && options.prevouts ? await loadPrevoutsCsv(options.prevouts) : undefined;
  for (const [fileIndex, file] of files.entries()) {
    summary.files++;
    const progress: IngestProgress = { file, fileIndex, files: files.length, blocks: 0, transactions: 0 };
    try {
      const items: AsyncIterable<BlockItem | { total: number }> =
        kind === 'bitcoin'
          ? readBitcoinFile(file, { prevouts, heightOf: (hash: string) => store.blockHeight('btc', hash) })
          : readEvmFile(file, { chainId: options.chainId, receiptsFile: options.receipts });
      for await (const item of items) {
        if ('total' in item) {
          progress.totalBlocks = item.total;
          continue;
        }
        progress.blocks++;
        if (!item.ok) {
          addFailure(summary, file, item.error.withContext({ file }));
        } else {
          try {
            const result = await store.writeBlock(item.block);
            addWrite(summary, result);
            progress.transactions += result.transactions;
          } catch (err) {
            if (!(err instanceof AriadneError) || err.code === 'STORE_UNAVAILABLE') throw err;
            addFailure(summary, file, err.withContext({ file }));
          }
        }
        options.onProgress?.(progress);
      }
    } catch (err) {
      if (err instanceof AriadneError && err.code !== 'STORE_UNAVAILABLE') addFailure(summary, file, err.withContext({ file }));
      else throw err;
    }
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

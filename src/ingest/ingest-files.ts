/**
 * Ingests chain files into a store: each block is decoded fully, and decoded blocks are written in batches
 * of about BATCH_TXS transactions, one store transaction per batch (writeBlocks), which is what makes a
 * bulk load fast. A bad block is reported with its file, block and transaction and skipped: a batch that
 * fails is written again block by block, so that its good blocks still load. Good files in the same run
 * load too. Re-running over the same files changes nothing (blocks already stored are skipped).
 */
import { AriadneError } from '../errors.js';
import type { Block } from '../model/transaction.js';
import type { GraphStore, WriteBlockResult } from '../store/graph-store.js';
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

/** Transactions per writeBlocks call: large enough to amortize a commit, small enough to hold in memory. */
export const BATCH_TXS = 5_000;

export async function ingestFiles(store: GraphStore, kind: ChainFileKind, files: readonly string[], options: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const summary = emptySummary();
  const prevouts = kind === 'bitcoin' && options.prevouts ? await loadPrevoutsCsv(options.prevouts) : undefined;
  for (const [fileIndex, file] of files.entries()) {
    summary.files++;
    const progress: IngestProgress = { file, fileIndex, files: files.length, blocks: 0, transactions: 0 };
    const batches = new BlockBatcher(
      store,
      (result) => {
        addWrite(summary, result);
        progress.transactions += result.transactions;
      },
      (err) => addFailure(summary, file, err.withContext({ file })),
    );
    const flush = async (): Promise<void> => {
      if (await batches.flush()) options.onProgress?.(progress);
    };
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
        if (!item.ok) addFailure(summary, file, item.error.withContext({ file }));
        else if (batches.add(item.block)) await flush();
        // Blocks decoded so far (the progress bar); their transactions count once written.
        options.onProgress?.(progress);
      }
      await flush();
    } catch (err) {
      if (err instanceof AriadneError && err.code !== 'STORE_UNAVAILABLE') {
        // A file that breaks off still loads the blocks decoded before the break.
        await flush();
        addFailure(summary, file, err.withContext({ file }));
      } else throw err;
    }
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/**
 * Collects decoded blocks and writes them with writeBlocks, about `batchTxs` transactions at a time. A batch
 * the store refuses (INVALID_INPUT and the like: nothing of it was written) is written again block by block,
 * so that its good blocks load and each bad one is reported through `failed`. STORE_UNAVAILABLE and
 * unexpected errors are thrown: the ingest stops.
 */
export class BlockBatcher {
  private pending: Block[] = [];
  private pendingTxs = 0;

  constructor(
    private readonly store: GraphStore,
    private readonly written: (result: WriteBlockResult) => void,
    private readonly failed: (err: AriadneError) => void,
    private readonly batchTxs = BATCH_TXS,
  ) {}

  /** Queues a block; true when the batch is full and the caller should flush. */
  add(block: Block): boolean {
    this.pending.push(block);
    this.pendingTxs += block.transactions.length;
    return this.pendingTxs >= this.batchTxs;
  }

  /** Writes what is queued; false when nothing was. */
  async flush(): Promise<boolean> {
    const batch = this.pending;
    this.pending = [];
    this.pendingTxs = 0;
    if (batch.length === 0) return false;
    try {
      for (const result of await this.store.writeBlocks(batch)) this.written(result);
    } catch (err) {
      if (!isRefusal(err)) throw err;
      for (const block of batch) {
        try {
          this.written(await this.store.writeBlock(block));
        } catch (blockErr) {
          if (!isRefusal(blockErr)) throw blockErr;
          this.failed(blockErr);
        }
      }
    }
    return true;
  }
}

const isRefusal = (err: unknown): err is AriadneError => err instanceof AriadneError && err.code !== 'STORE_UNAVAILABLE';

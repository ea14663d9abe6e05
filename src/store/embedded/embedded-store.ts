/**
 * The embedded store: SQLite (better-sqlite3, WAL) for durability, plus an in-memory adjacency index
 * (memory-index.ts) and label index for traversals. It is the default store: one process, one data
 * directory, nothing to install.
 *
 * Guarantees:
 * - Each block is written in one SQLite transaction: a crash or a bad input mid-block leaves no half block.
 * - Writing a block that is already stored (same chain and hash) changes nothing.
 * - The in-memory indexes are updated only after the transaction commits, so readers see committed state.
 * - WAL with synchronous=NORMAL: a process crash loses nothing committed; a power loss may lose the last
 *   few commits but never leaves a partial one (SQLite's WAL guarantees).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AriadneError, invalidInput } from '../../errors.js';
import type { AddressId, TxId } from '../../model/address.js';
import { chainOfId } from '../../model/address.js';
import { chainInfo, type ChainKey } from '../../model/chain.js';
import type { Category, Label, StoredLabel } from '../../model/label.js';
import type { Block, Transaction, TxInput, TxOutput } from '../../model/transaction.js';
import type {
  AddressSummary,
  AssetTotals,
  Flow,
  FlowQuery,
  GraphChange,
  GraphStats,
  GraphStore,
  LabelImportResult,
  WriteBlockResult,
} from '../graph-store.js';
import { unwrittenResult } from '../graph-store.js';
import { validateBlock } from '../validate-block.js';
import { MemoryIndex } from './memory-index.js';
import { RowBuffer } from './row-buffer.js';
import { migrateSchema, SCHEMA_VERSION } from './schema.js';

export interface EmbeddedStoreOptions {
  /** Data directory, or ':memory:' for a throwaway store (tests). */
  dir: string;
  /** SQLite page cache, MiB (default DEFAULT_CACHE_MIB). Process memory: it is not given back while open. */
  cacheMiB?: number;
}

interface ChainCounts {
  transactions: number;
  inputs: number;
  resolvedInputs: number;
  outputs: number;
  addresses: number;
}

/** Count deltas per chain, applied once the write that made them has committed. */
type CountDeltas = Map<string, Partial<ChainCounts>>;

function addDelta(deltas: CountDeltas, chain: string, key: keyof ChainCounts, n: number): void {
  const d = deltas.get(chain);
  if (d) d[key] = (d[key] ?? 0) + n;
  else deltas.set(chain, { [key]: n });
}

const chainPrefix = (id: string): string => id.slice(0, id.indexOf(':'));

const blockName = (block: Block): string => `${block.chain}:${block.height}:${block.hash}`;

/** What one block of a batch wrote: its change event and its share of the new addresses. */
interface BlockWrite {
  txIds: TxId[];
  touched: Set<AddressId>;
  newAddresses: number;
}

/** A writeBlocks batch in progress: what to apply to the memory index and counts once it commits. */
class PendingBatch {
  readonly newTxs: { tx: Transaction; inputs: TxInput[]; touched: Set<AddressId> }[] = [];
  readonly backfills: { txId: TxId; index: number; address: string | null; value: bigint; touched: Set<AddressId> }[] = [];
  readonly backfilled: TxId[] = [];
  readonly deltas: CountDeltas = new Map();
  /** Addresses first seen in this batch (not in the memory index until the commit). */
  readonly newAddresses = new Set<AddressId>();
  /** Outputs of the transactions written by this batch (not in the memory index until the commit). */
  readonly txOutputs = new Map<TxId, readonly TxOutput[]>();
  /** Written blocks by their position in the batch. */
  readonly perBlock = new Map<number, BlockWrite>();
}

interface TxRow {
  seq: number;
  id: string;
  chain: string;
  hash: string;
  block_hash: string;
  height: number;
  time: number;
  position: number;
  coinbase: number;
  status: string;
  fee: string | null;
  n_inputs: number;
  n_outputs: number;
  unresolved: number;
}

interface InputRow {
  tx: number;
  idx: number;
  address: string | null;
  value: string | null;
  asset: string;
  prev_tx_id: string | null;
  prev_vout: number | null;
  address_source: string | null;
}

interface OutputRow {
  tx: number;
  idx: number;
  address: string | null;
  value: string;
  asset: string;
  script_type: string;
  detail: string | null;
}

interface LabelRow {
  id: number;
  address: string;
  category: string;
  label: string;
  source: string;
  confidence: number;
  actor: string | null;
  detail: string | null;
  added_at: number;
  removed_at: number | null;
}

/**
 * SQLite page cache of a service (MiB) and of a bulk load (`ariadne ingest`, the benchmarks' ingest), WAL
 * size (pages of 4 KiB) between automatic checkpoints, and the WAL file size kept after a checkpoint: see
 * the constructor. A bulk load inserts into two B-trees keyed by random hashes (txs.id, addresses.id); once
 * they outgrow the cache every insert waits for a disk read (docs/performance.md, "Embedded ingest").
 */
export const DEFAULT_CACHE_MIB = 64;
export const BULK_LOAD_CACHE_MIB = 1_024;
const WAL_CHECKPOINT_PAGES = 100_000;
const WAL_KEEP_BYTES = 64 * 1024 * 1024;
/** Transactions read per statement by getTransactions. */
const TX_READ_CHUNK = 500;

export async function openEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  return new EmbeddedStore(options);
}

export class EmbeddedStore implements GraphStore {
  readonly engine = 'embedded' as const;
  readonly db: Database.Database;
  private readonly index = new MemoryIndex();
  private readonly activeLabels = new Map<AddressId, StoredLabel[]>();
  private readonly listeners = new Set<(change: GraphChange) => void>();
  /**
   * Ids of transactions that a stored input spends while its value is still unknown: only writing one of
   * these can backfill anything, so only they need the spenders query. May hold stale ids (harmless).
   */
  private readonly awaited = new Set<TxId>();
  /**
   * Row counts of the large tables per chain, kept in memory so that stats() does not scan millions of
   * rows (it backs /healthz): counted once at load, then moved by committed writes only.
   */
  private readonly counts = new Map<string, ChainCounts>();
  private readonly stmt: ReturnType<EmbeddedStore['prepare']>;
  /** Inserts of the three large tables, many rows per statement; flushed before reads and at commit. */
  private readonly rows: { txs: RowBuffer; inputs: RowBuffer; outputs: RowBuffer };
  /** Sequence number (txs.seq) of the next transaction written. */
  private nextSeq = 1;

  constructor(options: EmbeddedStoreOptions) {
    const file = options.dir === ':memory:' ? ':memory:' : path.join(options.dir, 'ariadne.sqlite');
    if (options.dir !== ':memory:') mkdirSync(options.dir, { recursive: true });
    try {
      this.db = new Database(file);
    } catch (err) {
      throw new AriadneError('STORE_UNAVAILABLE', `cannot open the embedded store at ${file}: ${(err as Error).message}`, {}, { cause: err });
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    // Ingest inserts rows with random (hashed) keys into five B-trees: the default 2 MiB page cache thrashes
    // and a checkpoint every 1,000 WAL pages rewrites the same pages over and over (docs/performance.md).
    this.db.pragma(`cache_size = -${(options.cacheMiB ?? DEFAULT_CACHE_MIB) * 1024}`);
    this.db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    this.db.pragma(`journal_size_limit = ${WAL_KEEP_BYTES}`);
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new AriadneError('STORE_UNAVAILABLE', `the data directory ${options.dir} was written by a newer Ariadne (schema ${version}, this one reads ${SCHEMA_VERSION})`);
    }
    if (version < SCHEMA_VERSION) migrateSchema(this.db, version);
    this.stmt = this.prepare();
    this.rows = {
      txs: new RowBuffer(this.db, 'INSERT INTO txs (seq, id, chain, hash, block_hash, height, time, position, coinbase, status, fee, n_inputs, n_outputs, unresolved)', 14),
      inputs: new RowBuffer(this.db, 'INSERT INTO inputs (tx, idx, address, value, asset, prev_tx_id, prev_vout, address_source)', 8),
      outputs: new RowBuffer(this.db, 'INSERT INTO outputs (tx, idx, address, value, asset, script_type, detail)', 7),
    };
    this.loadIndexes();
  }

  private prepare() {
    const db = this.db;
    return {
      blockExists: db.prepare<[string, string], { hash: string }>('SELECT hash FROM blocks WHERE chain = ? AND hash = ?'),
      blockHeight: db.prepare<[string, string], { height: number }>('SELECT height FROM blocks WHERE chain = ? AND hash = ?'),
      insertBlock: db.prepare('INSERT INTO blocks (chain, hash, height, time, tx_count, written_at) VALUES (?, ?, ?, ?, ?, ?)'),
      insertAddress: db.prepare('INSERT OR IGNORE INTO addresses (id, chain) VALUES (?, ?)'),
      getOutput: db.prepare<[string, number], { address: string | null; value: string }>(
        'SELECT o.address, o.value FROM txs t JOIN outputs o ON o.tx = t.seq WHERE t.id = ? AND o.idx = ?',
      ),
      spendersOf: db.prepare<[string], { tx: number; tx_id: string; idx: number; prev_vout: number }>(
        'SELECT i.tx, t.id AS tx_id, i.idx, i.prev_vout FROM inputs i JOIN txs t ON t.seq = i.tx WHERE i.prev_tx_id = ? AND i.value IS NULL',
      ),
      resolveInput: db.prepare("UPDATE inputs SET address = ?, value = ?, address_source = 'prevout' WHERE tx = ? AND idx = ?"),
      decUnresolved: db.prepare('UPDATE txs SET unresolved = unresolved - 1 WHERE seq = ? RETURNING unresolved, coinbase'),
      setFee: db.prepare('UPDATE txs SET fee = ? WHERE seq = ?'),
      txValues: db.prepare<[number, number], { ins: string | null; outs: string | null }>(
        'SELECT (SELECT group_concat(value) FROM inputs WHERE tx = ?) AS ins, (SELECT group_concat(value) FROM outputs WHERE tx = ?) AS outs',
      ),
      // Many transactions per statement: the ids (or sequence numbers) arrive as one JSON array.
      getTxs: db.prepare<[string], TxRow>('SELECT * FROM txs WHERE id IN (SELECT value FROM json_each(?))'),
      getInputs: db.prepare<[string], InputRow>('SELECT * FROM inputs WHERE tx IN (SELECT value FROM json_each(?)) ORDER BY tx, idx'),
      getOutputs: db.prepare<[string], OutputRow>('SELECT * FROM outputs WHERE tx IN (SELECT value FROM json_each(?)) ORDER BY tx, idx'),
      chainFees: db.prepare<[string], { fees: string }>('SELECT fees FROM chain_stats WHERE chain = ?'),
      upsertFees: db.prepare('INSERT INTO chain_stats (chain, fees) VALUES (?, ?) ON CONFLICT (chain) DO UPDATE SET fees = excluded.fees'),
      txsByHeight: db.prepare<[string, number, number], { id: string }>('SELECT id FROM txs WHERE chain = ? AND height BETWEEN ? AND ? ORDER BY height, position'),
      activeLabelsOfSource: db.prepare<[string], LabelRow>('SELECT * FROM labels WHERE source = ? AND removed_at IS NULL'),
      insertLabel: db.prepare<unknown[], LabelRow>(
        'INSERT INTO labels (address, category, label, source, confidence, actor, detail, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *',
      ),
      removeLabel: db.prepare<[number, number], LabelRow>('UPDATE labels SET removed_at = ? WHERE id = ? AND removed_at IS NULL RETURNING *'),
      labelHistory: db.prepare<[string], LabelRow>('SELECT * FROM labels WHERE address = ? ORDER BY id'),
    };
  }

  private loadIndexes(): void {
    const deltas: CountDeltas = new Map();
    // The addresses table holds the addresses known through a label (possibly removed since): they stay
    // known across restarts. Addresses with flows are known through their flows (counted below).
    for (const [id] of this.db.prepare<[], [string]>('SELECT id FROM addresses').raw().iterate()) this.index.touchAddress(id);
    // Transaction ids by sequence number, for the inputs and outputs (keyed by it) loaded next.
    const idOfSeq: string[] = [];
    const txs = this.db.prepare<[], [number, string, string, number, number, number]>('SELECT seq, id, chain, height, time, position FROM txs').raw();
    for (const [seq, id, chain, height, time, position] of txs.iterate()) {
      this.index.addTx(id, { height, time, position });
      idOfSeq[seq] = id;
      if (seq >= this.nextSeq) this.nextSeq = seq + 1;
      addDelta(deltas, chain, 'transactions', 1);
    }
    // A transaction id starts with its chain (validateBlock): the inputs' and outputs' chain without a join.
    const ins = this.db.prepare<[], [number, number, string | null, string | null, string, string | null]>('SELECT tx, idx, address, value, asset, prev_tx_id FROM inputs').raw();
    for (const [seq, idx, address, value, asset, prevTxId] of ins.iterate()) {
      const txId = idOfSeq[seq]!;
      this.index.addFlow(txId, 'input', idx, address, value === null ? null : BigInt(value), asset);
      const chain = chainPrefix(txId);
      addDelta(deltas, chain, 'inputs', 1);
      if (value !== null) addDelta(deltas, chain, 'resolvedInputs', 1);
      else if (prevTxId !== null) this.awaited.add(prevTxId);
    }
    const outs = this.db.prepare<[], [number, number, string | null, string, string]>('SELECT tx, idx, address, value, asset FROM outputs').raw();
    for (const [seq, idx, address, value, asset] of outs.iterate()) {
      const txId = idOfSeq[seq]!;
      if (address !== null) this.index.addFlow(txId, 'output', idx, address, BigInt(value), asset);
      addDelta(deltas, chainPrefix(txId), 'outputs', 1);
    }
    for (const id of this.index.addresses()) addDelta(deltas, chainPrefix(id), 'addresses', 1);
    this.applyCounts(deltas);
    for (const row of this.db.prepare<[], LabelRow>('SELECT * FROM labels WHERE removed_at IS NULL').iterate()) {
      this.rememberLabel(toStoredLabel(row));
    }
  }

  private applyCounts(deltas: CountDeltas): void {
    for (const [chain, d] of deltas) {
      let c = this.counts.get(chain);
      if (!c) this.counts.set(chain, (c = { transactions: 0, inputs: 0, resolvedInputs: 0, outputs: 0, addresses: 0 }));
      for (const key of Object.keys(d) as (keyof ChainCounts)[]) c[key] += d[key]!;
    }
  }

  // ---------------------------------------------------------------- write port

  async writeBlock(block: Block): Promise<WriteBlockResult> {
    return (await this.writeBlocks([block]))[0]!;
  }

  async writeBlocks(blocks: readonly Block[]): Promise<WriteBlockResult[]> {
    for (const block of blocks) {
      try {
        validateBlock(block);
      } catch (err) {
        throw err instanceof AriadneError ? err.withContext({ block: blockName(block) }) : err;
      }
    }
    const batch = new PendingBatch();
    let current: Block | null = null;
    const write = this.db.transaction(() => {
      const results = blocks.map((block, k) => {
        current = block;
        return this.writeBlockIn(block, k, batch);
      });
      this.flushRows();
      return results;
    });
    let results: WriteBlockResult[];
    const seqBefore = this.nextSeq;
    try {
      results = write();
    } catch (err) {
      this.nextSeq = seqBefore;
      for (const buffer of Object.values(this.rows)) buffer.clear();
      const where = current ? blockName(current) : 'batch';
      if (err instanceof AriadneError) throw err.withContext({ block: where });
      throw new AriadneError('STORE_UNAVAILABLE', `writing block ${where} failed: ${(err as Error).message}`, { block: where }, { cause: err });
    }

    // Commit done: bring the memory index and the counts in step.
    for (const id of batch.backfilled) this.awaited.delete(id);
    this.applyCounts(batch.deltas);
    const touchedBy = new Map<TxId, Set<AddressId>>();
    for (const { tx, inputs, touched } of batch.newTxs) {
      this.index.addTx(tx.id, { height: tx.height, time: tx.time, position: tx.position });
      for (const i of inputs) {
        this.index.addFlow(tx.id, 'input', i.index, i.address, i.value, i.asset);
        if (i.address) touched.add(i.address);
      }
      for (const o of tx.outputs) {
        if (o.address === null) continue;
        this.index.addFlow(tx.id, 'output', o.index, o.address, o.value, o.asset);
        touched.add(o.address);
      }
      touchedBy.set(tx.id, touched);
    }
    for (const b of batch.backfills) {
      this.index.resolveInput(b.txId, b.index, b.address, b.value);
      if (b.address) b.touched.add(b.address);
    }
    for (const [k, result] of results.entries()) {
      if (!result.written) continue;
      const written = batch.perBlock.get(k)!;
      // A new address counts for the first block of the batch that stored it.
      result.newAddresses = written.newAddresses;
      const block = blocks[k]!;
      this.emit({ kind: 'block', chain: block.chain, height: block.height, txIds: written.txIds, addresses: [...written.touched] });
    }
    return results;
  }

  /** One block of a writeBlocks batch, inside its transaction; index updates are collected in `batch`. */
  private writeBlockIn(block: Block, k: number, batch: PendingBatch): WriteBlockResult {
    const s = this.stmt;
    const base = unwrittenResult(block);
    if (s.blockExists.get(block.chain, block.hash)) return base;
    const deltas = batch.deltas;
    const mine: BlockWrite = { txIds: [], touched: new Set(), newAddresses: 0 };
    batch.perBlock.set(k, mine);
    // An address with flows needs no row of its own (the flows name it): only counting.
    const countAddress = (address: AddressId, chain: ChainKey): void => {
      if (batch.newAddresses.has(address) || this.index.hasAddress(address)) return;
      batch.newAddresses.add(address);
      addDelta(deltas, chain, 'addresses', 1);
      mine.newAddresses++;
    };

    s.insertBlock.run(block.chain, block.hash, block.height, block.time, block.transactions.length, Date.now());
    let feeDelta = 0n;
    /** Sequence numbers of transactions whose last unknown input this block resolved. */
    const completed = new Set<number>();
    for (const tx of block.transactions) {
      // A transaction id already stored (Bitcoin's duplicate coinbases of BIP30) is kept once.
      // The memory index holds exactly the committed transactions (same answer as the txs table).
      if (this.index.hasTx(tx.id) || batch.txOutputs.has(tx.id)) continue;
      batch.txOutputs.set(tx.id, tx.outputs);
      const inputs = tx.inputs.map((input) => this.resolveInput(input, batch));
      const unresolved = inputs.filter((i) => i.value === null).length;
      let fee = tx.fee;
      if (fee === null && !tx.coinbase && unresolved === 0 && chainInfo(tx.chain).kind === 'utxo') {
        fee = sumValues(inputs) - tx.outputs.reduce((t, o) => t + o.value, 0n);
      }
      if (fee !== null && fee < 0n) throw invalidInput(`transaction spends less than it creates: inputs minus outputs = ${fee}`, { tx: tx.id });
      const seq = this.nextSeq++;
      this.rows.txs.push(seq, tx.id, tx.chain, tx.hash, tx.blockHash, tx.height, tx.time, tx.position, tx.coinbase ? 1 : 0, tx.status, fee?.toString() ?? null, inputs.length, tx.outputs.length, unresolved);
      for (const i of inputs) {
        this.rows.inputs.push(seq, i.index, i.address, i.value?.toString() ?? null, i.asset, i.spends?.txId ?? null, i.spends?.vout ?? null, i.addressSource ?? null);
        if (i.address) countAddress(i.address, tx.chain);
        if (i.value === null && i.spends) this.awaited.add(i.spends.txId);
      }
      for (const o of tx.outputs) {
        this.rows.outputs.push(seq, o.index, o.address, o.value.toString(), o.asset, o.scriptType, o.detail ? JSON.stringify(o.detail) : null);
        if (o.address) countAddress(o.address, tx.chain);
      }
      if (fee !== null) feeDelta += fee;
      else if (!tx.coinbase) base.unknownFees++;
      base.inputs += inputs.length;
      base.resolvedInputs += inputs.length - unresolved;
      base.outputs += tx.outputs.length;
      addDelta(deltas, tx.chain, 'transactions', 1);
      addDelta(deltas, tx.chain, 'inputs', inputs.length);
      addDelta(deltas, tx.chain, 'resolvedInputs', inputs.length - unresolved);
      addDelta(deltas, tx.chain, 'outputs', tx.outputs.length);
      batch.newTxs.push({ tx, inputs, touched: mine.touched });
      mine.txIds.push(tx.id);
      // Earlier inputs (this batch or earlier writes) waiting for these outputs.
      if (!this.awaited.has(tx.id)) continue;
      batch.backfilled.push(tx.id);
      this.flushRows();
      for (const spender of s.spendersOf.all(tx.id)) {
        const out = tx.outputs.find((o) => o.index === spender.prev_vout);
        if (!out) continue;
        s.resolveInput.run(out.address, out.value.toString(), spender.tx, spender.idx);
        batch.backfills.push({ txId: spender.tx_id, index: spender.idx, address: out.address, value: out.value, touched: mine.touched });
        base.backfilledInputs++;
        addDelta(deltas, chainPrefix(spender.tx_id), 'resolvedInputs', 1);
        const left = s.decUnresolved.get(spender.tx) as { unresolved: number; coinbase: number } | undefined;
        if (left && left.unresolved === 0 && left.coinbase === 0) completed.add(spender.tx);
      }
    }
    // Transactions whose last unknown input was just resolved now have a fee.
    if (completed.size > 0) this.flushRows();
    for (const seq of completed) {
      const row = s.txValues.get(seq, seq)!;
      const fee = sumCsv(row.ins) - sumCsv(row.outs);
      s.setFee.run(fee.toString(), seq);
      feeDelta += fee;
    }
    const before = BigInt(s.chainFees.get(block.chain)?.fees ?? '0');
    s.upsertFees.run(block.chain, (before + feeDelta).toString());
    base.fees = feeDelta;
    base.written = true;
    base.resolvedInputs += base.backfilledInputs;
    return base;
  }

  private flushRows(): void {
    this.rows.txs.flush();
    this.rows.inputs.flush();
    this.rows.outputs.flush();
  }

  /**
   * Fills an input's address and value from the output it spends (the prevout wins over derivation):
   * written earlier in this batch, else in the memory index, else (an output without an address, which the
   * index does not keep) in SQLite. An output of a transaction that is not stored stays unknown.
   */
  private resolveInput(input: TxInput, batch: PendingBatch): TxInput {
    if (!input.spends || (input.value !== null && input.address !== null)) return input;
    const { txId, vout } = input.spends;
    const inBatch = batch.txOutputs.get(txId);
    let out: { address: AddressId | null; value: bigint } | null | undefined = inBatch && (inBatch[vout]?.index === vout ? inBatch[vout] : inBatch.find((o) => o.index === vout));
    if (inBatch && !out) return input;
    if (out === undefined) {
      out = this.index.outputOf(txId, vout);
      if (out === undefined) return input;
      if (out === null) {
        const row = this.stmt.getOutput.get(txId, vout);
        if (!row) return input;
        out = { address: row.address, value: BigInt(row.value) };
      }
    }
    return { ...input, address: out.address, value: out.value, addressSource: 'prevout' };
  }

  async importLabels(source: string, labels: readonly Label[]): Promise<LabelImportResult> {
    if (!source) throw invalidInput('label source must be a non-empty string');
    const now = Date.now();
    const result: LabelImportResult = { source, added: 0, updated: 0, removed: 0, unchanged: 0 };
    const added: StoredLabel[] = [];
    const removed: StoredLabel[] = [];
    const deltas: CountDeltas = new Map();
    const run = this.db.transaction(() => {
      const existing = new Map<string, LabelRow>();
      for (const row of this.stmt.activeLabelsOfSource.all(source)) existing.set(labelKey(row), row);
      const seen = new Set<string>();
      for (const label of labels) {
        if (label.source !== source) throw invalidInput(`label for ${label.address} has source ${JSON.stringify(label.source)}, expected ${JSON.stringify(source)}`);
        const key = labelKey(label);
        if (seen.has(key)) continue;
        seen.add(key);
        const row = existing.get(key);
        if (row && row.confidence === label.confidence && row.detail === serializeDetail(label.detail)) {
          result.unchanged++;
          continue;
        }
        if (row) {
          // Same label, new confidence or detail: the old version goes to history.
          removed.push(toStoredLabel(this.stmt.removeLabel.get(now, row.id)!));
          result.updated++;
        } else {
          result.added++;
        }
        added.push(this.insertLabel(label, now, deltas));
      }
      for (const [key, row] of existing) {
        if (seen.has(key)) continue;
        removed.push(toStoredLabel(this.stmt.removeLabel.get(now, row.id)!));
        result.removed++;
      }
    });
    run();
    this.applyCounts(deltas);
    for (const l of removed) this.forgetLabel(l);
    for (const l of added) this.rememberLabel(l);
    const addresses = new Set([...added, ...removed].map((l) => l.address));
    if (addresses.size > 0) this.emit({ kind: 'labels', addresses: [...addresses] });
    return result;
  }

  async addLabel(label: Label): Promise<StoredLabel> {
    const key = labelKey(label);
    const existing = (this.activeLabels.get(label.address) ?? []).find((l) => labelKey(l) === key && l.source === label.source);
    if (existing) return existing;
    const deltas: CountDeltas = new Map();
    let stored: StoredLabel;
    try {
      stored = this.insertLabel(label, Date.now(), deltas);
    } finally {
      // Outside a transaction each statement commits on its own: an address row inserted counts even if
      // the label insert then failed.
      this.applyCounts(deltas);
    }
    this.rememberLabel(stored);
    this.emit({ kind: 'labels', addresses: [label.address] });
    return stored;
  }

  async removeLabel(id: number): Promise<boolean> {
    const row = this.stmt.removeLabel.get(Date.now(), id);
    if (!row) return false;
    const label = toStoredLabel(row);
    this.forgetLabel(label);
    this.emit({ kind: 'labels', addresses: [label.address] });
    return true;
  }

  async labelHistory(address: AddressId): Promise<StoredLabel[]> {
    return this.stmt.labelHistory.all(address).map(toStoredLabel);
  }

  private insertLabel(label: Label, now: number, deltas: CountDeltas): StoredLabel {
    if (!Number.isFinite(label.confidence) || label.confidence < 0 || label.confidence > 100) {
      throw invalidInput(`label confidence must be between 0 and 100, got ${label.confidence}`, { address: label.address });
    }
    const chain = chainOfId(label.address);
    // The row keeps an address without flows known across restarts; the count moves only for an address
    // the store did not know at all.
    const known = this.index.hasAddress(label.address);
    if (this.stmt.insertAddress.run(label.address, chain).changes > 0 && !known) addDelta(deltas, chain, 'addresses', 1);
    const row = this.stmt.insertLabel.get(
      label.address,
      label.category,
      label.label,
      label.source,
      Math.round(label.confidence),
      label.actor,
      serializeDetail(label.detail),
      now,
    ) as LabelRow;
    return toStoredLabel(row);
  }

  private rememberLabel(label: StoredLabel): void {
    const list = this.activeLabels.get(label.address);
    if (list) list.push(label);
    else this.activeLabels.set(label.address, [label]);
    this.index.touchAddress(label.address);
  }

  private forgetLabel(label: StoredLabel): void {
    const list = this.activeLabels.get(label.address);
    if (!list) return;
    const rest = list.filter((l) => l.id !== label.id);
    if (rest.length > 0) this.activeLabels.set(label.address, rest);
    else this.activeLabels.delete(label.address);
  }

  // ---------------------------------------------------------------- read port

  async getTransactions(ids: readonly TxId[]): Promise<Map<TxId, Transaction>> {
    const out = new Map<TxId, Transaction>();
    const unique = [...new Set(ids)];
    // Three statements per chunk rather than three per transaction.
    for (let start = 0; start < unique.length; start += TX_READ_CHUNK) {
      const chunk = unique.slice(start, start + TX_READ_CHUNK);
      const rows = new Map<string, TxRow>();
      for (const row of this.stmt.getTxs.all(JSON.stringify(chunk))) rows.set(row.id, row);
      if (rows.size === 0) continue;
      const seqs = JSON.stringify([...rows.values()].map((r) => r.seq));
      // Ids are the memory index's own string instances: the analytics indexes built from these
      // transactions then share one copy of each id with the store (docs/performance.md).
      const index = this.index;
      const inputs = groupByTx(this.stmt.getInputs.all(seqs), (r) => {
        const input = toInput(r);
        if (input.address !== null) input.address = index.internAddress(input.address);
        if (input.spends) input.spends.txId = index.internTx(input.spends.txId);
        return input;
      });
      const outputs = groupByTx(this.stmt.getOutputs.all(seqs), (r) => {
        const output = toOutput(r);
        if (output.address !== null) output.address = index.internAddress(output.address);
        return output;
      });
      for (const id of chunk) {
        const row = rows.get(id);
        if (!row) continue;
        out.set(id, {
          id: this.index.internTx(row.id),
          chain: row.chain as ChainKey,
          hash: row.hash,
          blockHash: row.block_hash,
          height: row.height,
          time: row.time,
          position: row.position,
          coinbase: row.coinbase === 1,
          status: row.status as Transaction['status'],
          fee: row.fee === null ? null : BigInt(row.fee),
          inputs: inputs.get(row.seq) ?? [],
          outputs: outputs.get(row.seq) ?? [],
        });
      }
    }
    return out;
  }

  async getAddresses(ids: readonly AddressId[]): Promise<Map<AddressId, AddressSummary>> {
    const out = new Map<AddressId, AddressSummary>();
    for (const id of ids) {
      if (out.has(id) || !this.index.hasAddress(id)) continue;
      const flows = this.index.flowsOf(id);
      const totals = new Map<string, AssetTotals>();
      const txs = new Set<TxId>();
      for (const f of flows) {
        txs.add(f.txId);
        let t = totals.get(f.asset);
        if (!t) totals.set(f.asset, (t = { asset: f.asset, received: 0n, sent: 0n, balance: 0n }));
        if (f.side === 'output') t.received += f.value ?? 0n;
        else t.sent += f.value ?? 0n;
      }
      for (const t of totals.values()) t.balance = t.received - t.sent;
      const first = flows[0];
      const last = flows[flows.length - 1];
      out.set(id, {
        id,
        chain: chainOfId(id),
        txCount: txs.size,
        firstSeen: first ? { height: first.height, time: first.time } : null,
        lastSeen: last ? { height: last.height, time: last.time } : null,
        totals: [...totals.values()].sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0)),
      });
    }
    return out;
  }

  async getFlows(ids: readonly AddressId[], query: FlowQuery = {}): Promise<Map<AddressId, Flow[]>> {
    const out = new Map<AddressId, Flow[]>();
    for (const id of ids) {
      if (out.has(id) || !this.index.hasAddress(id)) continue;
      out.set(id, this.index.flowsOf(id, query));
    }
    return out;
  }

  async getLabels(ids: readonly AddressId[]): Promise<Map<AddressId, StoredLabel[]>> {
    const out = new Map<AddressId, StoredLabel[]>();
    for (const id of ids) {
      const list = this.activeLabels.get(id);
      if (list) out.set(id, [...list]);
    }
    return out;
  }

  async findAddressesByCategory(categories: readonly Category[]): Promise<AddressId[]> {
    const wanted = new Set<string>(categories);
    const out: AddressId[] = [];
    for (const [address, labels] of this.activeLabels) if (labels.some((l) => wanted.has(l.category))) out.push(address);
    return out.sort();
  }

  async blockHeight(chain: ChainKey, hash: string): Promise<number | null> {
    return this.stmt.blockHeight.get(chain, hash)?.height ?? null;
  }

  async findTransactionsByHeight(chain: ChainKey, fromHeight: number, toHeight: number): Promise<TxId[]> {
    // The index's own id strings: a caller holding every id (createApp) then holds no copy of them.
    return this.stmt.txsByHeight.all(chain, fromHeight, toHeight).map((r) => this.index.internTx(r.id));
  }

  async stats(): Promise<GraphStats> {
    const perChain: GraphStats['perChain'] = {};
    const ensure = (chain: string) =>
      (perChain[chain] ??= { blocks: 0, transactions: 0, inputs: 0, resolvedInputs: 0, outputs: 0, addresses: 0, fees: 0n });
    const q = <T>(sql: string) => this.db.prepare<[], T>(sql).all();
    for (const r of q<{ chain: string; n: number }>('SELECT chain, COUNT(*) AS n FROM blocks GROUP BY chain')) ensure(r.chain).blocks = r.n;
    // The large tables from the kept counts, chain by chain in the order their GROUP BY queries gave.
    const chains = [...this.counts.keys()].sort();
    for (const chain of chains) if (this.counts.get(chain)!.transactions > 0) ensure(chain).transactions = this.counts.get(chain)!.transactions;
    for (const chain of chains) {
      const c = this.counts.get(chain)!;
      if (c.inputs === 0) continue;
      ensure(chain).inputs = c.inputs;
      ensure(chain).resolvedInputs = c.resolvedInputs;
    }
    for (const chain of chains) if (this.counts.get(chain)!.outputs > 0) ensure(chain).outputs = this.counts.get(chain)!.outputs;
    for (const chain of chains) if (this.counts.get(chain)!.addresses > 0) ensure(chain).addresses = this.counts.get(chain)!.addresses;
    for (const r of q<{ chain: string; fees: string }>('SELECT chain, fees FROM chain_stats')) ensure(r.chain).fees = BigInt(r.fees);
    const total = (k: 'blocks' | 'transactions' | 'inputs' | 'resolvedInputs' | 'outputs' | 'addresses') =>
      Object.values(perChain).reduce((t, c) => t + c[k], 0);
    const labels = (this.db.prepare('SELECT COUNT(*) AS n FROM labels WHERE removed_at IS NULL').get() as { n: number }).n;
    return {
      blocks: total('blocks'),
      transactions: total('transactions'),
      inputs: total('inputs'),
      resolvedInputs: total('resolvedInputs'),
      outputs: total('outputs'),
      addresses: total('addresses'),
      labels,
      perChain,
    };
  }

  // ---------------------------------------------------------------- lifecycle

  onChange(listener: (change: GraphChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: GraphChange): void {
    for (const l of this.listeners) l(change);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Rows ordered by (tx, idx), grouped per transaction sequence number. */
function groupByTx<R extends { tx: number }, T>(rows: readonly R[], map: (row: R) => T): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const list = out.get(row.tx);
    if (list) list.push(map(row));
    else out.set(row.tx, [map(row)]);
  }
  return out;
}

function sumValues(inputs: readonly TxInput[]): bigint {
  return inputs.reduce((t, i) => t + (i.value ?? 0n), 0n);
}

function sumCsv(csv: string | null): bigint {
  if (!csv) return 0n;
  return csv.split(',').reduce((t, v) => t + BigInt(v), 0n);
}

function labelKey(l: { address: string; category: string; label: string; actor: string | null }): string {
  return JSON.stringify([l.address, l.category, l.label, l.actor ?? null]);
}

function serializeDetail(detail: Record<string, unknown> | undefined): string | null {
  return detail === undefined ? null : JSON.stringify(detail);
}

function toStoredLabel(row: LabelRow): StoredLabel {
  return {
    id: row.id,
    address: row.address,
    category: row.category as Category,
    label: row.label,
    source: row.source,
    confidence: row.confidence,
    actor: row.actor,
    ...(row.detail ? { detail: JSON.parse(row.detail) as Record<string, unknown> } : {}),
    addedAt: row.added_at,
    removedAt: row.removed_at,
  };
}

function toInput(r: InputRow): TxInput {
  return {
    index: r.idx,
    address: r.address,
    value: r.value === null ? null : BigInt(r.value),
    asset: r.asset,
    ...(r.prev_tx_id !== null ? { spends: { txId: r.prev_tx_id, vout: r.prev_vout! } } : {}),
    ...(r.address_source !== null ? { addressSource: r.address_source as TxInput['addressSource'] } : {}),
  };
}

function toOutput(r: OutputRow): TxOutput {
  return {
    index: r.idx,
    address: r.address,
    value: BigInt(r.value),
    asset: r.asset,
    scriptType: r.script_type as TxOutput['scriptType'],
    ...(r.detail ? { detail: JSON.parse(r.detail) as Record<string, unknown> } : {}),
  };
}

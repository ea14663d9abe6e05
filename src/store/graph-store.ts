/**
 * The store ports. Every backend (embedded SQLite + in-memory index, Neo4j) implements these, and every
 * analytic is written against `GraphReader` only, so that any store that implements it gets every analytic.
 *
 * Conventions:
 * - All methods are async and batched: they take many ids and return a Map, so that a traversal costs one
 *   call per frontier, and the API's DataLoaders map straight onto them. Missing ids are absent from the Map.
 * - Amounts are bigint base units. Heights are block heights; times are unix seconds.
 * - `INPUT` flows run address -> transaction, `OUTPUT` flows run transaction -> address.
 */
import type { AddressId, TxId } from '../model/address.js';
import type { ChainKey } from '../model/chain.js';
import type { Category, Label, StoredLabel } from '../model/label.js';
import type { AssetId, Block, Transaction } from '../model/transaction.js';

/** One value-carrying edge seen from an address. */
export interface Flow {
  address: AddressId;
  txId: TxId;
  /** 'input': the address paid into the transaction; 'output': the transaction paid the address. */
  side: 'input' | 'output';
  index: number;
  /** Null for an input whose spent output is not known yet. */
  value: bigint | null;
  asset: AssetId;
  height: number;
  time: number;
}

export interface AssetTotals {
  asset: AssetId;
  received: bigint;
  sent: bigint;
  /** received - sent over ingested data (a partial history gives a partial balance). */
  balance: bigint;
}

export interface AddressSummary {
  id: AddressId;
  chain: ChainKey;
  txCount: number;
  firstSeen: { height: number; time: number } | null;
  lastSeen: { height: number; time: number } | null;
  totals: AssetTotals[];
}

export interface FlowQuery {
  side?: 'input' | 'output' | 'both';
  minHeight?: number;
  maxHeight?: number;
  minTime?: number;
  maxTime?: number;
  minValue?: bigint;
}

export interface GraphStats {
  blocks: number;
  transactions: number;
  inputs: number;
  resolvedInputs: number;
  outputs: number;
  addresses: number;
  labels: number;
  perChain: Record<string, { blocks: number; transactions: number; inputs: number; resolvedInputs: number; outputs: number; addresses: number; fees: bigint }>;
}

export interface WriteBlockResult {
  chain: ChainKey;
  height: number;
  hash: string;
  /** False when the block was already stored: nothing changed. */
  written: boolean;
  transactions: number;
  inputs: number;
  /** Inputs whose value and address are known after this write (including earlier blocks' inputs resolved by it). */
  resolvedInputs: number;
  /** Earlier blocks' inputs that this block's outputs resolved. */
  backfilledInputs: number;
  outputs: number;
  newAddresses: number;
  /** Sum of known fees of this block's transactions, in native base units. */
  fees: bigint;
  /** Transactions whose fee is unknown (unresolved inputs, no receipt). */
  unknownFees: number;
}

export interface LabelImportResult {
  source: string;
  added: number;
  /** Labels whose confidence or detail changed: the old version is kept in history. */
  updated: number;
  /** Active labels of this source absent from the new import: marked removed, kept in history. */
  removed: number;
  unchanged: number;
}

/** What changed in a write; analytics indexes (clusters, proximity) subscribe to keep in step. */
export type GraphChange =
  | { kind: 'block'; chain: ChainKey; height: number; txIds: TxId[]; addresses: AddressId[] }
  | { kind: 'labels'; addresses: AddressId[] };

export interface GraphReader {
  getTransactions(ids: readonly TxId[]): Promise<Map<TxId, Transaction>>;
  getAddresses(ids: readonly AddressId[]): Promise<Map<AddressId, AddressSummary>>;
  /** The flows incident to each address, oldest first (by height, then tx position, then index). */
  getFlows(ids: readonly AddressId[], query?: FlowQuery): Promise<Map<AddressId, Flow[]>>;
  /** Active labels of each address. */
  getLabels(ids: readonly AddressId[]): Promise<Map<AddressId, StoredLabel[]>>;
  /** Every address that carries an active label of one of these categories. */
  findAddressesByCategory(categories: readonly Category[]): Promise<AddressId[]>;
  /** Height of a stored block, or null (a raw Bitcoin block names only its parent's hash). */
  blockHeight(chain: ChainKey, hash: string): Promise<number | null>;
  /** Ids of the transactions in [fromHeight, toHeight], in chain order. */
  findTransactionsByHeight(chain: ChainKey, fromHeight: number, toHeight: number): Promise<TxId[]>;
  stats(): Promise<GraphStats>;
}

/** The result of a block that changed nothing (already stored), and the start of one being written. */
export function unwrittenResult(block: Block): WriteBlockResult {
  return {
    chain: block.chain,
    height: block.height,
    hash: block.hash,
    written: false,
    transactions: block.transactions.length,
    inputs: 0,
    resolvedInputs: 0,
    backfilledInputs: 0,
    outputs: 0,
    newAddresses: 0,
    fees: 0n,
    unknownFees: 0,
  };
}

export interface GraphWriter {
  /** Atomic and idempotent: a block already stored (same chain and hash) changes nothing. */
  writeBlock(block: Block): Promise<WriteBlockResult>;
  /**
   * Bulk load: writes `blocks` in order in ONE transaction, all of them or none (a bad block fails the
   * whole batch; the error names the block). A block already stored is skipped (`written: false`), as in
   * writeBlock, and a later block of the batch may spend an earlier one's outputs. One change event per
   * written block is emitted after the commit. `writeBlock(b)` is `writeBlocks([b])`. Used by the file
   * ingest, the demo seed and the benchmarks; callers keep batches to a few thousand transactions.
   */
  writeBlocks(blocks: readonly Block[]): Promise<WriteBlockResult[]>;
  /**
   * Replaces the active labels of `source` by `labels`: new ones are added, missing ones are marked
   * removed (history kept), identical ones are left alone. Atomic.
   */
  importLabels(source: string, labels: readonly Label[]): Promise<LabelImportResult>;
  /** Adds one label (idempotent on address + category + label + source). */
  addLabel(label: Label): Promise<StoredLabel>;
  /** Marks one label removed; returns false when no active label has that id. */
  removeLabel(id: number): Promise<boolean>;
  /** Every label ever recorded for the address, removed ones included. */
  labelHistory(address: AddressId): Promise<StoredLabel[]>;
}

export interface GraphStore extends GraphReader, GraphWriter {
  readonly engine: 'embedded' | 'neo4j';
  /** Registers a listener called after each committed change; returns an unsubscribe function. */
  onChange(listener: (change: GraphChange) => void): () => void;
  close(): Promise<void>;
}

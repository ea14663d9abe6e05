/**
 * The Neo4j store: the GraphStore port on Neo4j 5.26 LTS (Community features only, Cypher 5) through
 * neo4j-driver. It behaves exactly as the embedded store (src/store/embedded/embedded-store.ts): same
 * results, same counts, same errors (block checks are shared: validate-block.ts; the block write follows the
 * same steps: block-plan.ts, batch-plan.ts). Every query is a file in cypher/ (cypher-loader.ts) and takes
 * parameters only.
 *
 * Graph:
 *   (:Address {id, chain}) -[:INPUT {index, value, valueKey, asset, prevTxId, prevVout, addressSource}]-> (:Transaction)
 *   (:Transaction {id, chain, hash, blockHash, height, time, position, coinbase, status, fee, nInputs, nOutputs, unresolved})
 *       -[:OUTPUT {index, value, valueKey, asset, scriptType, detail}]-> (:Address)
 *   (:Block {chain, hash, height, time, txCount, writtenAt}) -[:CONTAINS]-> (:Transaction)
 *   (:Address) -[:HAS_LABEL]-> (:Label {id, address, category, label, source, confidence, actor, detail, addedAt, removedAt})
 *   (:NoAddress {chain}): the other end of an input or output without an address (OP_RETURN, bare multisig, an
 *       input whose spent output is not known yet). It is not an address: never returned, never counted.
 *   (:ChainStats {chain, fees}): running fee sum per chain. (:Sequence {name: 'label', last}): label ids.
 *
 * Amounts are decimal strings (exact at any size) plus an order-preserving `valueKey` for filters
 * (amount-key.ts); every sum is done with bigint in TypeScript, never in Cypher and never with floats.
 * JSON `detail` objects are stored as JSON text. Integers are sent as Cypher integers (the driver would send
 * a JS number as a float) and read back as JS numbers (heights, indexes, times and ids are safe integers).
 *
 * Consistency: each writeBlocks batch (writeBlock is a batch of one), importLabels, addLabel and removeLabel is
 * one Neo4j transaction. Block writes of one chain are serialized on the chain's :ChainStats node and label
 * writes on the label sequence node, so that read-then-write steps (backfill, "is this label active?") see a
 * stable state. GraphChange events are emitted after commit. Driver retries (deadlocks, leader changes)
 * re-run the whole transaction function.
 *
 * Availability: `openNeo4jStore` retries with exponential backoff while Neo4j is unreachable, then throws
 * STORE_UNAVAILABLE naming the URI. Later, a lost connection fails the request with STORE_UNAVAILABLE (after
 * the driver's own retries, `requestRetryMs`), and the driver's pool reconnects by itself once Neo4j is back.
 */
import neo4j, { type Driver, type ManagedTransaction, type QueryResult, type RecordShape } from 'neo4j-driver';
import { AriadneError, invalidInput, type ErrorContext } from '../../errors.js';
import type { AddressId, TxId } from '../../model/address.js';
import { chainOfId } from '../../model/address.js';
import type { ChainKey } from '../../model/chain.js';
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
import { amountKey, minAmountKey } from './amount-key.js';
import { newTransactions, planBatchWrite, type BatchPlan } from './batch-plan.js';
import { blockLabel, outpointKey, outpointsToLookUp, type StoredOutput, type StoredSpender } from './block-plan.js';
import { loadCypher, loadCypherStatements } from './cypher-loader.js';
import { translateNeo4jError } from './errors.js';

export interface Neo4jConfig {
  /** Bolt URI: bolt://host:7687 (direct) or neo4j://host:7687 (routing). */
  uri: string;
  user: string;
  password: string;
  /** Database name; Community Edition has one user database, `neo4j`. */
  database: string;
}

export interface Neo4jStoreOptions {
  /** Connection attempts at start before giving up (default 6). */
  connectAttempts?: number;
  /** Wait after the first failed attempt, doubled after each next one (default 1,000 ms). */
  retryBaseDelayMs?: number;
  /** Cap on one wait between attempts (default 10,000 ms; with the defaults: 1+2+4+8+10 = 25 s of waiting). */
  retryMaxDelayMs?: number;
  /** How long the driver retries a request on transient failures before it fails (default 5,000 ms). */
  requestRetryMs?: number;
  /** TCP connect timeout (default 5,000 ms). */
  connectionTimeoutMs?: number;
  /** Where start-up retry messages go (default: stderr). */
  log?: (line: string) => void;
}

const DEFAULTS: Required<Neo4jStoreOptions> = {
  connectAttempts: 6,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 10_000,
  requestRetryMs: 5_000,
  connectionTimeoutMs: 5_000,
  log: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Connects (retrying with exponential backoff while Neo4j is unreachable), creates the schema if missing
 * and returns the store. Throws STORE_UNAVAILABLE naming the URI when every attempt failed, or at once for
 * refused credentials or an unknown database; INVALID_INPUT for a malformed URI.
 */
export async function openNeo4jStore(config: Neo4jConfig, options: Neo4jStoreOptions = {}): Promise<Neo4jStore> {
  const opts = { ...DEFAULTS, ...options };
  const attempts = Math.max(1, Math.floor(opts.connectAttempts));
  let driver: Driver;
  try {
    driver = neo4j.driver(config.uri, config.user ? neo4j.auth.basic(config.user, config.password) : undefined, {
      disableLosslessIntegers: true,
      maxTransactionRetryTime: opts.requestRetryMs,
      connectionTimeout: opts.connectionTimeoutMs,
      connectionAcquisitionTimeout: Math.max(opts.requestRetryMs, opts.connectionTimeoutMs) * 2,
      userAgent: 'ariadne',
    });
  } catch (err) {
    throw invalidInput(`invalid Neo4j URI ${JSON.stringify(config.uri)}: expected bolt://host:port or neo4j://host:port (${(err as Error).message})`);
  }
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await driver.verifyConnectivity({ database: config.database });
      const store = new Neo4jStore(driver, config);
      await store.ensureSchema();
      return store;
    } catch (err) {
      const e = translateNeo4jError(err, { operation: 'connecting', uri: config.uri });
      if (!e.retriable) {
        await driver.close().catch(() => undefined);
        throw e;
      }
      if (attempt >= attempts) {
        opts.log(`neo4j: cannot reach ${config.uri} (attempt ${attempt} of ${attempts}): ${e.message}; giving up`);
        await driver.close().catch(() => undefined);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        throw new AriadneError(
          'STORE_UNAVAILABLE',
          `cannot reach Neo4j at ${config.uri} (database ${config.database}) after ${attempt} attempts over ${seconds} s: ${e.message}`,
          { uri: config.uri, attempts: attempt },
          { cause: err, retriable: true },
        );
      }
      const delay = Math.min(opts.retryBaseDelayMs * 2 ** (attempt - 1), opts.retryMaxDelayMs);
      opts.log(`neo4j: cannot reach ${config.uri} (attempt ${attempt} of ${attempts}): ${e.message}; retrying in ${(delay / 1000).toFixed(1)} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Properties of a :Label node as stored. */
interface LabelProps {
  id: number;
  address: string;
  category: string;
  label: string;
  source: string;
  confidence: number;
  actor?: string | null;
  detail?: string | null;
  addedAt: number;
  removedAt?: number | null;
}

interface RelProps {
  index: number;
  address: string | null;
  value?: string | null;
  asset: string;
  prevTxId?: string | null;
  prevVout?: number | null;
  addressSource?: string | null;
  scriptType?: string;
  detail?: string | null;
}

export class Neo4jStore implements GraphStore {
  readonly engine = 'neo4j' as const;
  private readonly listeners = new Set<(change: GraphChange) => void>();
  // Shared by every session: on a cluster, a read then sees the store's own earlier writes.
  private readonly bookmarks = neo4j.bookmarkManager();

  constructor(
    private readonly driver: Driver,
    private readonly config: Neo4jConfig,
  ) {}

  /** Creates the constraints and indexes of schema.cypher that are missing (one auto-commit statement each). */
  async ensureSchema(): Promise<void> {
    const session = this.driver.session({ database: this.config.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      for (const statement of loadCypherStatements('schema')) {
        try {
          await session.run(statement);
        } catch (err) {
          // Two processes starting at once may race on IF NOT EXISTS: the rule exists, which is the goal.
          if ((err as { code?: string }).code !== 'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists') throw err;
        }
      }
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  // ---------------------------------------------------------------- write port

  /** `writeBlocks([block])`. */
  async writeBlock(block: Block): Promise<WriteBlockResult> {
    return (await this.writeBlocks([block]))[0]!;
  }

  /**
   * One Neo4j transaction for the whole batch, so a batch is stored whole or not at all (a bad block refuses
   * it, naming the block). The blocks are planned in TypeScript (batch-plan.ts) from four batched reads, then
   * written by one query (addresses, transactions, inputs, outputs), plus one for inputs stored before the
   * batch that it resolves and one for their transactions: at most 8 queries per batch, whatever its size.
   * `CALL { } IN TRANSACTIONS` would commit large writes in pieces but cannot run inside an explicit
   * transaction: atomicity wins, and callers keep batches to a few thousand transactions, which one
   * transaction holds easily.
   */
  async writeBlocks(blocks: readonly Block[]): Promise<WriteBlockResult[]> {
    // Every block is checked before anything is written; validateBlock's errors name the block.
    for (const block of blocks) validateBlock(block);
    if (blocks.length === 0) return [];
    const first = blockLabel(blocks[0]!);
    const where = { block: blocks.length === 1 ? first : `${first} to ${blockLabel(blocks.at(-1)!)} (${blocks.length} blocks)` };
    let done: BatchWrite | null;
    try {
      done = await this.write('writeBlocks', (tx) => writeBlocksIn(tx, blocks, Date.now()), where);
    } catch (err) {
      // A refused block already names itself; anything else names the batch.
      throw err instanceof AriadneError && err.context.block === undefined ? err.withContext(where) : err;
    }
    const results = blocks.map(unwrittenResult);
    if (!done) return results;
    done.plan.blocks.forEach(({ counts }, k) => {
      const at = done.positions[k]!;
      results[at] = { ...results[at]!, ...counts, written: true, newAddresses: done.newAddresses[k]! };
    });
    for (const { block, change } of done.plan.blocks) this.emit({ kind: 'block', chain: block.chain, height: block.height, txIds: change.txIds, addresses: change.addresses });
    return results;
  }

  async importLabels(source: string, labels: readonly Label[]): Promise<LabelImportResult> {
    if (!source) throw invalidInput('label source must be a non-empty string');
    const now = Date.now();
    const outcome = await this.write('importLabels', async (tx) => {
      const result: LabelImportResult = { source, added: 0, updated: 0, removed: 0, unchanged: 0 };
      let last = await lockLabels(tx);
      const existing = new Map<string, LabelProps>();
      for (const row of rows<{ label: LabelProps }>(await run(tx, 'import-labels-active', { source }))) existing.set(labelKey(row.label), row.label);
      const seen = new Set<string>();
      const created: LabelProps[] = [];
      const removed: LabelProps[] = [];
      for (const label of labels) {
        if (label.source !== source) throw invalidInput(`label for ${label.address} has source ${JSON.stringify(label.source)}, expected ${JSON.stringify(source)}`);
        const key = labelKey(label);
        if (seen.has(key)) continue;
        seen.add(key);
        const row = existing.get(key);
        if (row && row.confidence === label.confidence && (row.detail ?? null) === serializeDetail(label.detail)) {
          result.unchanged++;
          continue;
        }
        if (row) {
          // Same label, new confidence or detail: the old version goes to history.
          removed.push(row);
          result.updated++;
        } else {
          result.added++;
        }
        created.push(labelProps(label, ++last, now));
      }
      for (const [key, row] of existing) {
        if (seen.has(key)) continue;
        removed.push(row);
        result.removed++;
      }
      // Labels were read under the label lock: every one of them is still active and gets removed.
      if (removed.length > 0) await run(tx, 'labels-remove', { ids: removed.map((l) => l.id), removedAt: now });
      if (created.length > 0) await createLabels(tx, created, last);
      return { result, addresses: new Set([...created, ...removed].map((l) => l.address)) };
    });
    if (outcome.addresses.size > 0) this.emit({ kind: 'labels', addresses: [...outcome.addresses] });
    return outcome.result;
  }

  async addLabel(label: Label): Promise<StoredLabel> {
    const outcome = await this.write('addLabel', async (tx) => {
      const last = await lockLabels(tx);
      const found = rows<{ label: LabelProps }>(
        await run(tx, 'add-label-find', { address: label.address, category: label.category, label: label.label, actor: label.actor ?? null, source: label.source }),
      );
      if (found[0]) return { stored: toStoredLabel(found[0].label), created: false };
      const props = labelProps(label, last + 1, Date.now());
      await createLabels(tx, [props], last + 1);
      return { stored: toStoredLabel(props), created: true };
    });
    if (outcome.created) this.emit({ kind: 'labels', addresses: [label.address] });
    return outcome.stored;
  }

  async removeLabel(id: number): Promise<boolean> {
    const removed = await this.write('removeLabel', async (tx) => {
      await lockLabels(tx);
      return rows<{ label: LabelProps }>(await run(tx, 'labels-remove', { ids: [id], removedAt: Date.now() }))[0]?.label ?? null;
    });
    if (!removed) return false;
    this.emit({ kind: 'labels', addresses: [removed.address] });
    return true;
  }

  async labelHistory(address: AddressId): Promise<StoredLabel[]> {
    const result = await this.read('labelHistory', (tx) => run(tx, 'label-history', { address }));
    return rows<{ label: LabelProps }>(result).map((r) => toStoredLabel(r.label));
  }

  // ---------------------------------------------------------------- read port

  async getTransactions(ids: readonly TxId[]): Promise<Map<TxId, Transaction>> {
    const unique = [...new Set(ids)];
    const out = new Map<TxId, Transaction>();
    if (unique.length === 0) return out;
    const result = await this.read('getTransactions', (tx) => run(tx, 'get-transactions', { ids: unique }));
    const found = new Map<string, Transaction>();
    for (const r of rows<{ tx: Record<string, unknown>; inputs: RelProps[]; outputs: RelProps[] }>(result)) {
      const t = toTransaction(r.tx, r.inputs, r.outputs);
      found.set(t.id, t);
    }
    for (const id of unique) {
      const t = found.get(id);
      if (t) out.set(id, t);
    }
    return out;
  }

  async getAddresses(ids: readonly AddressId[]): Promise<Map<AddressId, AddressSummary>> {
    const unique = [...new Set(ids)];
    const out = new Map<AddressId, AddressSummary>();
    if (unique.length === 0) return out;
    const result = await this.read('getAddresses', (tx) => run(tx, 'get-addresses', { ids: unique }));
    type Seen = { height: number; time: number } | null;
    type Row = { id: string; txCount: number; first: Seen; last: Seen; totals: { asset: string; type: string; values: string[] }[] };
    const found = new Map<string, AddressSummary>();
    for (const r of rows<Row>(result)) {
      const totals = new Map<string, AssetTotals>();
      for (const g of r.totals) {
        let t = totals.get(g.asset);
        if (!t) totals.set(g.asset, (t = { asset: g.asset, received: 0n, sent: 0n, balance: 0n }));
        const total = g.values.reduce((s, v) => s + BigInt(v), 0n);
        if (g.type === 'OUTPUT') t.received += total;
        else t.sent += total;
      }
      for (const t of totals.values()) t.balance = t.received - t.sent;
      found.set(r.id, {
        id: r.id,
        chain: chainOfId(r.id),
        txCount: r.txCount,
        firstSeen: r.first ? { height: r.first.height, time: r.first.time } : null,
        lastSeen: r.last ? { height: r.last.height, time: r.last.time } : null,
        totals: [...totals.values()].sort((a, b) => compareText(a.asset, b.asset)),
      });
    }
    for (const id of unique) {
      const s = found.get(id);
      if (s) out.set(id, s);
    }
    return out;
  }

  async getFlows(ids: readonly AddressId[], query: FlowQuery = {}): Promise<Map<AddressId, Flow[]>> {
    const unique = [...new Set(ids)];
    const out = new Map<AddressId, Flow[]>();
    if (unique.length === 0) return out;
    const params = {
      ids: unique,
      side: query.side ?? 'both',
      minHeight: query.minHeight ?? null,
      maxHeight: query.maxHeight ?? null,
      minTime: query.minTime ?? null,
      maxTime: query.maxTime ?? null,
      minValueKey: query.minValue === undefined ? null : minAmountKey(query.minValue),
    };
    const result = await this.read('getFlows', (tx) => run(tx, 'get-flows', params));
    type Row = { id: string; flows: { txId: string; side: number; index: number; value: string | null; asset: string; height: number; time: number }[] };
    const found = new Map<string, Flow[]>();
    for (const r of rows<Row>(result)) {
      found.set(
        r.id,
        r.flows.map((f) => ({
          address: r.id,
          txId: f.txId,
          side: f.side === 0 ? 'input' : 'output',
          index: f.index,
          value: f.value === null ? null : BigInt(f.value),
          asset: f.asset,
          height: f.height,
          time: f.time,
        })),
      );
    }
    for (const id of unique) {
      const flows = found.get(id);
      if (flows) out.set(id, flows);
    }
    return out;
  }

  async getLabels(ids: readonly AddressId[]): Promise<Map<AddressId, StoredLabel[]>> {
    const unique = [...new Set(ids)];
    const out = new Map<AddressId, StoredLabel[]>();
    if (unique.length === 0) return out;
    const result = await this.read('getLabels', (tx) => run(tx, 'get-labels', { ids: unique }));
    const found = new Map<string, StoredLabel[]>();
    for (const r of rows<{ id: string; label: LabelProps }>(result)) {
      const list = found.get(r.id);
      if (list) list.push(toStoredLabel(r.label));
      else found.set(r.id, [toStoredLabel(r.label)]);
    }
    for (const id of unique) {
      const list = found.get(id);
      if (list) out.set(id, list);
    }
    return out;
  }

  async findAddressesByCategory(categories: readonly Category[]): Promise<AddressId[]> {
    if (categories.length === 0) return [];
    const result = await this.read('findAddressesByCategory', (tx) => run(tx, 'find-addresses-by-category', { categories: [...categories] }));
    return rows<{ address: string }>(result)
      .map((r) => r.address)
      .sort();
  }

  async blockHeight(chain: ChainKey, hash: string): Promise<number | null> {
    const result = await this.read('blockHeight', (tx) => run(tx, 'block-height', { chain, hash }));
    return rows<{ height: number }>(result)[0]?.height ?? null;
  }

  async findTransactionsByHeight(chain: ChainKey, fromHeight: number, toHeight: number): Promise<TxId[]> {
    const result = await this.read('findTransactionsByHeight', (tx) => run(tx, 'find-transactions-by-height', { chain, fromHeight, toHeight }));
    return rows<{ id: string }>(result).map((r) => r.id);
  }

  async stats(): Promise<GraphStats> {
    const result = await this.read('stats', (tx) => run(tx, 'stats'));
    type Row = {
      blocks: { chain: string; n: number }[];
      transactions: { chain: string; n: number; inputs: number; resolved: number; outputs: number }[];
      addresses: { chain: string; n: number }[];
      fees: { chain: string; fees: string }[];
      labels: number;
    };
    const r = rows<Row>(result)[0]!;
    const perChain: GraphStats['perChain'] = {};
    const chains = new Set([...r.blocks, ...r.transactions, ...r.addresses, ...r.fees].map((x) => x.chain));
    for (const chain of [...chains].sort()) perChain[chain] = { blocks: 0, transactions: 0, inputs: 0, resolvedInputs: 0, outputs: 0, addresses: 0, fees: 0n };
    for (const x of r.blocks) perChain[x.chain]!.blocks = x.n;
    for (const x of r.transactions) Object.assign(perChain[x.chain]!, { transactions: x.n, inputs: x.inputs, resolvedInputs: x.resolved, outputs: x.outputs });
    for (const x of r.addresses) perChain[x.chain]!.addresses = x.n;
    for (const x of r.fees) perChain[x.chain]!.fees = BigInt(x.fees);
    const total = (k: 'blocks' | 'transactions' | 'inputs' | 'resolvedInputs' | 'outputs' | 'addresses') => Object.values(perChain).reduce((t, c) => t + c[k], 0);
    return {
      blocks: total('blocks'),
      transactions: total('transactions'),
      inputs: total('inputs'),
      resolvedInputs: total('resolvedInputs'),
      outputs: total('outputs'),
      addresses: total('addresses'),
      labels: r.labels,
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
    await this.driver.close();
  }

  /**
   * Runs `work` in one read transaction on this store's database and session settings (bookmarks, driver
   * retries), translating driver errors (errors.ts). Public for the engines that share the database
   * (compliance/neo4j-compliance-store.ts); not part of the GraphStore port.
   */
  async read<T>(operation: string, work: (tx: ManagedTransaction) => Promise<T>, context?: ErrorContext): Promise<T> {
    const session = this.driver.session({ database: this.config.database, defaultAccessMode: neo4j.session.READ, bookmarkManager: this.bookmarks });
    try {
      return await session.executeRead(work);
    } catch (err) {
      throw translateNeo4jError(err, { operation, uri: this.config.uri, ...(context ? { context } : {}) });
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  /** As `read`, in one write transaction (re-run whole by the driver on transient errors). */
  async write<T>(operation: string, work: (tx: ManagedTransaction) => Promise<T>, context?: ErrorContext): Promise<T> {
    const session = this.driver.session({ database: this.config.database, defaultAccessMode: neo4j.session.WRITE, bookmarkManager: this.bookmarks });
    try {
      return await session.executeWrite(work);
    } catch (err) {
      throw translateNeo4jError(err, { operation, uri: this.config.uri, ...(context ? { context } : {}) });
    } finally {
      await session.close().catch(() => undefined);
    }
  }
}

// ---------------------------------------------------------------- block write

/** What a batch wrote: the plan of its written blocks, their positions in the batch and their new addresses. */
interface BatchWrite {
  plan: BatchPlan;
  positions: number[];
  newAddresses: number[];
}

/** The batch write inside one transaction; null when every block was stored already (nothing written). */
async function writeBlocksIn(tx: ManagedTransaction, blocks: readonly Block[], writtenAt: number): Promise<BatchWrite | null> {
  // A block twice in the batch: the first is claimed, the repeat finds it stored (written: false).
  const byKey = new Map<string, number>();
  blocks.forEach((b, k) => {
    const key = blockKey(b.chain, b.hash);
    if (!byKey.has(key)) byKey.set(key, k);
  });
  const candidates = [...byKey.values()];
  const chains = [...new Set(blocks.map((b) => b.chain))].sort();
  const claim = rows<{ fees: { chain: ChainKey; fees: string }[]; created: { chain: string; hash: string }[] }>(
    await run(tx, 'write-block-claim', {
      chains,
      blocks: candidates.map((k) => {
        const b = blocks[k]!;
        return { chain: b.chain, hash: b.hash, height: b.height, time: b.time, txCount: b.transactions.length, writtenAt };
      }),
    }),
  )[0]!;
  const created = new Set(claim.created.map((c) => blockKey(c.chain, c.hash)));
  const positions = candidates.filter((k) => created.has(blockKey(blocks[k]!.chain, blocks[k]!.hash)));
  if (positions.length === 0) return null;
  const claimed = positions.map((k) => blocks[k]!);

  const ids = [...new Set(claimed.flatMap((b) => b.transactions.map((t) => t.id)))];
  const stored = new Set(rows<{ id: string }>(await run(tx, 'write-block-existing-transactions', { ids })).map((r) => r.id));
  const newTxs = newTransactions(claimed, stored);
  const all = newTxs.flat();

  const storedOutputs = new Map<string, StoredOutput>();
  const outpoints = outpointsToLookUp(all);
  if (outpoints.length > 0) {
    const vouts = new Map<string, number[]>();
    for (const op of outpoints) {
      const list = vouts.get(op.txId);
      if (list) list.push(op.vout);
      else vouts.set(op.txId, [op.vout]);
    }
    const params = { outpoints: [...vouts].map(([txId, list]) => ({ txId, vouts: list })) };
    for (const r of rows<{ txId: string; vout: number; address: string | null; value: string }>(await run(tx, 'write-block-prevouts', params))) {
      storedOutputs.set(outpointKey(r.txId, r.vout), { address: r.address, value: BigInt(r.value) });
    }
  }
  const spenders: StoredSpender[] = [];
  if (all.length > 0) {
    type Row = {
      txId: string;
      unresolved: number;
      coinbase: boolean;
      pending: { index: number; prevTxId: string; prevVout: number }[];
      inputs: { index: number; value: string | null }[];
      outputs: string[];
    };
    for (const r of rows<Row>(await run(tx, 'write-block-pending-spenders', { txIds: all.map((t) => t.id) }))) {
      spenders.push({
        txId: r.txId,
        unresolved: r.unresolved,
        coinbase: r.coinbase,
        pending: r.pending,
        inputs: r.inputs.map((i) => ({ index: i.index, value: i.value === null ? null : BigInt(i.value) })),
        outputs: r.outputs.map((v) => BigInt(v)),
      });
    }
  }

  const chainFees = new Map(claim.fees.map((f) => [f.chain, BigInt(f.fees)]));
  const plan = planBatchWrite({ blocks: claimed, newTxs, storedOutputs, spenders, chainFees });

  const newAddresses = claimed.map(() => 0);
  if (plan.txs.length > 0) {
    // Inputs and outputs name their address by its position in the address list.
    const position = new Map(plan.addresses.map((a, k) => [a.id, k]));
    const at = (address: AddressId | null): number | null => (address === null ? null : position.get(address)!);
    const byBlock = new Map<string, { chain: string; hash: string; height: number; txs: unknown[][] }>();
    for (const { tx: t, fee, unresolved, inputs } of plan.txs) {
      const key = blockKey(t.chain, t.blockHash);
      let group = byBlock.get(key);
      if (!group) byBlock.set(key, (group = { chain: t.chain, hash: t.blockHash, height: t.height, txs: [] }));
      group.txs.push([
        t.id,
        t.hash,
        t.time,
        t.position,
        t.coinbase,
        t.status,
        fee === null ? null : fee.toString(),
        inputs.length,
        t.outputs.length,
        unresolved,
        inputs.map((i) => inputRow(at(i.address), i)),
        t.outputs.map((o) => outputRow(at(o.address), o)),
      ]);
    }
    const written = await run(tx, 'write-block-create', { addresses: plan.addresses.map((a) => ({ id: a.id, chain: a.chain })), blocks: [...byBlock.values()] });
    const firstBlock = new Map(plan.addresses.map((a) => [a.id, a.block]));
    for (const id of rows<{ created: string[] }>(written)[0]!.created) newAddresses[firstBlock.get(id)!]!++;
  }
  if (plan.backfills.length > 0) {
    await run(tx, 'write-block-backfill', {
      backfills: plan.backfills.map((b) => ({ chain: b.chain, txId: b.txId, index: b.index, address: b.address, value: b.value.toString(), valueKey: amountKey(b.value) })),
    });
  }
  if (plan.txUpdates.length > 0) {
    await run(tx, 'write-block-update-transactions', {
      updates: plan.txUpdates.map((u) => ({ id: u.id, unresolved: u.unresolved, fee: u.fee === null ? null : u.fee.toString() })),
    });
  }
  await run(tx, 'write-block-chain-fees', { fees: [...plan.chainFees].map(([chain, fees]) => ({ chain, fees: fees.toString() })) });
  return { plan, positions, newAddresses };
}

const blockKey = (chain: string, hash: string): string => `${chain}\u0000${hash}`;

/** An INPUT relationship as write-block-create.cypher takes it: [address position, ...properties]. */
function inputRow(address: number | null, i: TxInput): unknown[] {
  return [address, i.index, i.value === null ? null : i.value.toString(), i.value === null ? null : amountKey(i.value), i.asset, i.spends?.txId ?? null, i.spends?.vout ?? null, i.addressSource ?? null];
}

/** An OUTPUT relationship as write-block-create.cypher takes it: [address position, ...properties]. */
function outputRow(address: number | null, o: TxOutput): unknown[] {
  return [address, o.index, o.value.toString(), amountKey(o.value), o.asset, o.scriptType, o.detail ? JSON.stringify(o.detail) : null];
}

// ---------------------------------------------------------------- labels

/** Locks the label sequence for this transaction; returns the last label id used. */
async function lockLabels(tx: ManagedTransaction): Promise<number> {
  return rows<{ last: number }>(await run(tx, 'labels-lock'))[0]!.last;
}

async function createLabels(tx: ManagedTransaction, labels: readonly LabelProps[], last: number): Promise<void> {
  await run(tx, 'labels-create', { labels: labels.map((props) => ({ chain: chainOfId(props.address), props })), last });
}

/** Validates a label as the embedded store does before inserting it, and gives its stored properties. */
function labelProps(label: Label, id: number, now: number): LabelProps {
  if (!Number.isFinite(label.confidence) || label.confidence < 0 || label.confidence > 100) {
    throw invalidInput(`label confidence must be between 0 and 100, got ${label.confidence}`, { address: label.address });
  }
  chainOfId(label.address);
  return {
    id,
    address: label.address,
    category: label.category,
    label: label.label,
    source: label.source,
    confidence: Math.round(label.confidence),
    actor: label.actor ?? null,
    detail: serializeDetail(label.detail),
    addedAt: now,
    removedAt: null,
  };
}

function labelKey(l: { address: string; category: string; label: string; actor?: string | null }): string {
  return JSON.stringify([l.address, l.category, l.label, l.actor ?? null]);
}

function serializeDetail(detail: Record<string, unknown> | undefined): string | null {
  return detail === undefined ? null : JSON.stringify(detail);
}

function toStoredLabel(row: LabelProps): StoredLabel {
  return {
    id: row.id,
    address: row.address,
    category: row.category as Category,
    label: row.label,
    source: row.source,
    confidence: row.confidence,
    actor: row.actor ?? null,
    ...(row.detail ? { detail: JSON.parse(row.detail) as Record<string, unknown> } : {}),
    addedAt: row.addedAt,
    removedAt: row.removedAt ?? null,
  };
}

// ---------------------------------------------------------------- rows

function toTransaction(t: Record<string, unknown>, inputs: RelProps[], outputs: RelProps[]): Transaction {
  const fee = t.fee as string | null | undefined;
  return {
    id: t.id as string,
    chain: t.chain as ChainKey,
    hash: t.hash as string,
    blockHash: t.blockHash as string,
    height: t.height as number,
    time: t.time as number,
    position: t.position as number,
    coinbase: t.coinbase as boolean,
    status: t.status as Transaction['status'],
    fee: fee == null ? null : BigInt(fee),
    inputs: [...inputs].sort((a, b) => a.index - b.index).map(toInput),
    outputs: [...outputs].sort((a, b) => a.index - b.index).map(toOutput),
  };
}

function toInput(r: RelProps): TxInput {
  return {
    index: r.index,
    address: r.address ?? null,
    value: r.value == null ? null : BigInt(r.value),
    asset: r.asset,
    ...(r.prevTxId != null ? { spends: { txId: r.prevTxId, vout: r.prevVout! } } : {}),
    ...(r.addressSource != null ? { addressSource: r.addressSource as TxInput['addressSource'] } : {}),
  };
}

function toOutput(r: RelProps): TxOutput {
  return {
    index: r.index,
    address: r.address ?? null,
    value: BigInt(r.value!),
    asset: r.asset,
    scriptType: r.scriptType as TxOutput['scriptType'],
    ...(r.detail ? { detail: JSON.parse(r.detail) as Record<string, unknown> } : {}),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------- queries

/** Runs cypher/<name>.cypher with parameters only. */
async function run(tx: ManagedTransaction, name: string, params: Record<string, unknown> = {}): Promise<QueryResult> {
  return tx.run(loadCypher(name), toCypherParams(params) as Record<string, unknown>);
}

function rows<T>(result: QueryResult<RecordShape>): T[] {
  return result.records.map((r) => r.toObject() as T);
}

// For the engines that share the store's database (compliance/): the same query runner and row reader.
export { run as runCypher, rows as cypherRows };

/**
 * Parameters as Cypher values: the driver sends a JS number as a float, so every safe integer becomes a
 * Cypher integer (heights, indexes, times and ids are stored as integers). Bigints are refused: amounts go
 * as decimal strings.
 */
function toCypherParams(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? neo4j.int(value) : value;
  if (typeof value === 'bigint') throw new AriadneError('INTERNAL', `a bigint (${value}) was passed as a Cypher parameter: amounts must be decimal strings`);
  if (Array.isArray(value)) return value.map(toCypherParams);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = v === undefined ? null : toCypherParams(v);
    return out;
  }
  return value;
}

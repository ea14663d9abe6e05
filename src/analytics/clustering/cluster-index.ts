/**
 * Entity clustering: groups addresses that are likely controlled by one entity, growing incrementally as
 * blocks arrive, and explains every merge.
 *
 * Heuristics, per ledger kind:
 * - UTXO chains: the multi-input (common-input-ownership) heuristic. All known input addresses of a
 *   transaction join one cluster, except in coinbase transactions (no inputs) and in CoinJoins by
 *   BlockSci's rule (coinjoin.ts), which are recorded with the rule's numbers. Inputs whose address is
 *   unknown (prevout not ingested, non-standard script) are ignored for merging.
 *   [Reference]: Nakamoto 2008, section 10 "Privacy"; Meiklejohn et al., "A Fistful of Bitcoins", IMC 2013.
 * - UTXO chains, opt-in (`mergeChange`): change outputs (change-heuristics.ts) with confidence >=
 *   `changeMinConfidence` join the inputs' cluster, unless the merged cluster would exceed
 *   `maxChangeMergeSize` addresses; each refusal is recorded.
 * - Account chains: deposit-address reuse (deposit-reuse.ts; Victor, FC 2020).
 *
 * Cluster ids are deterministic: the smallest address id (string order) in the cluster. Two engines fed the
 * same transactions in the same chain order therefore produce the same ids. An id changes when its cluster
 * merges with one holding a smaller address; `clusterOf(address)` always gives the current one.
 *
 * Every union that joined two different clusters is stored as an evidence edge (transaction, heuristic,
 * pair, reason), so a cluster of n addresses carries exactly n - 1 edges: a spanning tree that proves it.
 * Clusters only grow: a label removed later, or a heuristic switched off, needs a rebuild (`build`).
 *
 * Label categories per cluster (what screening's risk decision needs, `labelCategories`): for each cluster,
 * how many members carry an active label of each category, kept through merges (counts added) and label
 * changes (`follow`: the changed addresses' labels re-read), so that reading them is O(categories) rather
 * than a read of every member's labels. Loaded by `build` (or `loadLabels`) after the transactions.
 *
 * Reads are batched: `addTransactionIds` fetches `batchSize` transactions per call; change freshness and
 * deposit checks take one read per batch, never one per transaction.
 */
import { invalidInput, notFound } from '../../errors.js';
import { chainOfId, type AddressId, type TxId } from '../../model/address.js';
import { chainInfo } from '../../model/chain.js';
import { CATEGORIES, type Category } from '../../model/label.js';
import type { Transaction } from '../../model/transaction.js';
import type { GraphChange, GraphReader, GraphStore } from '../../store/graph-store.js';
import { type ChangeEvidence, type ChangeOptions, changeEvidenceFor, loadChangeContext } from './change-heuristics.js';
import { detectCoinJoin, type CoinJoinVerdict } from './coinjoin.js';
import {
  type DepositEvidence,
  type DepositReuseOptions,
  DEPOSIT_DEFAULTS,
  findDepositAddresses,
  linkDepositSenders,
  type NativeTransfer,
  nativeTransferOf,
} from './deposit-reuse.js';
import { UnionFind } from './union-find.js';

/** A cluster id: the smallest address id in the cluster. */
export type ClusterId = string;

export type ClusterHeuristic = 'multi-input' | 'change' | 'deposit-reuse';

export interface ClusterEvidence {
  heuristic: ClusterHeuristic;
  /** The transaction that justified the union. */
  txId: TxId;
  height: number;
  /** The pair joined (each was in a different cluster just before). */
  a: AddressId;
  b: AddressId;
  reason: string;
  /** heuristic 'change': the change evidence merged on. */
  change?: ChangeEvidence;
  /** heuristic 'deposit-reuse': the two transfers that identified the deposit address. */
  deposit?: DepositEvidence;
  /** Global order of unions; explainCluster lists edges in this order. */
  seq: number;
}

export interface CoinJoinExclusion {
  txId: TxId;
  height: number;
  rule: 'blocksci-coinjoin';
  verdict: CoinJoinVerdict;
}

export interface MergeRefusal {
  txId: TxId;
  heuristic: 'change';
  a: AddressId;
  b: AddressId;
  sizeA: number;
  sizeB: number;
  limit: number;
  reason: string;
  change: ChangeEvidence;
}

export interface ClusterIndexOptions {
  /** Opt-in: merge change outputs into the inputs' cluster. */
  mergeChange: boolean;
  /** Only change evidence with at least this confidence (0-100) is merged on. */
  changeMinConfidence: number;
  /** A change merge that would create a cluster of more than this many addresses is refused and recorded. */
  maxChangeMergeSize: number;
  change: Partial<ChangeOptions>;
  /** Account chains: apply the deposit-address heuristic. */
  depositReuse: boolean;
  deposit: Partial<DepositReuseOptions>;
  /** Transactions fetched per read in addTransactionIds / follow. */
  batchSize: number;
}

export const DEFAULTS: ClusterIndexOptions = {
  mergeChange: false,
  changeMinConfidence: 50,
  maxChangeMergeSize: 1000,
  change: {},
  depositReuse: true,
  deposit: {},
  batchSize: 500,
};

export interface AddTransactionsResult {
  /** Transactions examined now (already-processed ones are skipped). */
  processed: number;
  /** Unions that joined two different clusters. */
  merges: number;
  coinjoins: CoinJoinExclusion[];
  refusals: MergeRefusal[];
  /** Deposit addresses identified now. */
  deposits: DepositEvidence[];
}

export interface ClusterRef {
  id: ClusterId;
  size: number;
}

export interface Page {
  offset?: number;
  limit?: number;
}

export interface PageOf<T> {
  clusterId: ClusterId;
  total: number;
  offset: number;
  items: T[];
  /** Offset of the next page, or null after the last one. */
  nextOffset: number | null;
}

export interface ClusterStats {
  addresses: number;
  clusters: number;
  /** Clusters of two or more addresses. */
  multiAddressClusters: number;
  largest: ClusterRef | null;
  transactions: number;
  coinjoins: number;
  refusals: number;
  deposits: number;
  /** Transactions processed with an input of unknown address, waiting for it to resolve. */
  pending: number;
}

const MAX_PAGE = 10_000;

interface RootData {
  members: number[];
  membersSorted: boolean;
  evidence: ClusterEvidence[];
  evidenceSorted: boolean;
  minId: AddressId;
  /** Members carrying an active label of each category (index in CATEGORIES); null while none has been. */
  labelCounts: number[] | null;
}

export class ClusterIndex {
  readonly options: ClusterIndexOptions;
  private readonly uf = new UnionFind();
  /** Per root slot. */
  private readonly roots = new Map<number, RootData>();
  private readonly idToRoot = new Map<ClusterId, number>();
  private readonly processed = new Set<TxId>();
  private readonly coinjoins = new Map<TxId, CoinJoinExclusion>();
  private readonly refusalMap = new Map<string, MergeRefusal>();
  private readonly deposits = new Map<AddressId, DepositEvidence>();
  /** Transactions processed with unknown input addresses, keyed by the transaction whose output they spend. */
  private readonly awaiting = new Map<TxId, Set<TxId>>();
  /** Pending transaction -> the transactions whose outputs it waits for. */
  private readonly pending = new Map<TxId, TxId[]>();
  /** Active label categories of every labelled address (fed in a transaction or not), bit i = CATEGORIES[i]. */
  private readonly labelMasks = new Map<AddressId, number>();
  private seq = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly failures: unknown[] = [];

  constructor(
    private readonly graph: GraphReader,
    options: Partial<ClusterIndexOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    const o = this.options;
    if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw invalidInput(`batchSize must be a positive integer, got ${String(o.batchSize)}`);
    if (!Number.isInteger(o.maxChangeMergeSize) || o.maxChangeMergeSize < 2) {
      throw invalidInput(`maxChangeMergeSize must be an integer >= 2, got ${String(o.maxChangeMergeSize)}`);
    }
    if (!(o.changeMinConfidence >= 0 && o.changeMinConfidence <= 100)) {
      throw invalidInput(`changeMinConfidence must be between 0 and 100, got ${String(o.changeMinConfidence)}`);
    }
  }

  /**
   * Builds an index from scratch over the given transactions (fed in chain order, `batchSize` per read),
   * then reads the labels of every labelled address for the clusters' label categories.
   */
  static async build(graph: GraphReader, txIds: readonly TxId[], options: Partial<ClusterIndexOptions> = {}): Promise<ClusterIndex> {
    const index = new ClusterIndex(graph, options);
    await index.addTransactionIds(txIds);
    await index.loadLabels();
    return index;
  }

  // ------------------------------------------------------------------ feeding

  /** Fetches the transactions by id, `batchSize` per read, and feeds them. Unknown ids are skipped. */
  async addTransactionIds(ids: readonly TxId[]): Promise<AddTransactionsResult> {
    const total = emptyResult();
    for (let i = 0; i < ids.length; i += this.options.batchSize) {
      const chunk = ids.slice(i, i + this.options.batchSize);
      const txs = await this.graph.getTransactions(chunk);
      const list = chunk.map((id) => txs.get(id)).filter((t): t is Transaction => t !== undefined);
      mergeResult(total, await this.addTransactions(list));
    }
    return total;
  }

  /**
   * Feeds transactions (any chains, any order; they are processed in chain order height, position).
   * A transaction already processed is skipped, unless it was waiting for an input address to resolve.
   */
  async addTransactions(txs: readonly Transaction[]): Promise<AddTransactionsResult> {
    const result = emptyResult();
    const fresh = txs
      .filter((tx) => !this.processed.has(tx.id) || this.pending.has(tx.id))
      .sort((a, b) => a.height - b.height || a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (fresh.length === 0) return result;
    const utxo = fresh.filter((tx) => chainInfo(tx.chain).kind === 'utxo');
    const account = fresh.filter((tx) => chainInfo(tx.chain).kind === 'account');
    const changeContext = this.options.mergeChange && utxo.length > 0 ? await loadChangeContext(this.graph, utxo) : null;

    for (const tx of utxo) {
      result.processed++;
      this.processed.add(tx.id);
      this.trackPending(tx);
      for (const o of tx.outputs) if (o.address !== null) this.ensure(o.address);
      if (tx.coinbase) continue;
      const known = tx.inputs.filter((i) => i.address !== null).map((i) => i.address!);
      for (const a of known) this.ensure(a);
      const verdict = detectCoinJoin(tx);
      if (verdict.isCoinJoin) {
        const exclusion: CoinJoinExclusion = { txId: tx.id, height: tx.height, rule: 'blocksci-coinjoin', verdict };
        this.coinjoins.set(tx.id, exclusion);
        result.coinjoins.push(exclusion);
        continue;
      }
      this.coinjoins.delete(tx.id);
      const first = known[0];
      if (first !== undefined) {
        for (const other of known.slice(1)) {
          if (this.join(first, other, { heuristic: 'multi-input', txId: tx.id, height: tx.height, reason: `both are inputs of ${tx.id} (common-input ownership)` })) {
            result.merges++;
          }
        }
      }
      if (changeContext) this.mergeChangeOf(tx, changeContext, result);
    }

    if (account.length > 0) {
      for (const tx of account) {
        result.processed++;
        this.processed.add(tx.id);
        for (const o of tx.outputs) if (o.address !== null) this.ensure(o.address);
        for (const i of tx.inputs) if (i.address !== null) this.ensure(i.address);
      }
      if (this.options.depositReuse) await this.applyDepositReuse(account.map(nativeTransferOf).filter((t): t is NativeTransfer => t !== null), result);
    }
    return result;
  }

  private mergeChangeOf(tx: Transaction, context: Awaited<ReturnType<typeof loadChangeContext>>, result: AddTransactionsResult): void {
    const evidence = changeEvidenceFor(tx, { ...context, clusterOf: (a) => this.clusterOf(a)?.id ?? null }, this.options.change);
    const anchor = tx.inputs.find((i) => i.address !== null)?.address;
    if (!anchor) return;
    for (const e of evidence) {
      if (e.confidence < this.options.changeMinConfidence) continue;
      const ra = this.uf.find(anchor)!;
      const rb = this.uf.find(e.address)!;
      if (ra === rb) continue;
      const sizeA = this.uf.sizeOfSlot(ra);
      const sizeB = this.uf.sizeOfSlot(rb);
      const limit = this.options.maxChangeMergeSize;
      if (sizeA + sizeB > limit) {
        const refusal: MergeRefusal = {
          txId: tx.id,
          heuristic: 'change',
          a: anchor,
          b: e.address,
          sizeA,
          sizeB,
          limit,
          change: e,
          reason: `refused to merge change output ${e.outputIndex} (${e.heuristic}, confidence ${e.confidence}): clusters of ${sizeA} and ${sizeB} addresses would make ${sizeA + sizeB} > maxChangeMergeSize ${limit}`,
        };
        this.refusalMap.set(`${tx.id}:${e.outputIndex}`, refusal);
        result.refusals.push(refusal);
        continue;
      }
      if (this.join(anchor, e.address, { heuristic: 'change', txId: tx.id, height: tx.height, reason: `change output ${e.outputIndex}: ${e.reason}`, change: e })) {
        result.merges++;
      }
    }
  }

  private async applyDepositReuse(transfers: NativeTransfer[], result: AddTransactionsResult): Promise<void> {
    const opts = { ...DEPOSIT_DEFAULTS, ...this.options.deposit };
    // Transfers into an already known deposit address join their sender (unless it is an exchange itself).
    const toKnown = transfers.filter((t) => this.deposits.has(t.to));
    if (toKnown.length > 0) {
      const labels = await this.graph.getLabels([...new Set(toKnown.map((t) => t.from))]);
      const wanted = new Set<string>(opts.exchangeCategories);
      for (const t of toKnown) {
        if ((labels.get(t.from) ?? []).some((l) => wanted.has(l.category))) continue;
        this.joinDeposit(t.from, t.to, t, this.deposits.get(t.to)!, result);
      }
    }
    const candidates = transfers.filter((t) => !this.deposits.has(t.from));
    await this.identifyDeposits(candidates, result);
  }

  private async identifyDeposits(forwards: NativeTransfer[], result: AddTransactionsResult): Promise<void> {
    if (forwards.length === 0) return;
    const opts = { ...DEPOSIT_DEFAULTS, ...this.options.deposit };
    const found = (await findDepositAddresses(this.graph, forwards, opts)).filter((d) => !this.deposits.has(d.deposit));
    if (found.length === 0) return;
    for (const d of found) {
      this.deposits.set(d.deposit, d);
      result.deposits.push(d);
    }
    const links = await linkDepositSenders(this.graph, found.map((d) => d.deposit), opts);
    for (const link of links.links) this.joinDeposit(link.sender, link.deposit, link.transfer, this.deposits.get(link.deposit)!, result);
  }

  private joinDeposit(sender: AddressId, deposit: AddressId, transfer: NativeTransfer, evidence: DepositEvidence, result: AddTransactionsResult): void {
    const joined = this.join(sender, deposit, {
      heuristic: 'deposit-reuse',
      txId: transfer.txId,
      height: transfer.height,
      reason: `${sender} sent ${transfer.value} wei to deposit address ${deposit} (identified by: ${evidence.reason})`,
      deposit: evidence,
    });
    if (joined) result.merges++;
  }

  /**
   * Re-examines deposit candidates after labels changed: every transfer into a newly exchange-labelled
   * address is a candidate forward. Called by `follow` on label events.
   */
  async addressesLabelled(addresses: readonly AddressId[]): Promise<AddTransactionsResult> {
    const result = emptyResult();
    if (!this.options.depositReuse || addresses.length === 0) return result;
    const account = addresses.filter((a) => chainInfo(chainOfId(a)).kind === 'account');
    if (account.length === 0) return result;
    const opts = { ...DEPOSIT_DEFAULTS, ...this.options.deposit };
    const labels = await this.graph.getLabels(account);
    const wanted = new Set<string>(opts.exchangeCategories);
    const exchanges = account.filter((a) => (labels.get(a) ?? []).some((l) => wanted.has(l.category)));
    if (exchanges.length === 0) return result;
    const flows = await this.graph.getFlows(exchanges, { side: 'output' });
    const ids = new Set<TxId>();
    for (const list of flows.values()) for (const f of list) if (f.index === 0) ids.add(f.txId);
    const txs = await this.graph.getTransactions([...ids]);
    const forwards: NativeTransfer[] = [];
    for (const id of ids) {
      const tx = txs.get(id);
      const t = tx ? nativeTransferOf(tx) : null;
      if (t && !this.deposits.has(t.from) && this.processed.has(t.txId)) forwards.push(t);
    }
    await this.identifyDeposits(forwards, result);
    return result;
  }

  /** Remembers a UTXO transaction fed with unknown input addresses, to be re-fed when they resolve. */
  private trackPending(tx: Transaction): void {
    for (const spent of this.pending.get(tx.id) ?? []) this.awaiting.get(spent)?.delete(tx.id);
    this.pending.delete(tx.id);
    const spent = [...new Set(tx.inputs.filter((i) => i.address === null && i.spends).map((i) => i.spends!.txId))];
    if (tx.coinbase || spent.length === 0) return;
    this.pending.set(tx.id, spent);
    for (const id of spent) {
      const set = this.awaiting.get(id) ?? new Set<TxId>();
      set.add(tx.id);
      this.awaiting.set(id, set);
    }
  }

  /**
   * Re-feeds pending transactions that spend outputs of the given (newly stored) transactions: their inputs
   * may have resolved. Multi-input merges are only ever added (see coinjoin.ts on monotonicity).
   */
  async refreshPending(newTxIds: readonly TxId[]): Promise<AddTransactionsResult> {
    const again = new Set<TxId>();
    for (const id of newTxIds) {
      const set = this.awaiting.get(id);
      if (!set) continue;
      for (const t of set) again.add(t);
      this.awaiting.delete(id);
    }
    return again.size === 0 ? emptyResult() : this.addTransactionIds([...again]);
  }

  /**
   * Keeps the index in step with a store: each committed block is fed (its transactions fetched
   * `batchSize` per read), pending transactions it resolves are re-fed, and label changes re-check deposit
   * candidates. Work is queued in commit order; `idle()` waits for it. Returns the unsubscribe function.
   */
  follow(store: Pick<GraphStore, 'onChange'>): () => void {
    return store.onChange((change) => this.enqueue(change));
  }

  private enqueue(change: GraphChange): void {
    this.queue = this.queue.then(async () => {
      try {
        if (change.kind === 'block') {
          await this.addTransactionIds(change.txIds);
          await this.refreshPending(change.txIds);
        } else {
          await this.refreshLabels(change.addresses);
          await this.addressesLabelled(change.addresses);
        }
      } catch (err) {
        this.failures.push(err);
      }
    });
  }

  /** Resolves when every queued change has been applied; throws the first failure since the last call. */
  async idle(): Promise<void> {
    await this.queue;
    if (this.failures.length > 0) {
      const [first] = this.failures.splice(0);
      throw first;
    }
  }

  /** Resolves when every change queued so far has been applied or has failed; failures stay for `idle`. */
  async drained(): Promise<void> {
    await this.queue; // never rejects: enqueue keeps failures aside
  }

  // ------------------------------------------------------------------ label categories

  /**
   * Reads the active labels of every labelled address (one findAddressesByCategory, then getLabels
   * `batchSize` addresses per read) and sets the clusters' label categories to match. Idempotent.
   */
  async loadLabels(): Promise<void> {
    const labelled = await this.graph.findAddressesByCategory(CATEGORIES);
    const masks = new Map<AddressId, number>();
    for (let i = 0; i < labelled.length; i += this.options.batchSize) {
      const labels = await this.graph.getLabels(labelled.slice(i, i + this.options.batchSize));
      for (const [address, list] of labels) masks.set(address, categoryMask(list));
    }
    for (const address of [...this.labelMasks.keys()]) if (!masks.has(address)) this.setLabelMask(address, 0);
    for (const [address, mask] of masks) this.setLabelMask(address, mask);
  }

  /** Re-reads the labels of these addresses (a label change) into their clusters' label categories. */
  async refreshLabels(addresses: readonly AddressId[]): Promise<void> {
    if (addresses.length === 0) return;
    const labels = await this.graph.getLabels(addresses);
    for (const address of addresses) this.setLabelMask(address, categoryMask(labels.get(address) ?? []));
  }

  private setLabelMask(address: AddressId, mask: number): void {
    const old = this.labelMasks.get(address) ?? 0;
    if (old === mask) return;
    if (mask === 0) this.labelMasks.delete(address);
    else this.labelMasks.set(address, mask);
    const root = this.uf.find(address);
    if (root === undefined) return; // counted when a transaction brings it in (ensure)
    const data = this.roots.get(root)!;
    const counts = (data.labelCounts ??= new Array<number>(CATEGORIES.length).fill(0));
    for (let i = 0; i < CATEGORIES.length; i++) counts[i]! += ((mask >>> i) & 1) - ((old >>> i) & 1);
  }

  // ------------------------------------------------------------------ union bookkeeping

  private ensure(address: AddressId): number {
    const before = this.uf.count;
    const slot = this.uf.add(address);
    if (this.uf.count > before) {
      const mask = this.labelMasks.get(address) ?? 0;
      const labelCounts = mask === 0 ? null : CATEGORIES.map((_, i) => (mask >>> i) & 1);
      this.roots.set(slot, { members: [slot], membersSorted: true, evidence: [], evidenceSorted: true, minId: address, labelCounts });
      this.idToRoot.set(address, slot);
    }
    return slot;
  }

  /** Joins the clusters of a and b; records the evidence when they were different. */
  private join(a: AddressId, b: AddressId, evidence: Omit<ClusterEvidence, 'a' | 'b' | 'seq'>): boolean {
    const outcome = this.uf.unionSlots(this.ensure(a), this.ensure(b));
    if (!outcome.merged) return false;
    const keep = this.roots.get(outcome.root)!;
    const gone = this.roots.get(outcome.absorbed)!;
    this.roots.delete(outcome.absorbed);
    this.idToRoot.delete(keep.minId);
    this.idToRoot.delete(gone.minId);
    for (const m of gone.members) keep.members.push(m);
    for (const e of gone.evidence) keep.evidence.push(e);
    keep.evidence.push({ ...evidence, a, b, seq: this.seq++ });
    keep.membersSorted = false;
    keep.evidenceSorted = gone.evidence.length === 0 && keep.evidenceSorted;
    if (gone.labelCounts) {
      if (!keep.labelCounts) keep.labelCounts = gone.labelCounts;
      else for (let i = 0; i < CATEGORIES.length; i++) keep.labelCounts[i]! += gone.labelCounts[i]!;
    }
    if (gone.minId < keep.minId) keep.minId = gone.minId;
    this.idToRoot.set(keep.minId, outcome.root);
    return true;
  }

  private rootOf(clusterId: ClusterId): RootData {
    const slot = this.idToRoot.get(clusterId);
    if (slot === undefined) {
      const current = this.uf.has(clusterId) ? this.clusterOf(clusterId) : null;
      throw notFound(
        current
          ? `no cluster with id ${JSON.stringify(clusterId)}: that address now belongs to cluster ${JSON.stringify(current.id)}`
          : `no cluster with id ${JSON.stringify(clusterId)}: expected the smallest address id of a cluster (see clusterOf)`,
      );
    }
    return this.roots.get(slot)!;
  }

  // ------------------------------------------------------------------ reading

  /** The cluster of an address, or null when the address was never seen in a fed transaction. */
  clusterOf(address: AddressId): ClusterRef | null {
    const root = this.uf.find(address);
    if (root === undefined) return null;
    const data = this.roots.get(root)!;
    return { id: data.minId, size: data.members.length };
  }

  /**
   * The categories of the active labels carried by any member of the cluster, in CATEGORIES order: kept
   * per cluster, O(number of categories). Throws NOT_FOUND for an id that is not a current cluster id.
   */
  labelCategories(clusterId: ClusterId): Category[] {
    const counts = this.rootOf(clusterId).labelCounts;
    return counts ? CATEGORIES.filter((_, i) => counts[i]! > 0) : [];
  }

  /** Number of addresses in the cluster. Throws NOT_FOUND for an id that is not a current cluster id. */
  size(clusterId: ClusterId): number {
    return this.rootOf(clusterId).members.length;
  }

  /** Members in ascending address order, one page at a time (limit 1..10,000, default 100). */
  members(clusterId: ClusterId, page: Page = {}): PageOf<AddressId> {
    const data = this.rootOf(clusterId);
    const { offset, limit } = checkPage(page);
    if (!data.membersSorted) {
      const names = data.members.map((m) => this.uf.keyOf(m));
      const order = data.members.map((_, i) => i).sort((x, y) => (names[x]! < names[y]! ? -1 : names[x]! > names[y]! ? 1 : 0));
      data.members = order.map((i) => data.members[i]!);
      data.membersSorted = true;
    }
    const items = data.members.slice(offset, offset + limit).map((m) => this.uf.keyOf(m));
    return { clusterId, total: data.members.length, offset, items, nextOffset: offset + limit < data.members.length ? offset + limit : null };
  }

  /**
   * The evidence edges that built the cluster, in the order the unions happened: size - 1 edges, each naming
   * the transaction, the heuristic and the pair it joined. Paged like `members`.
   */
  explainCluster(clusterId: ClusterId, page: Page = {}): PageOf<ClusterEvidence> {
    const data = this.rootOf(clusterId);
    const { offset, limit } = checkPage(page);
    if (!data.evidenceSorted) {
      data.evidence.sort((x, y) => x.seq - y.seq);
      data.evidenceSorted = true;
    }
    const items = data.evidence.slice(offset, offset + limit);
    return { clusterId, total: data.evidence.length, offset, items, nextOffset: offset + limit < data.evidence.length ? offset + limit : null };
  }

  /** Clusters with at least `minSize` addresses (default 2), largest first, then by id. */
  clusters(options: { minSize?: number } & Page = {}): { total: number; items: ClusterRef[] } {
    const { offset, limit } = checkPage(options);
    const minSize = options.minSize ?? 2;
    const all: ClusterRef[] = [];
    for (const data of this.roots.values()) if (data.members.length >= minSize) all.push({ id: data.minId, size: data.members.length });
    all.sort((x, y) => y.size - x.size || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    return { total: all.length, items: all.slice(offset, offset + limit) };
  }

  /** Sizes of every cluster (singletons included), largest first. */
  sizes(): number[] {
    return [...this.roots.values()].map((d) => d.members.length).sort((x, y) => y - x);
  }

  /** Transactions excluded as CoinJoins, with the rule's numbers, in chain order of processing. */
  coinJoinExclusions(): CoinJoinExclusion[] {
    return [...this.coinjoins.values()];
  }

  /** Change merges refused by the size guard. */
  refusals(): MergeRefusal[] {
    return [...this.refusalMap.values()];
  }

  /** Deposit addresses identified so far (account chains), by address. */
  depositAddresses(): DepositEvidence[] {
    return [...this.deposits.values()].sort((a, b) => (a.deposit < b.deposit ? -1 : a.deposit > b.deposit ? 1 : 0));
  }

  stats(): ClusterStats {
    let multi = 0;
    let largest: ClusterRef | null = null;
    for (const d of this.roots.values()) {
      if (d.members.length >= 2) multi++;
      if (!largest || d.members.length > largest.size || (d.members.length === largest.size && d.minId < largest.id)) largest = { id: d.minId, size: d.members.length };
    }
    return {
      addresses: this.uf.count,
      clusters: this.uf.setCount,
      multiAddressClusters: multi,
      largest,
      transactions: this.processed.size,
      coinjoins: this.coinjoins.size,
      refusals: this.refusalMap.size,
      deposits: this.deposits.size,
      pending: this.pending.size,
    };
  }
}

/** The categories of active labels as a bit set over CATEGORIES. */
function categoryMask(labels: readonly { category: Category }[]): number {
  let mask = 0;
  for (const l of labels) mask |= 1 << CATEGORIES.indexOf(l.category);
  return mask;
}

function checkPage(page: Page): { offset: number; limit: number } {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? 100;
  if (!Number.isInteger(offset) || offset < 0) throw invalidInput(`page offset must be an integer >= 0, got ${String(offset)}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw invalidInput(`page limit must be an integer between 1 and ${MAX_PAGE}, got ${String(limit)}`);
  return { offset, limit };
}

function emptyResult(): AddTransactionsResult {
  return { processed: 0, merges: 0, coinjoins: [], refusals: [], deposits: [] };
}

function mergeResult(into: AddTransactionsResult, from: AddTransactionsResult): void {
  into.processed += from.processed;
  into.merges += from.merges;
  into.coinjoins.push(...from.coinjoins);
  into.refusals.push(...from.refusals);
  into.deposits.push(...from.deposits);
}

/**
 * ProximityIndex: a screening index that keeps, for every address and each direction ('out', 'in',
 * 'both'), its hop distance to the nearest address carrying one of the configured categories (default
 * sanctioned), up to maxHops (default 6), under exactly the rules of hopDistance (edges.ts edges, stop
 * categories passed through never, ended on freely). A screening call is then a lookup plus a walk down
 * neighbours whose distance is one less: no traversal of the store.
 *
 * Method:
 * - Build: a compact in-memory copy of the address graph (integer ids, adjacency lists, one Uint8Array of
 *   distances per direction) read from the port (every transaction of every chain), then a multi-source
 *   breadth-first search from all labelled addresses over reversed edges.
 * - New block (store `onChange` block event): the new transactions' edges are added, and distances are
 *   lowered by a bounded BFS relaxation from the touched nodes (adding edges can only shorten distances).
 *   Inputs resolved later by an out-of-order block are picked up through the spent outpoints.
 * - Label change: the nodes whose target or stop status changed are the seeds; every node within maxHops
 *   of them (against the search direction) forms the affected region, whose distances are reset and
 *   recomputed from the region's boundary (whose distances cannot depend on the changed nodes). A region
 *   larger than a quarter of the graph is recomputed as a whole instead. This handles both removals
 *   (distances grow) and additions.
 * - A failed update (a read of the store threw) is logged and the index is rebuilt from the store in the
 *   background, into a separate copy: screening keeps answering from the last good state meanwhile, with
 *   `stale` set (stats(), screen()). The rebuild's reads start after the failure, so they see every change
 *   notified before; changes notified while it reads are applied to the old state (screening) and again to
 *   the new one before it replaces the old (updates are idempotent). A failed rebuild is retried with
 *   backoff. `version` counts the updates applied to the state screening reads (the swap counts as one).
 *
 * [Reference]: the incremental scheme is the standard dynamic-BFS treatment (Ramalingam and Reps, "On the
 * computational complexity of dynamic graph problems", TCS 158, 1996): decreases by relaxation, increases
 * by recomputing the affected set.
 */
import { AriadneError, invalidInput, limitExceeded, notFound } from '../../errors.js';
import { chainOfId, type AddressId, type TxId } from '../../model/address.js';
import { chainInfo } from '../../model/chain.js';
import { CATEGORIES, type Category } from '../../model/label.js';
import type { Transaction } from '../../model/transaction.js';
import type { Flow, GraphChange, GraphReader, GraphStore } from '../../store/graph-store.js';
import { cmp, transferEdges, utxoPairEdges, type TransferEdge } from './edges.js';
import { checkProximityOptions, type HopDistanceResult, type ProximityTarget } from './hop-distance.js';
import { isIncident, otherEnd, type PathHop, type ProximityDirection } from './neighbourhood.js';

export interface ProximityIndexOptions {
  categories: readonly Category[];
  stopAtCategories: readonly Category[];
  /** Distances above this are not kept (reported as null). At most 254. */
  maxHops: number;
  maxHopsLimit: number;
  minValue: bigint;
  /** Default number of paths returned by `screen`. */
  maxPaths: number;
  /** Transactions read per getTransactions call while building. */
  batchSize: number;
  /** Where a failed update or rebuild is reported (one line each); default stderr. */
  log: (line: string) => void;
  /** First wait before retrying a failed rebuild, doubled per failure up to a minute. */
  rebuildRetryMs: number;
}

export const DEFAULTS: ProximityIndexOptions = {
  categories: ['sanctioned'],
  stopAtCategories: ['exchange'],
  maxHops: 6,
  maxHopsLimit: 10,
  minValue: 1n,
  maxPaths: 5,
  batchSize: 2_000,
  log: (line) => process.stderr.write(`${line}\n`),
  rebuildRetryMs: 1_000,
};

/** A screening answer with the state of the index it was read from. */
export interface IndexedScreening extends HopDistanceResult {
  /** The index version the distance was read at (ProximityIndex.stats().version). */
  indexVersion: number;
  /** True when an update failed and the rebuild has not replaced the state yet: the answer may be behind. */
  stale: boolean;
}

const UNREACHED = 255;
const TARGET = 1;
const STOP = 2;
const DIRECTIONS: readonly ProximityDirection[] = ['out', 'in', 'both'];
const PAIR_BASE = 2 ** 26;
/** pathEvidence: an address with more neighbours than this is a hub, whose flows are read only if needed. */
const HUB_DEGREE = 1_000;
/** pathEvidence: next to a hub, an end with at most this many transactions has them all read. */
const DIRECT_READ_LIMIT = 32;
/** pathEvidence: pairs whose evidence is kept. */
const LINK_CACHE_SIZE = 20_000;
/** Longest wait between two rebuild attempts. */
const MAX_RETRY_MS = 60_000;

interface PairLinks {
  /** The linking edge with the smallest (tx id, from); null when none links the pair. */
  first: TransferEdge | null;
  /** Distinct transactions linking the pair. */
  txCount: number;
}

export class ProximityIndex {
  // The graph state (replaced as a whole by a rebuild, see adopt).
  private ids = new Map<AddressId, number>();
  private names: AddressId[] = [];
  private adjacency = new Adjacency();
  private flags = new Uint8Array(1024);
  private dist: Record<ProximityDirection, Uint8Array> = { out: new Uint8Array(1024), in: new Uint8Array(1024), both: new Uint8Array(1024) };
  private targets = new Set<AddressId>();
  private stops = new Set<AddressId>();
  /** Spent transaction id -> transactions with an input on it whose address was unknown when read. */
  private waiting = new Map<TxId, Set<TxId>>();

  /** Updates run one at a time in this chain; it never rejects. */
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  private closed = false;
  /** Updates applied to the state screening reads. */
  private version = 0;
  /** An update failed and no rebuild has replaced the state since. */
  private stale = false;
  /** The running rebuild (attempts and waits included); null once its state is swapped in. */
  private rebuilding: Promise<void> | null = null;
  /** Changes notified since the current rebuild attempt started reading, to apply to its state. */
  private replay: GraphChange[] | null = null;
  /** Ends the wait before the next rebuild attempt early (close). */
  private wakeRetry: (() => void) | null = null;
  /** Evidence per (direction, from, to) pair of a path hop, least recently used first (pathEvidence). */
  private readonly linkCache = new Map<string, PairLinks>();
  /** Changes received so far (a cache entry read across a change is not kept). */
  private changesSeen = 0;
  readonly options: ProximityIndexOptions;

  private constructor(
    private readonly graph: GraphReader,
    options: ProximityIndexOptions,
  ) {
    this.options = options;
  }

  /**
   * Builds the index from the port and, when the store has `onChange`, keeps it in step with every later
   * write. Cost: one full read of the graph. Errors: INVALID_INPUT / LIMIT_EXCEEDED for bad options.
   */
  static async build(graph: GraphReader | GraphStore, options: Partial<ProximityIndexOptions> = {}): Promise<ProximityIndex> {
    const o: ProximityIndexOptions = { ...DEFAULTS, ...options };
    checkProximityOptions(o);
    if (o.maxHops > 254) throw limitExceeded(`maxHops ${o.maxHops} is above what the index stores (254)`);
    const index = new ProximityIndex(graph, o);
    // Subscribe first: changes that land during the build are applied after it (they are idempotent).
    if ('onChange' in graph && typeof graph.onChange === 'function') {
      index.unsubscribe = graph.onChange((change) => index.enqueue(change));
    }
    const loading = index.load();
    index.queue = loading.catch(() => undefined);
    try {
      await loading;
    } catch (err) {
      index.close();
      throw err;
    }
    await index.idle();
    return index;
  }

  /** Stops following the store; a rebuild under way is abandoned. */
  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.wakeRetry?.();
  }

  /**
   * Resolves when every change received so far has been applied, or has failed (then `stale` is set and a
   * rebuild is under way: see `settled`). Never rejects.
   */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.queue;
      await seen;
    } while (seen !== this.queue);
  }

  /**
   * Resolves when the index is not stale: `idle`, then any rebuild (with its retries) swapped in. While the
   * store keeps failing, that is never; after `close`, at once.
   */
  async settled(): Promise<void> {
    for (;;) {
      await this.idle();
      const running = this.rebuilding;
      if (!running) return;
      await running;
    }
  }

  /** Applies a change (what `onChange` delivers); exposed for stores or replays without a listener. */
  enqueue(change: GraphChange): void {
    // Synchronously, at the store's notification: no later screening may use links a block altered (a
    // backfilled input can also move a flow away from an address the change does not name).
    this.changesSeen++;
    if (change.kind === 'block') this.linkCache.clear();
    this.replay?.push(change);
    this.queue = this.queue.then(() => this.apply(change)).then(
      () => {
        this.version++;
      },
      (err: unknown) => this.updateFailed(`applying ${describeChange(change)}`, err),
    );
  }

  /**
   * Size of the state screening reads; `version` counts the updates applied to it, `stale` says an update
   * failed and the rebuild from the store has not replaced it yet (answers may be behind the store).
   */
  stats(): { addresses: number; edges: number; targets: number; stops: number; version: number; stale: boolean } {
    return { addresses: this.names.length, edges: this.adjacency.edgeCount, targets: this.targets.size, stops: this.stops.size, version: this.version, stale: this.stale };
  }

  /**
   * Hop distance of one address to the nearest labelled address in a direction; null when none is within
   * maxHops or the address is unknown. Synchronous and O(1): the screening fast path (no evidence).
   */
  distance(address: AddressId, direction: ProximityDirection = 'both'): number | null {
    const n = this.ids.get(address);
    if (n === undefined) return null;
    const d = this.dist[direction][n]!;
    return d === UNREACHED ? null : d;
  }

  /**
   * Screens addresses: the same answer as a fresh `hopDistance` with the index's categories, stops,
   * minValue and maxHops (distance, every target at that distance, the lexicographically first shortest
   * paths with their evidence), from the index plus one batched read for the evidence and one for labels.
   * Waits for pending updates first (not for a rebuild: the answer then carries `stale`), and names the
   * version it read. Errors: INVALID_INPUT, LIMIT_EXCEEDED (maxHops above the index's), NOT_FOUND (an
   * address the graph does not know).
   */
  async screen(
    addresses: AddressId | readonly AddressId[],
    options: { direction?: ProximityDirection; maxPaths?: number; maxHops?: number } = {},
  ): Promise<IndexedScreening> {
    await this.idle();
    const direction = options.direction ?? 'both';
    const maxPaths = options.maxPaths ?? this.options.maxPaths;
    const maxHops = options.maxHops ?? this.options.maxHops;
    if (direction !== 'in' && direction !== 'out' && direction !== 'both') throw invalidInput(`invalid direction ${JSON.stringify(direction)}: expected "in", "out" or "both"`);
    if (!Number.isSafeInteger(maxHops) || maxHops < 0) throw invalidInput(`invalid maxHops ${String(maxHops)}: expected an integer >= 0`);
    if (maxHops > this.options.maxHops) throw limitExceeded(`maxHops ${maxHops} is above the ${this.options.maxHops} hops this index keeps`);
    if (!Number.isSafeInteger(maxPaths) || maxPaths < 1) throw invalidInput(`invalid maxPaths ${String(maxPaths)}: expected an integer >= 1`);
    const sources = [...new Set(typeof addresses === 'string' ? [addresses] : addresses)].sort(cmp);
    if (sources.length === 0) throw invalidInput('no address to screen: expected at least one address id');
    const unknown = sources.filter((a) => !this.ids.has(a));
    if (unknown.length > 0) {
      const known = await this.graph.getAddresses(unknown);
      const missing = unknown.filter((a) => !known.has(a));
      if (missing.length > 0) throw notFound(`address ${missing[0]} is not in the graph${missing.length > 1 ? ` (nor ${missing.length - 1} more)` : ''}`, { address: missing[0] });
    }
    // Read with the distances (the walk below is synchronous): an update may have landed during the await.
    const state = { indexVersion: this.version, stale: this.stale };
    const dist = this.dist[direction];
    let best = UNREACHED;
    for (const s of sources) {
      const n = this.ids.get(s);
      if (n !== undefined) best = Math.min(best, dist[n]!);
    }
    const base = { sources, direction, categories: [...this.options.categories], truncated: null, ...state };
    if (best === UNREACHED || best > maxHops) return { ...base, distance: null, targets: [], paths: [], visited: 0 };

    const starts = sources.filter((s) => dist[this.ids.get(s)!] === best).map((s) => this.ids.get(s)!);
    // Each (node, hops left) is expanded once per call: a hub on several paths has thousands of neighbours.
    const memo = new Map<number, number[]>();
    const nextOf = (u: number, remaining: number): number[] => {
      const key = u * 256 + remaining;
      let list = memo.get(key);
      if (!list) memo.set(key, (list = this.nextOnShortest(u, remaining, direction).sort((a, b) => cmp(this.names[a]!, this.names[b]!))));
      return list;
    };
    // Every target at distance `best`: walk the shortest-path layers.
    let layer = new Set(starts);
    let examined = layer.size;
    for (let remaining = best; remaining > 0; remaining--) {
      const next = new Set<number>();
      for (const u of layer) for (const w of nextOf(u, remaining)) next.add(w);
      layer = next;
      examined += next.size;
    }
    const targetIds = [...layer].map((n) => this.names[n]!).sort(cmp);

    // The lexicographically first paths: depth-first, neighbours in address order.
    const addressPaths: AddressId[][] = [];
    const walk = (path: number[], remaining: number): void => {
      if (addressPaths.length >= maxPaths) return;
      if (remaining === 0) {
        addressPaths.push(path.map((n) => this.names[n]!));
        return;
      }
      for (const w of nextOf(path[path.length - 1]!, remaining)) {
        path.push(w);
        walk(path, remaining - 1);
        path.pop();
      }
    };
    for (const s of starts) walk([s], best);

    const hops = await this.pathEvidence(addressPaths, direction);
    const targets = await this.describeTargets(targetIds);
    return { ...base, distance: best, targets, paths: addressPaths.map((p) => ({ addresses: p, hops: hops(p) })), visited: examined };
  }

  // -------------------------------------------------------------------------------------------- internals

  /** A failed update: logged; the state screening reads is kept and marked stale until a rebuild replaces it. */
  private updateFailed(what: string, err: unknown): void {
    this.stale = true;
    const running = this.rebuilding !== null;
    this.options.log(
      `proximity index: ${what} failed: ${errorText(err)}; screening answers from the last good state (version ${this.version}, marked stale) ${running ? 'until the rebuild under way replaces it' : 'while the index is rebuilt from the store'}`,
    );
    if (!running && !this.closed) this.rebuilding = this.rebuild();
  }

  /**
   * Rebuilds the state from the store into a separate index and swaps it in, retrying with backoff. The
   * swap runs in the update queue (no update is half-applied to either state), after the changes notified
   * since the attempt started reading; later ones queue behind it and so reach the new state.
   */
  private async rebuild(): Promise<void> {
    let wait = this.options.rebuildRetryMs;
    for (let attempt = 1; !this.closed; attempt++) {
      const replay: GraphChange[] = [];
      this.replay = replay;
      const fresh = new ProximityIndex(this.graph, this.options);
      try {
        await fresh.load();
        const swap = this.queue.then(async () => {
          this.replay = null;
          for (const change of replay) await fresh.apply(change);
          if (this.closed) return;
          this.adopt(fresh);
          this.version++;
          this.stale = false;
          // Synchronously with the swap: an update failing right after it starts a new rebuild.
          this.rebuilding = null;
        });
        this.queue = swap.catch(() => undefined);
        await swap;
        if (this.closed) break;
        this.options.log(`proximity index: rebuilt from the store (attempt ${attempt}); screening is current again (version ${this.version})`);
        return;
      } catch (err) {
        this.replay = null;
        if (this.closed) break;
        this.options.log(`proximity index: rebuild attempt ${attempt} failed: ${errorText(err)}; retrying in ${(wait / 1000).toFixed(1)} s, screening stays on the stale state`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          timer.unref?.();
          this.wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeRetry = null;
        wait = Math.min(wait * 2, MAX_RETRY_MS);
      }
    }
    this.replay = null;
    this.rebuilding = null;
  }

  /** Takes over another index's graph state (a rebuild's); the link cache stays, being read from the store. */
  private adopt(other: ProximityIndex): void {
    this.ids = other.ids;
    this.names = other.names;
    this.adjacency = other.adjacency;
    this.flags = other.flags;
    this.dist = other.dist;
    this.targets = other.targets;
    this.stops = other.stops;
    this.waiting = other.waiting;
  }

  /** Neighbours w of u that continue a shortest path with `remaining` hops left (remaining >= 1). */
  private nextOnShortest(u: number, remaining: number, direction: ProximityDirection): number[] {
    const dist = this.dist[direction];
    const out: number[] = [];
    const consider = (w: number): void => {
      if (w === u) return;
      const isTarget = (this.flags[w]! & TARGET) !== 0;
      if (remaining === 1 ? isTarget : !isTarget && (this.flags[w]! & STOP) === 0 && dist[w] === remaining - 1) out.push(w);
    };
    if (direction !== 'in') this.adjacency.forEachOut(u, consider);
    if (direction !== 'out') this.adjacency.forEachIn(u, consider);
    return [...new Set(out)];
  }

  /**
   * The evidence of each hop of the paths, exactly as Neighbourhood.hops gives it (the linking transaction
   * with the smallest id, its amounts, how many other transactions link the pair), while reading only the
   * transactions that can link the pair instead of every transaction of every address on the paths (a
   * mixer's thousands): the flows of both ends (in memory) narrow them to the transactions holding both
   * ends, except next to a hub (more than HUB_DEGREE neighbours), whose flows are only listed when the
   * other end has more than DIRECT_READ_LIMIT transactions (otherwise those few are read as they are). The answer per pair is kept in a bounded cache, emptied by every
   * new block (docs/performance.md).
   */
  private async pathEvidence(paths: readonly AddressId[][], direction: ProximityDirection): Promise<(path: readonly AddressId[]) => PathHop[]> {
    const links = new Map<string, PairLinks>();
    const todo = new Map<string, [AddressId, AddressId]>();
    for (const p of paths) {
      for (let i = 0; i + 1 < p.length; i++) {
        const key = `${direction}\n${p[i]}\n${p[i + 1]}`;
        if (links.has(key) || todo.has(key)) continue;
        const hit = this.linkCache.get(key);
        if (hit) {
          // Most recently used last.
          this.linkCache.delete(key);
          this.linkCache.set(key, hit);
          links.set(key, hit);
        } else todo.set(key, [p[i]!, p[i + 1]!]);
      }
    }
    if (todo.size > 0) {
      const changesBefore = this.changesSeen;
      // An edge x -> y of the direction needs x on the side the direction leaves by, and y in the same
      // transaction (on the other side, unless the direction is 'both').
      const fromSide = direction === 'out' ? 'input' : direction === 'in' ? 'output' : null;
      const toSide = direction === 'out' ? 'output' : direction === 'in' ? 'input' : null;
      const degree = (a: AddressId): number => this.adjacency.degree(this.ids.get(a) ?? -1);
      const probeOf = ([x, y]: [AddressId, AddressId]): { probe: AddressId; side: string | null; other: AddressId; otherSide: string | null } =>
        degree(x) <= degree(y) ? { probe: x, side: fromSide, other: y, otherSide: toSide } : { probe: y, side: toSide, other: x, otherSide: fromSide };
      const txsOf = (flows: Map<AddressId, Flow[]>, a: AddressId, side: string | null): TxId[] => [
        ...new Set((flows.get(a) ?? []).filter((f) => side === null || f.side === side).map((f) => f.txId)),
      ];
      const probes = new Map([...todo].map(([key, pair]) => [key, probeOf(pair)]));
      // Flows are in memory and cheap, transactions are read from the store: both ends' flows narrow the
      // transactions to read to those holding both, unless the other end is a hub (thousands of flows)
      // and the probe has few transactions, which are then read as they are.
      const isHub = (a: AddressId): boolean => degree(a) > HUB_DEGREE;
      const first = new Set<AddressId>();
      for (const p of probes.values()) {
        first.add(p.probe);
        if (!isHub(p.other)) first.add(p.other);
      }
      const flows = await this.graph.getFlows([...first], { side: 'both' });
      const candidates = new Map<string, TxId[]>();
      const narrow: string[] = [];
      for (const [key, p] of probes) {
        const txs = txsOf(flows, p.probe, p.side);
        if (first.has(p.other)) {
          const theirs = new Set(txsOf(flows, p.other, p.otherSide));
          candidates.set(key, txs.filter((t) => theirs.has(t)));
        } else if (txs.length <= DIRECT_READ_LIMIT) candidates.set(key, txs);
        else narrow.push(key);
      }
      if (narrow.length > 0) {
        const hubFlows = await this.graph.getFlows([...new Set(narrow.map((key) => probes.get(key)!.other))], { side: 'both' });
        for (const [a, list] of hubFlows) flows.set(a, list);
        for (const key of narrow) {
          const p = probes.get(key)!;
          const theirs = new Set(txsOf(flows, p.other, p.otherSide));
          candidates.set(key, txsOf(flows, p.probe, p.side).filter((t) => theirs.has(t)));
        }
      }
      // On a UTXO chain a hop's evidence needs only both ends' flows (utxoPairEdges): no transaction read
      // when both are at hand. The rest (account chains, a few transactions beside a hub) are read.
      const fromFlows = new Map<string, TransferEdge[]>();
      for (const [key, [x, y]] of todo) {
        const fx = flows.get(x);
        const fy = flows.get(y);
        if (!fx || !fy || chainInfo(chainOfId(x)).kind !== 'utxo') continue;
        const list: TransferEdge[] = [];
        for (const id of candidates.get(key)!) {
          for (const e of utxoPairEdges(id, x, fx, y, fy, this.options.minValue)) if (isIncident(e, x, direction) && otherEnd(e, x) === y) list.push(e);
        }
        fromFlows.set(key, list);
      }
      const wanted = [...new Set([...candidates].filter(([key]) => !fromFlows.has(key)).flatMap(([, ids]) => ids))];
      const txs = wanted.length > 0 ? await this.graph.getTransactions(wanted) : new Map<TxId, Transaction>();
      for (const [key, [x, y]] of todo) {
        const list: TransferEdge[] = fromFlows.get(key) ?? [];
        if (!fromFlows.has(key)) {
          for (const id of candidates.get(key)!) {
            const tx = txs.get(id);
            if (tx) for (const e of transferEdges(tx, this.options.minValue)) if (isIncident(e, x, direction) && otherEnd(e, x) === y) list.push(e);
          }
        }
        list.sort((a, b) => cmp(a.txId, b.txId) || cmp(a.from, b.from));
        const entry: PairLinks = { first: list[0] ?? null, txCount: new Set(list.map((e) => e.txId)).size };
        links.set(key, entry);
        // Not cached when a change arrived meanwhile: the reads may predate it.
        if (this.changesSeen === changesBefore) this.remember(key, entry);
      }
    }
    return (path) => {
      const hops: PathHop[] = [];
      for (let i = 0; i + 1 < path.length; i++) {
        const first = links.get(`${direction}\n${path[i]}\n${path[i + 1]}`)?.first;
        if (!first) throw new Error(`proximity: no edge between ${path[i]} and ${path[i + 1]}`);
        const txCount = links.get(`${direction}\n${path[i]}\n${path[i + 1]}`)!.txCount;
        hops.push({ txId: first.txId, from: first.from, to: first.to, sent: first.sent, received: first.received, asset: first.asset, otherTxs: txCount - 1 });
      }
      return hops;
    };
  }

  private remember(key: string, entry: PairLinks): void {
    this.linkCache.set(key, entry);
    if (this.linkCache.size > LINK_CACHE_SIZE) this.linkCache.delete(this.linkCache.keys().next().value!);
  }

  private async describeTargets(addresses: AddressId[]): Promise<ProximityTarget[]> {
    if (addresses.length === 0) return [];
    const wanted = new Set<string>(this.options.categories);
    const labels = await this.graph.getLabels(addresses);
    return addresses.map((address) => {
      const hits = (labels.get(address) ?? []).filter((l) => wanted.has(l.category));
      return {
        address,
        categories: [...new Set(hits.map((l) => l.category))].sort((x, y) => CATEGORIES.indexOf(x) - CATEGORIES.indexOf(y)),
        labels: [...new Set(hits.map((l) => l.label))].sort(cmp),
      };
    });
  }

  private async load(): Promise<void> {
    this.targets = new Set(await this.graph.findAddressesByCategory(this.options.categories));
    this.stops = this.options.stopAtCategories.length > 0 ? new Set(await this.graph.findAddressesByCategory(this.options.stopAtCategories)) : new Set();
    const stats = await this.graph.stats();
    for (const chain of Object.keys(stats.perChain).sort()) {
      const ids = await this.graph.findTransactionsByHeight(chain as never, 0, Number.MAX_SAFE_INTEGER);
      for (let i = 0; i < ids.length; i += this.options.batchSize) {
        const txs = await this.graph.getTransactions(ids.slice(i, i + this.options.batchSize));
        for (const tx of txs.values()) this.addTransaction(tx);
      }
    }
    for (const a of this.targets) this.node(a);
    for (const direction of DIRECTIONS) this.computeAll(direction);
  }

  private async apply(change: GraphChange): Promise<void> {
    if (change.kind === 'block') {
      const ids = new Set<TxId>(change.txIds);
      // Transactions written earlier whose inputs these new outputs have just resolved.
      for (const id of change.txIds) for (const w of this.waiting.get(id) ?? []) ids.add(w);
      for (const id of change.txIds) this.waiting.delete(id);
      if (ids.size === 0) return;
      const txs = await this.graph.getTransactions([...ids]);
      const fresh: [number, number][] = [];
      for (const tx of txs.values()) fresh.push(...this.addTransaction(tx));
      for (const direction of DIRECTIONS) this.relaxEdges(direction, fresh);
      return;
    }
    const labels = await this.graph.getLabels(change.addresses);
    const wanted = new Set<string>(this.options.categories);
    const stopping = new Set<string>(this.options.stopAtCategories);
    const changed: number[] = [];
    for (const a of change.addresses) {
      const ls = labels.get(a) ?? [];
      const isTarget = ls.some((l) => wanted.has(l.category));
      const isStop = ls.some((l) => stopping.has(l.category));
      if (isTarget) this.targets.add(a);
      else this.targets.delete(a);
      if (isStop) this.stops.add(a);
      else this.stops.delete(a);
      const known = this.ids.get(a);
      if (known === undefined && !isTarget) continue;
      const n = this.node(a);
      const flags = (isTarget ? TARGET : 0) | (isStop ? STOP : 0);
      if (known === undefined || this.flags[n] !== flags) {
        this.flags[n] = flags;
        changed.push(n);
      }
    }
    if (changed.length === 0) return;
    for (const direction of DIRECTIONS) this.recomputeRegion(direction, changed);
  }

  /** Adds a transaction's edges; returns the (from, to) pairs that are new. */
  private addTransaction(tx: Transaction): [number, number][] {
    for (const input of tx.inputs) {
      if (input.address === null && input.spends) {
        const set = this.waiting.get(input.spends.txId);
        if (set) set.add(tx.id);
        else this.waiting.set(input.spends.txId, new Set([tx.id]));
      }
    }
    const fresh: [number, number][] = [];
    for (const e of transferEdges(tx, this.options.minValue)) {
      const a = this.node(e.from);
      const b = this.node(e.to);
      if (this.adjacency.addEdge(a, b)) fresh.push([a, b]);
    }
    return fresh;
  }

  private node(address: AddressId): number {
    let n = this.ids.get(address);
    if (n !== undefined) return n;
    n = this.names.length;
    if (n >= PAIR_BASE) throw new AriadneError('LIMIT_EXCEEDED', `the proximity index holds at most ${PAIR_BASE} addresses`);
    this.ids.set(address, n);
    this.names.push(address);
    this.adjacency.ensureNodes(n + 1);
    if (n >= this.flags.length) this.grow();
    const isTarget = this.targets.has(address);
    this.flags[n] = (isTarget ? TARGET : 0) | (this.stops.has(address) ? STOP : 0);
    for (const d of DIRECTIONS) this.dist[d][n] = isTarget ? 0 : UNREACHED;
    return n;
  }

  private grow(): void {
    const size = this.flags.length * 2;
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.flags = flags;
    for (const d of DIRECTIONS) {
      const next = new Uint8Array(size);
      next.set(this.dist[d]);
      this.dist[d] = next;
    }
  }

  /** Nodes whose distance may use `w` as their next hop (the search direction reversed). */
  private predecessors(w: number, direction: ProximityDirection): number[] {
    const out: number[] = [];
    if (direction !== 'in') this.adjacency.forEachIn(w, (u) => out.push(u));
    if (direction !== 'out') this.adjacency.forEachOut(w, (u) => out.push(u));
    return out;
  }

  /** Next hops of u in the search direction. */
  private successors(u: number, direction: ProximityDirection): number[] {
    const out: number[] = [];
    if (direction !== 'in') this.adjacency.forEachOut(u, (w) => out.push(w));
    if (direction !== 'out') this.adjacency.forEachIn(u, (w) => out.push(w));
    return out;
  }

  /** Distance a path may continue with through w: 0 for a target, none for a stop, else w's own. */
  private passValue(w: number, dist: Uint8Array): number {
    const f = this.flags[w]!;
    if (f & TARGET) return 0;
    if (f & STOP) return UNREACHED;
    return dist[w]!;
  }

  private computeAll(direction: ProximityDirection): void {
    const dist = this.dist[direction];
    const n = this.names.length;
    dist.fill(UNREACHED, 0, n);
    let layer: number[] = [];
    for (let i = 0; i < n; i++) if (this.flags[i]! & TARGET) {
      dist[i] = 0;
      layer.push(i);
    }
    this.settle(direction, [layer], null);
  }

  /**
   * Bucket-ordered relaxation: `buckets[d]` holds nodes whose distance was set to d. A node passes its
   * distance + 1 to its predecessors when it is passable. `region`, when given, limits the nodes updated.
   */
  private settle(direction: ProximityDirection, buckets: number[][], region: Set<number> | null): void {
    const dist = this.dist[direction];
    const max = this.options.maxHops;
    for (let d = 0; d < buckets.length; d++) {
      const bucket = buckets[d];
      if (!bucket) continue;
      for (const w of bucket) {
        if (dist[w] !== d || d >= max || this.passValue(w, dist) !== d) continue;
        for (const u of this.predecessors(w, direction)) {
          if (region && !region.has(u)) continue;
          if (dist[u]! > d + 1) {
            dist[u] = d + 1;
            (buckets[d + 1] ??= []).push(u);
          }
        }
      }
    }
  }

  /** Lowers distances after edges (a -> b) were added. */
  private relaxEdges(direction: ProximityDirection, edges: readonly [number, number][]): void {
    const dist = this.dist[direction];
    const buckets: number[][] = [];
    const offer = (u: number, via: number): void => {
      const p = this.passValue(via, dist);
      if (p === UNREACHED || p + 1 > this.options.maxHops || dist[u]! <= p + 1) return;
      dist[u] = p + 1;
      (buckets[p + 1] ??= []).push(u);
    };
    for (const [a, b] of edges) {
      if (direction !== 'in') offer(a, b);
      if (direction !== 'out') offer(b, a);
    }
    this.settle(direction, buckets, null);
  }

  /** Recomputes the distances of every node within maxHops (reversed) of the changed nodes. */
  private recomputeRegion(direction: ProximityDirection, changed: readonly number[]): void {
    const region = new Set<number>(changed);
    let layer = [...changed];
    for (let h = 0; h < this.options.maxHops && layer.length > 0; h++) {
      const next: number[] = [];
      for (const w of layer) for (const u of this.predecessors(w, direction)) if (!region.has(u)) {
        region.add(u);
        next.push(u);
      }
      layer = next;
      if (region.size * 4 > this.names.length && this.names.length > 64) {
        this.computeAll(direction);
        return;
      }
    }
    const dist = this.dist[direction];
    const buckets: number[][] = [[]];
    for (const u of region) dist[u] = this.flags[u]! & TARGET ? 0 : UNREACHED;
    for (const u of region) {
      if (dist[u] === 0) {
        buckets[0]!.push(u);
        continue;
      }
      // Boundary: neighbours outside the region keep valid distances.
      for (const w of this.successors(u, direction)) {
        if (region.has(w) || w === u) continue;
        const p = this.passValue(w, dist);
        if (p !== UNREACHED && p + 1 <= this.options.maxHops && p + 1 < dist[u]!) dist[u] = p + 1;
      }
      if (dist[u] !== UNREACHED) (buckets[dist[u]!] ??= []).push(u);
    }
    this.settle(direction, buckets, region);
  }
}

/**
 * The address graph of the index in typed arrays: each directed edge (a -> b) once, on a linked list of
 * a's out-edges and one of b's in-edges (insertion order), plus an open-addressing hash set of the (a, b)
 * pairs for de-duplication. About 32 bytes per edge and 16 per node, where arrays of arrays and a Set of
 * numbers cost several times that at a million addresses (docs/performance.md).
 */
class Adjacency {
  edgeCount = 0;
  private from: Int32Array = new Int32Array(1024);
  private to: Int32Array = new Int32Array(1024);
  private nextOut: Int32Array = new Int32Array(1024);
  private nextIn: Int32Array = new Int32Array(1024);
  private outHead: Int32Array = new Int32Array(1024).fill(-1);
  private outTail: Int32Array = new Int32Array(1024).fill(-1);
  private inHead: Int32Array = new Int32Array(1024).fill(-1);
  private inTail: Int32Array = new Int32Array(1024).fill(-1);
  private outDegree: Int32Array = new Int32Array(1024);
  private inDegree: Int32Array = new Int32Array(1024);
  /** Keys a * PAIR_BASE + b + 1 (0 = empty slot), linear probing, at most half full. */
  private slots: Float64Array = new Float64Array(2048);

  ensureNodes(n: number): void {
    if (n <= this.outHead.length) return;
    const size = Math.max(n, this.outHead.length * 2);
    const grow = (a: Int32Array, fill: number): Int32Array => {
      const b = new Int32Array(size).fill(fill);
      b.set(a);
      return b;
    };
    this.outHead = grow(this.outHead, -1);
    this.outTail = grow(this.outTail, -1);
    this.inHead = grow(this.inHead, -1);
    this.inTail = grow(this.inTail, -1);
    this.outDegree = grow(this.outDegree, 0);
    this.inDegree = grow(this.inDegree, 0);
  }

  /** Adds a -> b unless present; true when added. */
  addEdge(a: number, b: number): boolean {
    const key = a * PAIR_BASE + b + 1;
    let mask = this.slots.length - 1;
    let i = hashPair(a, b) & mask;
    while (this.slots[i] !== 0) {
      if (this.slots[i] === key) return false;
      i = (i + 1) & mask;
    }
    this.slots[i] = key;
    const e = this.edgeCount++;
    if ((this.edgeCount + 1) * 2 > this.slots.length) {
      this.rehash();
      mask = this.slots.length - 1;
    }
    if (e >= this.from.length) {
      const grow = (x: Int32Array): Int32Array => {
        const y = new Int32Array(x.length * 2);
        y.set(x);
        return y;
      };
      this.from = grow(this.from);
      this.to = grow(this.to);
      this.nextOut = grow(this.nextOut);
      this.nextIn = grow(this.nextIn);
    }
    this.from[e] = a;
    this.to[e] = b;
    this.nextOut[e] = -1;
    this.nextIn[e] = -1;
    if (this.outTail[a] === -1) this.outHead[a] = e;
    else this.nextOut[this.outTail[a]!] = e;
    this.outTail[a] = e;
    if (this.inTail[b] === -1) this.inHead[b] = e;
    else this.nextIn[this.inTail[b]!] = e;
    this.inTail[b] = e;
    this.outDegree[a]!++;
    this.inDegree[b]!++;
    return true;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    const mask = this.slots.length - 1;
    for (const key of old) {
      if (key === 0) continue;
      const pair = key - 1;
      const a = Math.floor(pair / PAIR_BASE);
      let i = hashPair(a, pair - a * PAIR_BASE) & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = key;
    }
  }

  /** Distinct neighbours of u, both directions counted (0 for an unknown node). */
  degree(u: number): number {
    return u < 0 || u >= this.outDegree.length ? 0 : this.outDegree[u]! + this.inDegree[u]!;
  }

  /** Calls fn with every b of an edge u -> b, in insertion order. */
  forEachOut(u: number, fn: (w: number) => void): void {
    for (let e = this.outHead[u]!; e !== -1; e = this.nextOut[e]!) fn(this.to[e]!);
  }

  /** Calls fn with every a of an edge a -> u, in insertion order. */
  forEachIn(u: number, fn: (w: number) => void): void {
    for (let e = this.inHead[u]!; e !== -1; e = this.nextIn[e]!) fn(this.from[e]!);
  }
}

function describeChange(change: GraphChange): string {
  return change.kind === 'block'
    ? `block ${change.chain} ${change.height} (${change.txIds.length} transaction${change.txIds.length === 1 ? '' : 's'})`
    : `a label change on ${change.addresses.length} address${change.addresses.length === 1 ? '' : 'es'}`;
}

function errorText(err: unknown): string {
  return err instanceof AriadneError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
}

function hashPair(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
}

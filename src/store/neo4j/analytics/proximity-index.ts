/**
 * Neo4jProximityIndex: the screening index of ProximityIndex (src/analytics/proximity/proximity-index.ts)
 * kept in Neo4j as node properties. For every address and each direction it stores the hop distance to the
 * nearest address carrying one of the configured categories (default sanctioned), up to maxHops, under
 * exactly the rules of hopDistance (edges.ts edges, stop categories passed through never, ended on freely):
 *
 *   (:Address {distOut, distIn, distBoth, proxFlags})   distances absent = none within maxHops;
 *                                                       proxFlags bit 1 = target, bit 2 = stop
 *
 * Method:
 * - Build: the flags are set from the active labels (proximity-index-mark-all.cypher), targets get 0, then a
 *   multi-source breadth-first search runs in Cypher, one query per level and direction
 *   (proximity-index-level.cypher): the addresses of level d that can be passed through give d + 1 to every
 *   address one hop before them (the search direction reversed) whose distance is unset or larger.
 * - New block (store `onChange`): adding edges can only shorten distances. Every address of the block's
 *   transactions, and of stored transactions whose inputs the block resolved, offers its own distance to
 *   its predecessors, level by level (the same level query, as a bucket-ordered relaxation). Since each
 *   new edge has both ends among them, this lowers exactly the distances the new edges lower.
 * - Label change: the changed addresses' flags are recomputed (proximity-index-mark.cypher). When only
 *   shortening changes happened (a new target, a stop that became passable), they are relaxed from the
 *   changed addresses as above. When a distance may grow (a target lost, an address that became a stop),
 *   the whole index is recomputed: the simplest correct answer. ProximityIndex (embedded) recomputes only
 *   the affected region; doing the same here would need the region's boundary in Cypher for a gain that
 *   matters only on label removals, which are rare next to blocks.
 * - Screening: distances are property lookups; the evidence paths walk neighbours whose distance is one
 *   less (proximity-neighbours.cypher per layer), then the evidence of each hop is read through the port
 *   with the same code as ProximityIndex, so `screen` gives the same answer as ProximityIndex.screen.
 *
 * One index per database: a second build (with other options) replaces the first one's properties.
 *
 * [Reference]: dynamic BFS, decreases by relaxation, increases by recomputation (Ramalingam and Reps, "On
 * the computational complexity of dynamic graph problems", TCS 158, 1996).
 */
import { AriadneError, invalidInput, limitExceeded, notFound } from '../../../errors.js';
import type { AddressId } from '../../../model/address.js';
import { CATEGORIES } from '../../../model/label.js';
import { cmp } from '../../../analytics/proximity/edges.js';
import { checkProximityOptions, type ProximityTarget } from '../../../analytics/proximity/hop-distance.js';
import { Neighbourhood, type ProximityDirection } from '../../../analytics/proximity/neighbourhood.js';
import { DEFAULTS, type IndexedScreening, type ProximityIndexOptions } from '../../../analytics/proximity/proximity-index.js';
import type { GraphChange, GraphStore } from '../../graph-store.js';
import { autoCommitCypher, minValueParams, readCypher, utxoChains, writeCypher, type Neo4jAnalyticsContext } from './connection.js';
import { neo4jNeighbours } from './hop-distance.js';

const DIRECTIONS: readonly ProximityDirection[] = ['out', 'in', 'both'];
const PROP: Record<ProximityDirection, 'distOut' | 'distIn' | 'distBoth'> = { out: 'distOut', in: 'distIn', both: 'distBoth' };
const TARGET = 1;
const STOP = 2;
/** Frontier addresses per level query. */
const BATCH = 5_000;

interface Stored {
  id: AddressId;
  out: number | null;
  in: number | null;
  both: number | null;
  flags: number;
}

/** An address and its stored distances (seeds of a relaxation). */
type Seed = Omit<Stored, 'flags'>;

export class Neo4jProximityIndex {
  readonly options: ProximityIndexOptions;
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  /** Changes applied since the build, as ProximityIndex counts them (`indexVersion` of a screening). */
  private version = 0;
  private unsubscribe: (() => void) | null = null;

  private constructor(
    private readonly ctx: Neo4jAnalyticsContext,
    options: ProximityIndexOptions,
  ) {
    this.options = options;
  }

  /**
   * Computes every distance in Neo4j and, when the context's graph is a store with `onChange`, keeps them in
   * step with every later write. Same options and errors as ProximityIndex.build; minValue at most
   * 10^27 - 1 (LIMIT_EXCEEDED above). Cost: one query per level and direction.
   */
  static async build(ctx: Neo4jAnalyticsContext, options: Partial<ProximityIndexOptions> = {}): Promise<Neo4jProximityIndex> {
    const o: ProximityIndexOptions = { ...DEFAULTS, ...options };
    checkProximityOptions(o);
    if (o.maxHops > 254) throw limitExceeded(`maxHops ${o.maxHops} is above what the index stores (254)`);
    minValueParams(o.minValue);
    const index = new Neo4jProximityIndex(ctx, o);
    const graph = ctx.graph as Partial<GraphStore>;
    if (typeof graph.onChange === 'function') index.unsubscribe = graph.onChange((change) => index.enqueue(change));
    index.queue = index.recomputeAll();
    await index.idle();
    return index;
  }

  /** Stops following the store (the stored distances stay). */
  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Resolves when every change received so far is applied; rethrows a failed update. */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.queue;
      await seen;
    } while (seen !== this.queue);
    if (this.failure) {
      const err = this.failure;
      throw err instanceof AriadneError ? err : new AriadneError('INTERNAL', `proximity index update failed: ${(err as Error).message}`, {}, { cause: err });
    }
  }

  /** Applies a change (what `onChange` delivers); exposed for replays without a listener. */
  enqueue(change: GraphChange): void {
    this.queue = this.queue
      .then(() => this.apply(change))
      .then(() => {
        this.version++;
      })
      .catch((err: unknown) => {
        this.failure = err;
      });
  }

  /** Recomputes every distance (after a failed update, or to drop removed data). */
  async rebuild(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.failure = null;
    this.queue = this.recomputeAll();
    await this.idle();
  }

  /**
   * Hop distance of one address in a direction; null when none is within maxHops or the address is unknown.
   * One property lookup, after pending updates are applied (ProximityIndex.distance is synchronous; this is
   * the same answer, asynchronously).
   */
  async distance(address: AddressId, direction: ProximityDirection = 'both'): Promise<number | null> {
    return (await this.distances([address], direction)).get(address) ?? null;
  }

  /** Distances of many addresses in one query; unknown or unreached addresses map to null. */
  async distances(addresses: readonly AddressId[], direction: ProximityDirection = 'both'): Promise<Map<AddressId, number | null>> {
    await this.idle();
    const stored = await this.lookup(addresses);
    return new Map(addresses.map((a) => [a, stored.get(a)?.[direction] ?? null]));
  }

  /**
   * Screens addresses: the same answer as ProximityIndex.screen (and so as a fresh hopDistance with the
   * index's categories, stops, minValue and maxHops). Waits for pending updates first. Errors: INVALID_INPUT,
   * LIMIT_EXCEEDED (maxHops above the index's), NOT_FOUND (an address the graph does not know).
   */
  async screen(
    addresses: AddressId | readonly AddressId[],
    options: { direction?: ProximityDirection; maxPaths?: number; maxHops?: number } = {},
  ): Promise<IndexedScreening> {
    await this.idle();
    // A failed update makes idle() throw (until rebuild()), so an answer given is never stale.
    const state = { indexVersion: this.version, stale: false };
    const direction = options.direction ?? 'both';
    const maxPaths = options.maxPaths ?? this.options.maxPaths;
    const maxHops = options.maxHops ?? this.options.maxHops;
    if (direction !== 'in' && direction !== 'out' && direction !== 'both') throw invalidInput(`invalid direction ${JSON.stringify(direction)}: expected "in", "out" or "both"`);
    if (!Number.isSafeInteger(maxHops) || maxHops < 0) throw invalidInput(`invalid maxHops ${String(maxHops)}: expected an integer >= 0`);
    if (maxHops > this.options.maxHops) throw limitExceeded(`maxHops ${maxHops} is above the ${this.options.maxHops} hops this index keeps`);
    if (!Number.isSafeInteger(maxPaths) || maxPaths < 1) throw invalidInput(`invalid maxPaths ${String(maxPaths)}: expected an integer >= 1`);
    const sources = [...new Set(typeof addresses === 'string' ? [addresses] : addresses)].sort(cmp);
    if (sources.length === 0) throw invalidInput('no address to screen: expected at least one address id');
    const stored = await this.lookup(sources);
    const unknown = sources.filter((a) => !stored.has(a));
    if (unknown.length > 0) {
      const known = await this.ctx.graph.getAddresses(unknown);
      const missing = unknown.filter((a) => !known.has(a));
      if (missing.length > 0) throw notFound(`address ${missing[0]} is not in the graph${missing.length > 1 ? ` (nor ${missing.length - 1} more)` : ''}`, { address: missing[0] });
    }
    let best: number | null = null;
    for (const s of sources) {
      const d = stored.get(s)?.[direction] ?? null;
      if (d !== null && (best === null || d < best)) best = d;
    }
    const base = { sources, direction, categories: [...this.options.categories], truncated: null };
    if (best === null || best > maxHops) return { ...base, distance: null, targets: [], paths: [], visited: 0, ...state };

    // Every target at distance `best`: walk the shortest-path layers, one neighbours query per layer.
    const next = new Map<AddressId, AddressId[]>();
    const starts = sources.filter((s) => stored.get(s)?.[direction] === best);
    let layer = starts;
    let examined = layer.length;
    for (let remaining = best; remaining > 0; remaining--) {
      await this.loadNextOnShortest(layer, remaining, direction, next);
      const reached = new Set<AddressId>();
      for (const u of layer) for (const w of next.get(u)!) reached.add(w);
      layer = [...reached];
      examined += layer.length;
    }
    const targetIds = [...layer].sort(cmp);

    // The lexicographically first paths: depth-first, neighbours in address order (all loaded above).
    const addressPaths: AddressId[][] = [];
    const walk = (path: AddressId[], remaining: number): void => {
      if (addressPaths.length >= maxPaths) return;
      if (remaining === 0) {
        addressPaths.push([...path]);
        return;
      }
      for (const w of next.get(path[path.length - 1]!)!) {
        path.push(w);
        walk(path, remaining - 1);
        path.pop();
      }
    };
    for (const s of starts) walk([s], best);

    const nb = new Neighbourhood(this.ctx.graph, direction, this.options.minValue);
    await nb.load([...new Set(addressPaths.flatMap((p) => p.slice(0, -1)))]);
    const targets = await this.describeTargets(targetIds);
    return { ...base, distance: best, targets, paths: addressPaths.map((p) => ({ addresses: p, hops: nb.hops(p) })), visited: examined, ...state };
  }

  /** Targets, stops and addresses within maxHops per direction (counts, from the stored properties). */
  async stats(): Promise<{ targets: number; stops: number; reached: Record<ProximityDirection, number> }> {
    await this.idle();
    const [r] = await readCypher<{ targets: number; stops: number; out: number; in: number; both: number }>(this.ctx, 'proximity-index-stats');
    return { targets: r!.targets, stops: r!.stops, reached: { out: r!.out, in: r!.in, both: r!.both } };
  }

  // -------------------------------------------------------------------------------------------- internals

  private async lookup(addresses: readonly AddressId[]): Promise<Map<AddressId, Stored>> {
    const out = new Map<AddressId, Stored>();
    const unique = [...new Set(addresses)];
    for (let i = 0; i < unique.length; i += BATCH) {
      for (const r of await readCypher<Stored>(this.ctx, 'proximity-index-get', { ids: unique.slice(i, i + BATCH) })) out.set(r.id, r);
    }
    return out;
  }

  /**
   * For each address u of a layer, the neighbours w (search direction, address order) that continue a
   * shortest path with `remaining` hops left: a target when remaining is 1, else an address that is
   * neither a target nor a stop, at distance remaining - 1. As ProximityIndex's nextOnShortest.
   */
  private async loadNextOnShortest(layer: readonly AddressId[], remaining: number, direction: ProximityDirection, into: Map<AddressId, AddressId[]>): Promise<void> {
    const neighbours = await neo4jNeighbours(this.ctx, layer, direction, this.options.minValue, await this.utxo());
    const stored = await this.lookup([...new Set([...neighbours.values()].flat())]);
    for (const u of layer) {
      into.set(
        u,
        neighbours.get(u)!.filter((w) => {
          const s = stored.get(w);
          if (!s || w === u) return false;
          const isTarget = (s.flags & TARGET) !== 0;
          return remaining === 1 ? isTarget : !isTarget && (s.flags & STOP) === 0 && s[direction] === remaining - 1;
        }),
      );
    }
  }

  private async describeTargets(addresses: AddressId[]): Promise<ProximityTarget[]> {
    if (addresses.length === 0) return [];
    const wanted = new Set<string>(this.options.categories);
    const labels = await this.ctx.graph.getLabels(addresses);
    return addresses.map((address) => {
      const hits = (labels.get(address) ?? []).filter((l) => wanted.has(l.category));
      return {
        address,
        categories: [...new Set(hits.map((l) => l.category))].sort((x, y) => CATEGORIES.indexOf(x) - CATEGORIES.indexOf(y)),
        labels: [...new Set(hits.map((l) => l.label))].sort(cmp),
      };
    });
  }

  /** The UTXO chains stored now (a chain's first block may arrive at any time). */
  private async utxo(): Promise<string[]> {
    return utxoChains(this.ctx);
  }

  private labelParams(): { categories: string[]; stopCategories: string[] } {
    return { categories: [...this.options.categories], stopCategories: [...this.options.stopAtCategories] };
  }

  /** Forgets everything, flags the labelled addresses, and runs the BFS from the targets in each direction. */
  private async recomputeAll(): Promise<void> {
    await autoCommitCypher(this.ctx, 'proximity-index-reset');
    const flagged = await writeCypher<{ id: AddressId; flags: number }>(this.ctx, 'proximity-index-mark-all', this.labelParams());
    const targets = flagged.filter((f) => (f.flags & TARGET) !== 0).map((f) => f.id);
    for (const direction of DIRECTIONS) await this.relax(direction, [targets]);
  }

  private async apply(change: GraphChange): Promise<void> {
    if (change.kind === 'block') {
      if (change.txIds.length === 0) return;
      const seeds = await readCypher<Seed>(this.ctx, 'proximity-index-block-seeds', { txIds: change.txIds });
      for (const direction of DIRECTIONS) await this.relax(direction, bucketsOf(seeds, direction));
      return;
    }
    if (change.addresses.length === 0) return;
    type Row = Seed & { before: number; after: number };
    const rows = await writeCypher<Row>(this.ctx, 'proximity-index-mark', { ids: change.addresses, ...this.labelParams() });
    const changed = rows.filter((r) => r.before !== r.after);
    if (changed.length === 0) return;
    // A distance may grow when an address stops being a target, or becomes a stop without being a target.
    const mayGrow = changed.some((r) => ((r.before & TARGET) !== 0 && (r.after & TARGET) === 0) || (r.after === STOP && r.before !== STOP));
    if (mayGrow) {
      await this.recomputeAll();
      return;
    }
    for (const direction of DIRECTIONS) await this.relax(direction, bucketsOf(changed, direction));
  }

  /**
   * Bucket-ordered relaxation in Cypher: `buckets[d]` holds addresses whose distance is d; each level query
   * passes d + 1 to the predecessors of those still at d and passable, and the lowered ones join d + 1.
   * A full BFS is the case buckets = [targets].
   */
  private async relax(direction: ProximityDirection, buckets: AddressId[][]): Promise<void> {
    const chains = await this.utxo();
    const value = minValueParams(this.options.minValue);
    // Predecessors in the search direction are neighbours in the reversed one.
    const reversed = { out: direction !== 'out', in: direction !== 'in' };
    for (let d = 0; d < this.options.maxHops && d < buckets.length; d++) {
      const ids = [...new Set(buckets[d] ?? [])];
      for (let i = 0; i < ids.length; i += BATCH) {
        const lowered = await writeCypher<{ id: AddressId }>(this.ctx, 'proximity-index-level', {
          ids: ids.slice(i, i + BATCH),
          level: d,
          prop: PROP[direction],
          ...reversed,
          utxoChains: chains,
          ...value,
        });
        if (lowered.length > 0) (buckets[d + 1] ??= []).push(...lowered.map((r) => r.id));
      }
    }
  }
}

/** Seeds grouped by their stored distance in one direction (addresses without one offer nothing). */
function bucketsOf(rows: readonly Seed[], direction: ProximityDirection): AddressId[][] {
  const buckets: AddressId[][] = [];
  for (const r of rows) {
    const d = r[direction];
    if (d !== null && d !== undefined) (buckets[d] ??= []).push(r.id);
  }
  return buckets;
}

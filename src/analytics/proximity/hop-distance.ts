/**
 * hopDistance: how many hops separate an address (or a set of addresses, such as a cluster's members)
 * from the nearest address carrying one of the given categories (default: sanctioned), with evidence paths.
 *
 * Method: multi-source breadth-first search over the address graph, one level per batched read.
 * One hop = address -> transaction -> address (edges.ts): for direction 'out' an INPUT flow then an OUTPUT
 * flow (where the funds went), for 'in' the reverse (where they came from), for 'both' either, as an
 * undirected graph. Known services are stop points: the search never passes THROUGH an address labelled
 * with a stop category (default: exchange), whose funds are pooled and not the customer's, but it can END
 * on one (a sanctioned exchange is found). The screened addresses themselves are always expanded.
 *
 * Ties: every shortest path is a sequence of addresses; paths are ordered lexicographically by that
 * sequence (screened address first) and the first `maxPaths` are returned, so the first one is the
 * lexicographically smallest. Each hop of a path names the linking transaction with the smallest id.
 * This is the "counterparty distance" that screening services report as direct (1 hop) or indirect
 * exposure (Chainalysis, "Indirect Exposure", 2020).
 */
import { invalidInput, limitExceeded, notFound } from '../../errors.js';
import type { AddressId } from '../../model/address.js';
import { CATEGORIES, type Category } from '../../model/label.js';
import type { GraphReader } from '../../store/graph-store.js';
import { cmp } from './edges.js';
import { Neighbourhood, type ProximityDirection, type ProximityPath } from './neighbourhood.js';

export interface HopDistanceOptions {
  /** Categories searched for. */
  categories: readonly Category[];
  direction: ProximityDirection;
  maxHops: number;
  /** The configured ceiling for `maxHops`: asking for more is LIMIT_EXCEEDED. */
  maxHopsLimit: number;
  /** Categories the search does not pass through. */
  stopAtCategories: readonly Category[];
  /** Smallest amount (base units) the receiver of an edge must get. */
  minValue: bigint;
  /** Most shortest paths returned. */
  maxPaths: number;
  /** Work budget: most addresses discovered before giving up (`truncated`). */
  maxVisited: number;
}

export const DEFAULTS: HopDistanceOptions = {
  categories: ['sanctioned'],
  direction: 'both',
  maxHops: 6,
  maxHopsLimit: 10,
  stopAtCategories: ['exchange'],
  minValue: 1n,
  maxPaths: 5,
  maxVisited: 200_000,
};

export interface ProximityTarget {
  address: AddressId;
  /** Its categories among those searched for. */
  categories: Category[];
  /** The texts of its matching labels, e.g. "OFAC SDN Lazarus Group". */
  labels: string[];
}

export interface HopDistanceResult {
  sources: AddressId[];
  direction: ProximityDirection;
  categories: Category[];
  /** Hops to the nearest labelled address; null when none is within maxHops (or the search was truncated). */
  distance: number | null;
  /** Every labelled address at that distance, sorted. */
  targets: ProximityTarget[];
  /** Shortest paths, lexicographically smallest first, at most maxPaths. */
  paths: ProximityPath[];
  truncated: { reason: 'budget'; detail: string } | null;
  /** Addresses discovered. */
  visited: number;
}

/** Checks the options shared by hopDistance and ProximityIndex; throws INVALID_INPUT or LIMIT_EXCEEDED. */
export function checkProximityOptions(o: { categories: readonly Category[]; stopAtCategories: readonly Category[]; maxHops: number; maxHopsLimit: number; minValue: bigint; direction?: string }): void {
  if (!Number.isSafeInteger(o.maxHops) || o.maxHops < 0) throw invalidInput(`invalid maxHops ${String(o.maxHops)}: expected an integer >= 0`);
  if (o.maxHops > o.maxHopsLimit) throw limitExceeded(`maxHops ${o.maxHops} is above the configured limit of ${o.maxHopsLimit}`);
  if (o.direction !== undefined && o.direction !== 'in' && o.direction !== 'out' && o.direction !== 'both') {
    throw invalidInput(`invalid direction ${JSON.stringify(o.direction)}: expected "in", "out" or "both"`);
  }
  if (o.categories.length === 0) throw invalidInput('no categories to search for: expected at least one, e.g. ["sanctioned"]');
  for (const c of [...o.categories, ...o.stopAtCategories]) {
    if (!(CATEGORIES as readonly string[]).includes(c)) throw invalidInput(`unknown category ${JSON.stringify(c)}: expected one of ${CATEGORIES.join(', ')}`);
  }
  if (typeof o.minValue !== 'bigint' || o.minValue < 0n) throw invalidInput(`invalid minValue ${String(o.minValue)}: expected a bigint >= 0 in base units`);
}

/** Deduplicated, sorted, non-empty list of sources; NOT_FOUND for an address the graph does not know. */
export async function resolveSources(graph: GraphReader, addresses: AddressId | readonly AddressId[]): Promise<AddressId[]> {
  const list = [...new Set(typeof addresses === 'string' ? [addresses] : addresses)].sort(cmp);
  if (list.length === 0) throw invalidInput('no address to screen: expected at least one address id');
  for (const a of list) if (typeof a !== 'string' || a.length === 0) throw invalidInput(`invalid address ${JSON.stringify(a)}: expected an address id such as "btc:bc1q..."`);
  const known = await graph.getAddresses(list);
  const missing = list.filter((a) => !known.has(a));
  if (missing.length > 0) throw notFound(`address ${missing[0]} is not in the graph${missing.length > 1 ? ` (nor ${missing.length - 1} more)` : ''}`, { address: missing[0] });
  return list;
}

/**
 * Breadth-first search for the nearest labelled address.
 * Deterministic (sorted paths and targets); cost: one getFlows + one getTransactions + one getLabels call
 * per level; limits: maxHops (<= maxHopsLimit) and maxVisited.
 * Errors: INVALID_INPUT, LIMIT_EXCEEDED, NOT_FOUND (an address the graph does not know).
 */
export async function hopDistance(
  graph: GraphReader,
  addresses: AddressId | readonly AddressId[],
  options: Partial<HopDistanceOptions> = {},
): Promise<HopDistanceResult> {
  const o: HopDistanceOptions = { ...DEFAULTS, ...options };
  checkProximityOptions(o);
  if (!Number.isSafeInteger(o.maxPaths) || o.maxPaths < 1) throw invalidInput(`invalid maxPaths ${String(o.maxPaths)}: expected an integer >= 1`);
  const sources = await resolveSources(graph, addresses);
  const wanted = new Set<string>(o.categories);
  const stops = new Set<string>(o.stopAtCategories);
  const nb = new Neighbourhood(graph, o.direction, o.minValue);

  const matching = new Map<AddressId, { categories: Category[]; labels: string[] }>();
  const stopped = new Set<AddressId>();
  const classify = async (list: readonly AddressId[]): Promise<void> => {
    if (list.length === 0) return;
    const labels = await graph.getLabels(list);
    for (const a of list) {
      const ls = labels.get(a) ?? [];
      const hits = ls.filter((l) => wanted.has(l.category));
      if (hits.length > 0) {
        matching.set(a, {
          categories: [...new Set(hits.map((l) => l.category))].sort((x, y) => CATEGORIES.indexOf(x) - CATEGORIES.indexOf(y)),
          labels: [...new Set(hits.map((l) => l.label))].sort(cmp),
        });
      }
      if (ls.some((l) => stops.has(l.category))) stopped.add(a);
    }
  };

  const level = new Map<AddressId, number>(sources.map((s) => [s, 0]));
  const parents = new Map<AddressId, AddressId[]>();
  await classify(sources);
  let found = sources.filter((s) => matching.has(s));
  let distance: number | null = found.length > 0 ? 0 : null;
  let truncated: HopDistanceResult['truncated'] = null;

  let frontier = sources;
  for (let d = 0; distance === null && d < o.maxHops && frontier.length > 0; d++) {
    await nb.load(frontier);
    const fresh: AddressId[] = [];
    for (const x of frontier) {
      for (const y of nb.neighbours(x)) {
        const seen = level.get(y);
        if (seen === undefined) {
          level.set(y, d + 1);
          parents.set(y, [x]);
          fresh.push(y);
        } else if (seen === d + 1) parents.get(y)!.push(x);
      }
    }
    if (level.size > o.maxVisited) {
      truncated = { reason: 'budget', detail: `more than ${o.maxVisited} addresses within ${d + 1} hops (maxVisited)` };
      break;
    }
    await classify(fresh);
    found = fresh.filter((a) => matching.has(a)).sort(cmp);
    if (found.length > 0) distance = d + 1;
    frontier = fresh.filter((a) => !stopped.has(a)).sort(cmp);
  }

  if (distance === null) return { sources, direction: o.direction, categories: [...o.categories], distance: null, targets: [], paths: [], truncated, visited: level.size };

  // Shortest-path DAG: keep the nodes from which a found target is reachable, then walk it in
  // lexicographic order from the sources.
  const useful = new Set<AddressId>(found);
  const children = new Map<AddressId, AddressId[]>();
  let layer = found;
  while (layer.length > 0) {
    const up: AddressId[] = [];
    for (const y of layer) {
      for (const p of parents.get(y) ?? []) {
        const list = children.get(p);
        if (list) list.push(y);
        else children.set(p, [y]);
        if (!useful.has(p)) {
          useful.add(p);
          up.push(p);
        }
      }
    }
    layer = up;
  }
  for (const list of children.values()) list.sort(cmp);
  const addressPaths: AddressId[][] = [];
  const walk = (path: AddressId[]): void => {
    if (addressPaths.length >= o.maxPaths) return;
    const last = path[path.length - 1]!;
    if (path.length === distance! + 1) {
      addressPaths.push([...path]);
      return;
    }
    for (const c of children.get(last) ?? []) {
      path.push(c);
      walk(path);
      path.pop();
    }
  };
  for (const s of sources) if (useful.has(s)) walk([s]);

  return {
    sources,
    direction: o.direction,
    categories: [...o.categories],
    distance,
    targets: found.map((a) => ({ address: a, ...matching.get(a)! })),
    paths: addressPaths.map((addresses) => ({ addresses, hops: nb.hops(addresses) })),
    truncated,
    visited: level.size,
  };
}

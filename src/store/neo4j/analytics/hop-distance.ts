/**
 * neo4jHopDistance: hopDistance (src/analytics/proximity/hop-distance.ts) computed inside Neo4j. Same
 * options, same result, same errors: the hops to the nearest address carrying one of the categories, every
 * target at that distance and the lexicographically smallest shortest paths with their evidence.
 *
 * Method: the same multi-source breadth-first search, one Cypher query per level
 * (cypher/proximity-neighbours.cypher expands the whole frontier under the edge rule of edges.ts, written in
 * Cypher) plus one per level for the labels of the newly discovered addresses (proximity-classify.cypher).
 * The level-by-level loop is kept in TypeScript, rather than a single SHORTEST or quantified-path query,
 * because the answer needs what those patterns do not give: every parent of every address at its BFS level
 * (for all shortest paths in lexicographic order), stop points that end a path but are never passed
 * through while the screened addresses are always expanded, and the `visited` / `maxVisited` accounting.
 * Per level the database does the expansion (the heavy part); TypeScript keeps levels and parents.
 * The evidence of the returned paths (which transaction links each pair, amounts) is read through the
 * store's read port with the same Neighbourhood code as hopDistance, for the path addresses only.
 *
 * [Reference]: the counterparty distance of screening services (Chainalysis, "Indirect Exposure", 2020);
 * breadth-first search as in hop-distance.ts.
 */
import { invalidInput, notFound } from '../../../errors.js';
import type { AddressId } from '../../../model/address.js';
import { CATEGORIES, type Category } from '../../../model/label.js';
import { cmp } from '../../../analytics/proximity/edges.js';
import { checkProximityOptions, DEFAULTS, type HopDistanceOptions, type HopDistanceResult } from '../../../analytics/proximity/hop-distance.js';
import { Neighbourhood, type ProximityDirection } from '../../../analytics/proximity/neighbourhood.js';
import { minValueParams, readCypher, utxoChains, type Neo4jAnalyticsContext } from './connection.js';

/** Frontier addresses sent per neighbours query. */
const BATCH = 5_000;

/**
 * The neighbours of each address in a direction, under the edge rule of edges.ts, computed in Cypher:
 * one query per `BATCH` addresses. Addresses without neighbours map to []. Neighbours are sorted.
 */
export async function neo4jNeighbours(
  ctx: Neo4jAnalyticsContext,
  addresses: readonly AddressId[],
  direction: ProximityDirection,
  minValue: bigint,
  chains?: readonly string[],
): Promise<Map<AddressId, AddressId[]>> {
  const out = new Map<AddressId, AddressId[]>();
  const unique = [...new Set(addresses)];
  if (unique.length === 0) return out;
  const utxo = chains ?? (await utxoChains(ctx));
  const value = minValueParams(minValue);
  for (let i = 0; i < unique.length; i += BATCH) {
    const ids = unique.slice(i, i + BATCH);
    const rows = await readCypher<{ id: string; neighbours: string[] }>(ctx, 'proximity-neighbours', {
      ids,
      out: direction !== 'in',
      in: direction !== 'out',
      utxoChains: [...utxo],
      ...value,
    });
    for (const r of rows) out.set(r.id, r.neighbours.sort(cmp));
  }
  for (const a of unique) if (!out.has(a)) out.set(a, []);
  return out;
}

/** Deduplicated, sorted, non-empty list of sources; NOT_FOUND for an address without an :Address node. */
export async function neo4jResolveSources(ctx: Neo4jAnalyticsContext, addresses: AddressId | readonly AddressId[]): Promise<AddressId[]> {
  const list = [...new Set(typeof addresses === 'string' ? [addresses] : addresses)].sort(cmp);
  if (list.length === 0) throw invalidInput('no address to screen: expected at least one address id');
  for (const a of list) if (typeof a !== 'string' || a.length === 0) throw invalidInput(`invalid address ${JSON.stringify(a)}: expected an address id such as "btc:bc1q..."`);
  const known = new Set((await readCypher<{ id: string }>(ctx, 'analytics-known-addresses', { ids: list })).map((r) => r.id));
  const missing = list.filter((a) => !known.has(a));
  if (missing.length > 0) throw notFound(`address ${missing[0]} is not in the graph${missing.length > 1 ? ` (nor ${missing.length - 1} more)` : ''}`, { address: missing[0] });
  return list;
}

/**
 * Breadth-first search in Neo4j for the nearest labelled address: the same answer as hopDistance over the
 * read port (distance, targets, paths with evidence, truncation, visited). Deterministic. Cost: two
 * queries per level, plus one port read per path address for the evidence. Limits: maxHops (<=
 * maxHopsLimit), maxVisited; minValue at most 10^27 - 1 base units (LIMIT_EXCEEDED above).
 * Errors: INVALID_INPUT, LIMIT_EXCEEDED, NOT_FOUND (an address the graph does not know), STORE_UNAVAILABLE.
 */
export async function neo4jHopDistance(
  ctx: Neo4jAnalyticsContext,
  addresses: AddressId | readonly AddressId[],
  options: Partial<HopDistanceOptions> = {},
): Promise<HopDistanceResult> {
  const o: HopDistanceOptions = { ...DEFAULTS, ...options };
  checkProximityOptions(o);
  if (!Number.isSafeInteger(o.maxPaths) || o.maxPaths < 1) throw invalidInput(`invalid maxPaths ${String(o.maxPaths)}: expected an integer >= 1`);
  minValueParams(o.minValue);
  const sources = await neo4jResolveSources(ctx, addresses);
  const chains = await utxoChains(ctx);

  const matching = new Map<AddressId, { categories: Category[]; labels: string[] }>();
  const stopped = new Set<AddressId>();
  const classify = async (list: readonly AddressId[]): Promise<void> => {
    for (let i = 0; i < list.length; i += BATCH) {
      type Row = { id: string; hits: { category: Category; label: string }[]; stop: boolean };
      const rows = await readCypher<Row>(ctx, 'proximity-classify', { ids: list.slice(i, i + BATCH), categories: [...o.categories], stopCategories: [...o.stopAtCategories] });
      for (const r of rows) {
        if (r.hits.length > 0) {
          matching.set(r.id, {
            categories: [...new Set(r.hits.map((h) => h.category))].sort((x, y) => CATEGORIES.indexOf(x) - CATEGORIES.indexOf(y)),
            labels: [...new Set(r.hits.map((h) => h.label))].sort(cmp),
          });
        }
        if (r.stop) stopped.add(r.id);
      }
    }
  };

  // From here on, the same bookkeeping as hopDistance, line for line.
  const level = new Map<AddressId, number>(sources.map((s) => [s, 0]));
  const parents = new Map<AddressId, AddressId[]>();
  await classify(sources);
  let found = sources.filter((s) => matching.has(s));
  let distance: number | null = found.length > 0 ? 0 : null;
  let truncated: HopDistanceResult['truncated'] = null;

  let frontier = sources;
  for (let d = 0; distance === null && d < o.maxHops && frontier.length > 0; d++) {
    const neighbours = await neo4jNeighbours(ctx, frontier, o.direction, o.minValue, chains);
    const fresh: AddressId[] = [];
    for (const x of frontier) {
      for (const y of neighbours.get(x) ?? []) {
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

  const addressPaths = lexicographicPaths(sources, found, parents, distance, o.maxPaths);
  const nb = new Neighbourhood(ctx.graph, o.direction, o.minValue);
  await nb.load([...new Set(addressPaths.flatMap((p) => p.slice(0, -1)))]);
  return {
    sources,
    direction: o.direction,
    categories: [...o.categories],
    distance,
    targets: found.map((a) => ({ address: a, ...matching.get(a)! })),
    paths: addressPaths.map((p) => ({ addresses: p, hops: nb.hops(p) })),
    truncated,
    visited: level.size,
  };
}

/**
 * The first `maxPaths` shortest paths in lexicographic order: keep the part of the BFS parent graph from
 * which a found target is reachable, then walk it depth-first from the sources, children in address order.
 */
function lexicographicPaths(sources: readonly AddressId[], found: readonly AddressId[], parents: Map<AddressId, AddressId[]>, distance: number, maxPaths: number): AddressId[][] {
  const useful = new Set<AddressId>(found);
  const children = new Map<AddressId, AddressId[]>();
  let layer: readonly AddressId[] = found;
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
  const paths: AddressId[][] = [];
  const walk = (path: AddressId[]): void => {
    if (paths.length >= maxPaths) return;
    if (path.length === distance + 1) {
      paths.push([...path]);
      return;
    }
    for (const c of children.get(path[path.length - 1]!) ?? []) {
      path.push(c);
      walk(path);
      path.pop();
    }
  };
  for (const s of sources) if (useful.has(s)) walk([s]);
  return paths;
}

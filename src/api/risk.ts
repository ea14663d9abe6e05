/**
 * Risk scores in the API, from the risk score proper (src/analytics/risk; weights and bands in
 * config/risk.json). Two assessments:
 * - FULL (`Address.risk`): assessAddressRisk, every factor. Its reads go through the request's loaders, and
 *   the sanctioned proximity comes from the ProximityIndex through `indexAdapter` (distance from the index,
 *   the nearest target from the batched shortest-evidence walk), so that a page of addresses batches.
 * - SCREENING (`screen`, subgraph nodes): scoreAddressRisk over the features screening has at no traversal
 *   cost: the nearest sanctioned address in each direction (the index; the nearer counts, as in the full
 *   assessment) and the label categories of the address and its cluster (kept per cluster by the cluster
 *   index: O(1) per address, whatever the cluster's size). Every other factor says "not assessed" and adds
 *   nothing.
 * An address known only by its labels (no transaction) is scored from those labels alone.
 */
import { assessAddressRisk, DEFAULT_RISK_CONFIG, scoreAddressRisk, type RiskConfig, type RiskScore, type ScreeningIndex } from '../analytics/risk/index.js';
import type { HopDistanceResult } from '../analytics/proximity/index.js';
import { AriadneError } from '../errors.js';
import type { AddressId } from '../model/address.js';
import { CATEGORIES, type Category } from '../model/label.js';
import type { ApiContext } from './context.js';
import { shortestEvidence } from './graph/shortest-evidence.js';

export type Assessment = 'FULL' | 'SCREENING';

export interface RiskView extends RiskScore {
  assessment: Assessment;
}

/** The risk configuration of the app (config/risk.json unless the app carries its own). */
export function riskConfigOf(ctx: ApiContext): RiskConfig {
  return (ctx.app as { riskConfig?: RiskConfig }).riskConfig ?? DEFAULT_RISK_CONFIG;
}

/** The app's ProximityIndex as the risk module's ScreeningIndex, with its reads batched through the request's loaders. */
export function indexAdapter(ctx: ApiContext): ScreeningIndex {
  const index = ctx.app.proximity;
  return {
    options: index.options,
    async screen(addresses, options = {}): Promise<HopDistanceResult> {
      await index.idle();
      const direction = options.direction ?? 'both';
      const maxHops = options.maxHops ?? index.options.maxHops;
      const sources = typeof addresses === 'string' ? [addresses] : [...addresses];
      let best: number | null = null;
      for (const a of sources) {
        const d = index.distance(a, direction);
        if (d !== null && d <= maxHops && (best === null || d < best)) best = d;
      }
      const base = { sources, direction, categories: [...index.options.categories], truncated: null, visited: 0 };
      if (best === null) return { ...base, distance: null, targets: [], paths: [] };
      const starts = sources.filter((a) => index.distance(a, direction) === best).map((a) => ({ address: a, distance: best }));
      const evidence = await shortestEvidence(ctx.reader, starts, {
        direction,
        categories: index.options.categories,
        stopAtCategories: index.options.stopAtCategories,
        minValue: index.options.minValue,
        maxPaths: options.maxPaths ?? 1,
        distanceOf: (x) => index.distance(x, direction),
      });
      const all = starts.flatMap((s) => evidence.get(s.address)!.targets);
      const targets = [...new Map(all.map((t) => [t.address, t])).values()].sort((x, y) => (x.address < y.address ? -1 : 1));
      return { ...base, distance: best, targets, paths: starts.flatMap((s) => evidence.get(s.address)!.paths).slice(0, options.maxPaths ?? 1) };
    },
  };
}

/** A score with its assessment (fields listed: `{ ...score, assessment }` takes a slow path in V8, see combine-factors.ts). */
const riskView = (r: RiskScore, assessment: Assessment): RiskView => ({ score: r.score, decision: r.decision, fileSar: r.fileSar, factors: r.factors, rawPoints: r.rawPoints, assessment });

/** Scores an address known only by its labels: its own categories, 0 hops from the ones it carries. */
async function labelOnlyRisk(ctx: ApiContext, id: AddressId, config: RiskConfig, assessment: Assessment): Promise<RiskView> {
  const labels = await ctx.loaders.labels.load(id);
  const cats = [...new Set(labels.map((l) => l.category))].sort((x, y) => CATEGORIES.indexOf(x) - CATEGORIES.indexOf(y));
  const nearest: Partial<Record<Category, { hops: number; address: AddressId; label?: string } | null>> = {};
  for (const c of config.address.exposureCategories) {
    const own = labels.find((l) => l.category === c);
    nearest[c] = own ? { hops: 0, address: id, label: own.label } : null;
  }
  return riskView(scoreAddressRisk({ address: id, nearest, exposure: {}, taintBps: null, peelChain: null, clusterCategories: cats, behaviour: null, metrics: null }, config), assessment);
}

/** The full assessment (every factor). */
export async function fullRisk(ctx: ApiContext, id: AddressId): Promise<RiskView> {
  const config = riskConfigOf(ctx);
  try {
    const r = await assessAddressRisk(ctx.reader, id, { clusters: ctx.app.clusters, proximity: indexAdapter(ctx) }, { config });
    return riskView(r, 'FULL');
  } catch (err) {
    if (err instanceof AriadneError && err.code === 'NOT_FOUND') return labelOnlyRisk(ctx, id, config, 'FULL');
    throw err;
  }
}

/** The screening assessment: sanctioned proximity (index, in and out) and cluster labels. No traversal. */
export async function screeningRisk(ctx: ApiContext, id: AddressId): Promise<RiskView> {
  const config = riskConfigOf(ctx);
  const [summary, facts, labels] = await Promise.all([ctx.loaders.address.load(id), ctx.loaders.clusterFacts.load(id), ctx.loaders.labels.load(id)]);
  if (!summary) return labelOnlyRisk(ctx, id, config, 'SCREENING');
  const index = ctx.app.proximity;
  await index.idle();
  const reach = config.hopSignalBps.length - 1;
  const nearest: Partial<Record<Category, { hops: number } | null>> = {};
  for (const c of index.options.categories.length === 1 ? index.options.categories : []) {
    if (!config.address.exposureCategories.includes(c)) continue;
    const ds = (['in', 'out'] as const).map((d) => index.distance(id, d)).filter((d): d is number => d !== null && d <= reach);
    nearest[c] = ds.length > 0 ? { hops: Math.min(...ds) } : null;
  }
  const own = [...new Set(labels.map((l) => l.category))];
  const clusterCategories = [...new Set([...own, ...(facts?.categories ?? [])])].sort((x, y) => CATEGORIES.indexOf(x) - CATEGORIES.indexOf(y));
  const score = scoreAddressRisk(
    { address: id, nearest, exposure: {}, taintBps: null, peelChain: null, clusterCategories, ...(facts ? { cluster: { id: facts.id, size: facts.size } } : {}), behaviour: null, metrics: null },
    config,
  );
  return riskView(score, 'SCREENING');
}

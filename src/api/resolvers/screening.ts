/**
 * `screen`: up to config.limits.maxScreenBatch addresses per call. Distances come from the ProximityIndex
 * (when the categories are the index's and maxHops is within its reach: no traversal at all), else from a
 * fresh hopDistance per address through the request's loaders. Evidence (targets, paths) is computed only
 * when asked, for the whole batch at once (shortest-evidence.ts); exposure only when asked, per address.
 * Risk and decision: the screening risk assessment (risk.ts): the risk score proper over the nearest
 * sanctioned address (in and out) and the labels of the address's cluster.
 * `indexVersion` / `indexStale`: the index state the distances were read at, so that a caller can order
 * answers and knows when one may be behind the store (a failed index update, rebuild under way).
 */
import { exposure, hopDistance, type ExposureResult, type ProximityDirection, type Share } from '../../analytics/proximity/index.js';
import { AriadneError, invalidInput, limitExceeded } from '../../errors.js';
import { parseAddressId, type AddressId } from '../../model/address.js';
import type { Category } from '../../model/label.js';
import type { ApiContext } from '../context.js';
import { shortestEvidence, type Evidence } from '../graph/shortest-evidence.js';
import { API_LIMITS, checkCount, checkHops } from '../limits.js';
import { connectionByKey, type PageArgs } from '../paging.js';
import { amountView, fractionView } from './amount.js';
import { loadAddress } from './graph.js';

export const DEFAULT_SCREEN_HOPS = 6;

interface ScreenBatch {
  direction: ProximityDirection;
  maxHops: number;
  categories: Category[];
  useIndex: boolean;
  /** Evidence of every address of the batch, computed once on first ask. */
  evidence: Promise<Map<AddressId, Evidence>> | null;
  items: ScreeningItem[];
  /** Fresh searches (no index): their full results. */
  fresh: Map<AddressId, Promise<Awaited<ReturnType<typeof hopDistance>> | null>>;
  /** The index's version and stale flag when the distances were read (risk reads the index too). */
  indexVersion: number;
  indexStale: boolean;
}

export interface ScreeningItem {
  batch: ScreenBatch;
  input: string;
  addressId: AddressId;
  known: boolean;
  distance: number | null;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

async function screen(ctx: ApiContext, args: { addresses: string[]; direction?: ProximityDirection | null; maxHops?: number | null; categories?: Category[] | null }): Promise<ScreeningItem[]> {
  const cap = ctx.app.config.limits.maxScreenBatch;
  if (args.addresses.length > cap) throw limitExceeded(`screen takes at most ${cap} addresses per call, got ${args.addresses.length}`, { limit: cap });
  if (args.addresses.length === 0) throw invalidInput('screen: expected at least one address');
  const invalid: { index: number; input: string; reason: string }[] = [];
  const ids = args.addresses.map((text, index) => {
    try {
      return parseAddressId(text);
    } catch (err) {
      invalid.push({ index, input: text.slice(0, 120), reason: err instanceof Error ? err.message : String(err) });
      return '';
    }
  });
  if (invalid.length > 0) {
    throw invalidInput(`screen: ${invalid.length} of ${args.addresses.length} addresses are invalid; the first is #${invalid[0]!.index}: ${invalid[0]!.reason}`, { invalid: invalid.slice(0, 20) });
  }
  const direction = args.direction ?? 'both';
  const maxHops = checkHops('maxHops', args.maxHops ?? Math.min(DEFAULT_SCREEN_HOPS, ctx.app.config.limits.maxHops), ctx.app.config.limits.maxHops);
  const categories = [...new Set(args.categories ?? ['sanctioned'])] as Category[];
  if (categories.length === 0) throw invalidInput('screen: expected at least one category, e.g. [SANCTIONED]');
  const index = ctx.app.proximity;
  const useIndex = !!index && sameSet(categories, index.options.categories) && maxHops <= index.options.maxHops;
  const batch: ScreenBatch = { direction, maxHops, categories, useIndex, evidence: null, items: [], fresh: new Map(), indexVersion: 0, indexStale: false };

  const unique = [...new Set(ids)];
  const [summaries, labels] = await Promise.all([ctx.reader.getAddresses(unique), ctx.reader.getLabels(unique)]);
  const known = (id: AddressId) => summaries.has(id) || labels.has(id);
  await index.idle();
  // With the distances, synchronously: nothing is applied to the index between the two.
  ({ version: batch.indexVersion, stale: batch.indexStale } = index.stats());
  const distance = new Map<AddressId, number | null>();
  for (const id of unique) {
    if (useIndex) {
      const d = index.distance(id, direction);
      distance.set(id, d !== null && d <= maxHops ? d : null);
    } else if (!summaries.has(id)) {
      // No transaction: only its own labels can match.
      distance.set(id, (labels.get(id) ?? []).some((l) => categories.includes(l.category)) ? 0 : null);
    }
  }
  if (!useIndex) {
    const fresh = unique.filter((id) => summaries.has(id)).length;
    if (fresh > API_LIMITS.maxFreshScreens) {
      throw limitExceeded(
        `screen: categories ${categories.join(', ')} up to ${maxHops} hops are not in the screening index (it holds ${index.options.categories.join(', ')} up to ${index.options.maxHops} hops), so each address is a fresh traversal: at most ${API_LIMITS.maxFreshScreens} addresses per call, got ${fresh}`,
      );
    }
    await Promise.all(
      unique
        .filter((id) => summaries.has(id))
        .map(async (id) => {
          const run = hopDistance(ctx.reader, id, { direction, maxHops, maxHopsLimit: ctx.app.config.limits.maxHops, categories, maxPaths: API_LIMITS.maxPaths, maxVisited: API_LIMITS.freshScreenVisited });
          batch.fresh.set(id, run);
          distance.set(id, (await run).distance);
        }),
    );
  }
  batch.items = ids.map((id, i) => ({ batch, input: args.addresses[i]!, addressId: id, known: known(id), distance: distance.get(id) ?? null }));
  return batch.items;
}

async function evidenceOf(ctx: ApiContext, item: ScreeningItem): Promise<Evidence> {
  const { batch } = item;
  if (!batch.useIndex) {
    const run = batch.fresh.get(item.addressId);
    const r = run ? await run : null;
    if (r) return { targets: r.targets, paths: r.paths };
    // Unknown to the graph: distance 0 when its own labels match.
    if (item.distance !== 0) return { targets: [], paths: [] };
    const ls = (await ctx.reader.getLabels([item.addressId])).get(item.addressId) ?? [];
    const hits = ls.filter((l) => batch.categories.includes(l.category));
    return { targets: [{ address: item.addressId, categories: [...new Set(hits.map((l) => l.category))], labels: [...new Set(hits.map((l) => l.label))].sort() }], paths: [{ addresses: [item.addressId], hops: [] }] };
  }
  const index = ctx.app.proximity;
  batch.evidence ??= shortestEvidence(
    ctx.reader,
    [...new Map(batch.items.map((i) => [i.addressId, { address: i.addressId, distance: i.distance }])).values()],
    {
      direction: batch.direction,
      categories: index.options.categories,
      stopAtCategories: index.options.stopAtCategories,
      minValue: index.options.minValue,
      maxPaths: API_LIMITS.maxPaths,
      distanceOf: (a) => index.distance(a, batch.direction),
    },
  );
  return (await batch.evidence).get(item.addressId)!;
}

const shareView = (s: Share, asset: string) => ({ amount: amountView(s.units, asset), exact: fractionView(s.amount), basisPoints: s.bps });

/** The API view of an exposure result. */
function exposureView(r: ExposureResult) {
  return {
    direction: r.direction,
    maxHops: r.maxHops,
    asset: r.asset,
    total: amountView(r.totalUnits, r.asset),
    categories: r.categories.map((c) => ({
      category: c.category,
      direct: shareView(c.direct, r.asset),
      indirect: shareView(c.indirect, r.asset),
      counterpartyList: c.counterparties.map((cp) => ({ address: cp.address, distance: cp.distance, amount: amountView(cp.amount.num / cp.amount.den, r.asset), exact: fractionView(cp.amount) })),
    })),
    stopped: shareView(r.stopped, r.asset),
    fees: shareView(r.fees, r.asset),
    coinbase: shareView(r.coinbase, r.asset),
    unattributed: shareView(r.unattributed, r.asset),
    truncated: r.truncated ? { reason: r.truncated.reason.toUpperCase().replace('-', '_'), detail: r.truncated.detail } : null,
  };
}

export const screeningResolvers = {
  Query: {
    screen: (_: unknown, args: Parameters<typeof screen>[1], ctx: ApiContext) => screen(ctx, args),
  },
  ScreeningResult: {
    address: (i: ScreeningItem, _: unknown, ctx: ApiContext) => loadAddress(ctx, i.addressId),
    direction: (i: ScreeningItem) => i.batch.direction,
    maxHops: (i: ScreeningItem) => i.batch.maxHops,
    categories: (i: ScreeningItem) => i.batch.categories,
    indexVersion: (i: ScreeningItem) => i.batch.indexVersion,
    indexStale: (i: ScreeningItem) => i.batch.indexStale,
    targets: async (i: ScreeningItem, _: unknown, ctx: ApiContext) => (await evidenceOf(ctx, i)).targets,
    paths: async (i: ScreeningItem, args: { first?: number | null }, ctx: ApiContext) => {
      const first = checkCount('paths first', args.first ?? 1, API_LIMITS.maxPaths, 0);
      return (await evidenceOf(ctx, i)).paths.slice(0, first);
    },
    exposure: async (i: ScreeningItem, args: { maxHops?: number | null }, ctx: ApiContext) => {
      const maxHops = checkHops('exposure maxHops', args.maxHops ?? 3, ctx.app.config.limits.maxHops, 1);
      if (!i.known) return [];
      const directions: ('in' | 'out')[] = i.batch.direction === 'both' ? ['in', 'out'] : [i.batch.direction];
      const results: ExposureResult[] = [];
      for (const direction of directions) {
        try {
          results.push(await exposure(ctx.reader, i.addressId, { direction, maxHops, maxHopsLimit: ctx.app.config.limits.maxHops }));
        } catch (err) {
          // An address known only by its labels has no flows to attribute.
          if (err instanceof AriadneError && err.code === 'NOT_FOUND') continue;
          throw err;
        }
      }
      return results.map(exposureView);
    },
    risk: (i: ScreeningItem, _: unknown, ctx: ApiContext) => ctx.loaders.screeningRisk.load(i.addressId),
    decision: async (i: ScreeningItem, _: unknown, ctx: ApiContext) => (await ctx.loaders.screeningRisk.load(i.addressId)).decision,
  },
  EvidencePath: {
    hops: (p: Evidence['paths'][number]) =>
      p.hops.map((h) => ({ transaction: h.txId, from: h.from, to: h.to, sent: h.sent === null ? null : amountView(h.sent, h.asset), received: amountView(h.received, h.asset), otherTransactions: h.otherTxs })),
  },
  CategoryExposure: {
    counterparties: (c: { category: string; counterpartyList: { address: string; distance: number }[] }, args: PageArgs) =>
      connectionByKey(`exposure:${c.category}`, c.counterpartyList, args, (cp) => `${cp.distance}:${cp.address}`),
  },
};

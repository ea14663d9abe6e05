/**
 * assessAddressRisk: gathers an address's risk features through the read port and the other analytics,
 * then scores them (score-address-risk.ts). The one call the API and compliance make.
 *
 * Where each feature comes from:
 * - nearest sanctioned / mixer / darknet address (each exposure category): hopDistance (proximity/), one
 *   search per category and direction, or a ProximityIndex passed in `deps.proximity` whose categories are
 *   exactly that one category. Directions 'in' (where its funds came from) and 'out' (where they went) are
 *   searched separately and the nearer one counts, so that two addresses paid by the same sender are not
 *   taken for counterparties (an undirected search would put them 2 hops apart). Exchanges are stop points.
 *   The search reaches as far as the hop table of the configuration counts (hopSignalBps).
 * - exposure shares: exposure (proximity/), haircut-attributed direct and indirect shares by category, in
 *   each direction; per category the larger direct and the larger indirect share of the two directions.
 * - taint share: exposure traced backward ('in') over taintMaxHops with the taint categories as the only
 *   reported ones, so the trace passes THROUGH mixers and unlabelled hops (mixing does not clean funds
 *   under the haircut model) and stops at exchanges; the sum of their shares.
 * - peel chain: detectPeelChains (peel-chain/) from each of the address's transactions shaped like a hop,
 *   extended backward to the chain's first hop; the address's role in the chains of at least minLength hops.
 * - cluster label categories: clusterLabels (clustering/) of the address's cluster when `deps.clusters` is
 *   given, else the address's own labels.
 * - behaviour: behaviour.ts over the address's transactions (the most recent maxTransactions).
 * - graph metrics: graphMetrics (metrics/) of the address's neighbourhood, the address's node.
 * Every dependency can be replaced through `deps` (tests, caches, indexes). Deterministic for a given
 * store state. Cost: a few dozen batched reads; limits are the options of each analytic.
 */
import { notFound } from '../../errors.js';
import type { AddressId, TxId } from '../../model/address.js';
import { chainOfId } from '../../model/address.js';
import { chainInfo } from '../../model/chain.js';
import { CATEGORIES, type Category } from '../../model/label.js';
import type { Transaction } from '../../model/transaction.js';
import type { GraphReader } from '../../store/graph-store.js';
import { clusterLabels, type ClusterMembership } from '../clustering/cluster-labels.js';
import { graphMetrics as defaultGraphMetrics, type MetricsOptions } from '../metrics/graph-metrics.js';
import type { SubgraphOptions } from '../metrics/flow-subgraph.js';
import { detectPeelChains as defaultDetectPeelChains } from '../peel-chain/detect-peel-chains.js';
import { classifyPeelHop, peelOptions, type PeelChainOptions } from '../peel-chain/peel-hop.js';
import { exposure as defaultExposure, type ExposureResult } from '../proximity/exposure.js';
import { hopDistance as defaultHopDistance, type HopDistanceResult } from '../proximity/hop-distance.js';
import { behaviourFeatures } from './behaviour.js';
import type { RiskScore } from './combine-factors.js';
import { DEFAULT_RISK_CONFIG, type RiskConfig } from './risk-config.js';
import type { AddressRiskFeatures, ExposureShare, NearestLabelled, PeelChainFeature } from './risk-features.js';
import { scoreAddressRisk } from './score-address-risk.js';

/** What assessAddressRisk needs from a screening index (ProximityIndex has it). */
export interface ScreeningIndex {
  readonly options: { readonly categories: readonly Category[]; readonly maxHops: number };
  screen(addresses: AddressId | readonly AddressId[], options?: { direction?: 'in' | 'out' | 'both'; maxPaths?: number; maxHops?: number }): Promise<HopDistanceResult>;
}

/** What assessAddressRisk needs from a cluster index (ClusterIndex has it). */
export interface ClusterLookup extends ClusterMembership {
  clusterOf(address: AddressId): { id: string; size: number } | null;
}

export interface AddressRiskDeps {
  clusters?: ClusterLookup;
  /** Screening indexes; one whose categories are exactly [c] answers the hop distance for category c. */
  proximity?: ScreeningIndex | readonly ScreeningIndex[];
  hopDistance?: typeof defaultHopDistance;
  exposure?: typeof defaultExposure;
  detectPeelChains?: typeof defaultDetectPeelChains;
  graphMetrics?: typeof defaultGraphMetrics;
}

export interface AssessAddressOptions {
  config: RiskConfig;
  /** Directions searched for proximity and exposure (default both 'in' and 'out', separately). */
  directions: readonly ('in' | 'out')[];
  /** Never traced or searched through (default exchange). */
  stopAtCategories: readonly Category[];
  /** Hops of the exposure trace (default 3). */
  exposureMaxHops: number;
  /** Hops of the taint trace (default 6). */
  taintMaxHops: number;
  /** Most recent transactions read for behaviour and peel candidates (default 10,000). */
  maxTransactions: number;
  /** Hop-shaped transactions of the address followed into chains (default 20, in chain order). */
  maxPeelCandidates: number;
  peel: Partial<PeelChainOptions>;
  /** Neighbourhood and metric options, or false to skip the graph metrics. */
  metrics: false | Partial<SubgraphOptions & MetricsOptions>;
}

export const DEFAULTS: AssessAddressOptions = {
  config: DEFAULT_RISK_CONFIG,
  directions: ['in', 'out'],
  stopAtCategories: ['exchange'],
  exposureMaxHops: 3,
  taintMaxHops: 6,
  maxTransactions: 10_000,
  maxPeelCandidates: 20,
  peel: {},
  metrics: { radius: 2, maxNodes: 200 },
};

export interface AddressRiskAssessment extends RiskScore {
  address: AddressId;
  features: AddressRiskFeatures;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Gathers the features of `address` and scores it. Errors: NOT_FOUND (address not in the graph),
 * INVALID_INPUT / LIMIT_EXCEEDED from the analytics' option checks.
 */
export async function assessAddressRisk(
  graph: GraphReader,
  address: AddressId,
  deps: AddressRiskDeps = {},
  options: Partial<AssessAddressOptions> = {},
): Promise<AddressRiskAssessment> {
  const o: AssessAddressOptions = { ...DEFAULTS, ...options };
  const config = o.config;
  if (!(await graph.getAddresses([address])).has(address)) throw notFound(`address ${address} is not in the graph`, { address });
  const chain = chainOfId(address);
  const utxo = chainInfo(chain).kind === 'utxo';

  // The address's own transactions: behaviour and peel candidates.
  const flows = (await graph.getFlows([address], { side: 'both' })).get(address) ?? [];
  const allIds = [...new Set(flows.map((f) => f.txId))];
  const ids = allIds.slice(-o.maxTransactions);
  const txMap = ids.length > 0 ? await graph.getTransactions(ids) : new Map<TxId, Transaction>();
  const txs = ids.map((id) => txMap.get(id)).filter((t): t is Transaction => t !== undefined);
  const behaviour = { ...behaviourFeatures(address, txs, { decimalsKept: config.address.roundAmounts.decimalsKept }), ...(allIds.length > ids.length ? { truncated: true } : {}) };

  const nearest = await gatherNearest(graph, address, deps, o);
  const exposureShares = await gatherExposure(graph, address, deps, o);
  const taintBps = await gatherTaint(graph, address, deps, o);
  const peelChain = utxo ? await gatherPeel(graph, address, txs, deps, o) : null;
  const { clusterCategories, cluster } = await gatherClusterLabels(graph, address, deps);
  let metrics: AddressRiskFeatures['metrics'] = null;
  if (o.metrics !== false) {
    const m = await (deps.graphMetrics ?? defaultGraphMetrics)(graph, { address }, { stopAtCategories: o.stopAtCategories, ...o.metrics });
    const node = m.nodes.find((n) => n.address === address);
    if (node) metrics = { betweenness: node.betweenness, clustering: node.clustering, pagerankRatio: node.pagerankRatio, nodes: m.nodeCount };
  }

  const features: AddressRiskFeatures = {
    address,
    nearest,
    exposure: exposureShares,
    taintBps,
    peelChain,
    clusterCategories,
    ...(cluster ? { cluster } : {}),
    behaviour,
    metrics,
  };
  return { address, ...scoreAddressRisk(features, config), features };
}

async function gatherNearest(graph: GraphReader, address: AddressId, deps: AddressRiskDeps, o: AssessAddressOptions): Promise<AddressRiskFeatures['nearest']> {
  const reach = Math.min(o.config.hopSignalBps.length - 1, 10);
  const indexes = deps.proximity === undefined ? [] : Array.isArray(deps.proximity) ? (deps.proximity as readonly ScreeningIndex[]) : [deps.proximity as ScreeningIndex];
  const nearest: AddressRiskFeatures['nearest'] = {};
  for (const c of o.config.address.exposureCategories) {
    const index = indexes.find((ix) => ix.options.categories.length === 1 && ix.options.categories[0] === c && ix.options.maxHops >= reach);
    let best: NearestLabelled | null = null;
    for (const direction of o.directions) {
      const r = index
        ? await index.screen(address, { direction, maxHops: reach, maxPaths: 1 })
        : await (deps.hopDistance ?? defaultHopDistance)(graph, address, { categories: [c], direction, maxHops: reach, stopAtCategories: o.stopAtCategories, maxPaths: 1 });
      if (r.distance !== null && (best === null || r.distance < best.hops)) {
        const target = r.targets[0];
        best = { hops: r.distance, ...(target ? { address: target.address } : {}), ...(target?.labels[0] ? { label: target.labels[0] } : {}) };
      }
    }
    nearest[c] = best;
  }
  return nearest;
}

async function gatherExposure(graph: GraphReader, address: AddressId, deps: AddressRiskDeps, o: AssessAddressOptions): Promise<AddressRiskFeatures['exposure']> {
  const shares: AddressRiskFeatures['exposure'] = {};
  for (const c of o.config.address.exposureCategories) shares[c] = { directBps: 0, indirectBps: 0 };
  for (const direction of o.directions) {
    const r: ExposureResult = await (deps.exposure ?? defaultExposure)(graph, address, { direction, maxHops: o.exposureMaxHops, stopAtCategories: o.stopAtCategories });
    for (const e of r.categories) {
      const s: ExposureShare | undefined = shares[e.category];
      if (!s) continue;
      s.directBps = Math.max(s.directBps, e.direct.bps);
      s.indirectBps = Math.max(s.indirectBps, e.indirect.bps);
    }
  }
  return shares;
}

async function gatherTaint(graph: GraphReader, address: AddressId, deps: AddressRiskDeps, o: AssessAddressOptions): Promise<number> {
  const cats = o.config.address.taintCategories;
  if (cats.length === 0) return 0;
  const r = await (deps.exposure ?? defaultExposure)(graph, address, { direction: 'in', maxHops: o.taintMaxHops, categories: cats, stopAtCategories: o.stopAtCategories });
  return Math.min(10_000, r.categories.reduce((s, e) => s + e.direct.bps + e.indirect.bps, 0));
}

async function gatherPeel(graph: GraphReader, address: AddressId, txs: readonly Transaction[], deps: AddressRiskDeps, o: AssessAddressOptions): Promise<PeelChainFeature> {
  const opts = peelOptions({ ...o.peel, extendBackward: true, onBudget: 'truncate' });
  const spendsIn = new Set(txs.filter((t) => t.inputs.some((i) => i.address === address)).map((t) => t.id));
  const candidates = txs
    .filter((t) => {
      const shape = classifyPeelHop(t, opts);
      if (!shape) return false;
      return spendsIn.has(t.id) || t.outputs.some((out) => out.address === address && (out.index === shape.peelIndex || out.index === shape.changeIndex));
    })
    .sort((a, b) => a.height - b.height || a.position - b.position || cmp(a.id, b.id))
    .slice(0, o.maxPeelCandidates);
  const covered = new Set<TxId>();
  let best: PeelChainFeature = { role: 'none', chainLength: 0 };
  const rank = { none: 0, recipient: 1, operator: 2 } as const;
  for (const t of candidates) {
    if (covered.has(t.id)) continue;
    const r = await (deps.detectPeelChains ?? defaultDetectPeelChains)(graph, { txId: t.id }, opts);
    for (const chain of r.chains) {
      for (const h of chain.hops) covered.add(h.txId);
      const operator = chain.hops.some((h) => h.changeAddress === address || spendsIn.has(h.txId));
      const recipient = chain.hops.some((h) => h.peelAddress === address);
      const role: PeelChainFeature['role'] = operator ? 'operator' : recipient ? 'recipient' : 'none';
      if (rank[role] > rank[best.role] || (role === best.role && role !== 'none' && chain.length > best.chainLength)) {
        best = { role, chainLength: chain.length, startTxId: chain.startTxId };
      }
    }
  }
  return best;
}

async function gatherClusterLabels(
  graph: GraphReader,
  address: AddressId,
  deps: AddressRiskDeps,
): Promise<{ clusterCategories: Category[]; cluster?: { id: string; size: number } }> {
  const ref = deps.clusters?.clusterOf(address) ?? null;
  if (deps.clusters && ref && ref.size > 1) {
    const summary = await clusterLabels(graph, { clusters: deps.clusters, clusterId: ref.id });
    return { clusterCategories: summary.categories.map((c) => c.category), cluster: { id: ref.id, size: ref.size } };
  }
  const own = (await graph.getLabels([address])).get(address) ?? [];
  return { clusterCategories: [...new Set(own.map((l) => l.category))].sort((x, y) => CATEGORIES.indexOf(x) - CATEGORIES.indexOf(y)), ...(ref ? { cluster: { id: ref.id, size: ref.size } } : {}) };
}

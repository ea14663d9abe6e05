/**
 * Graph metrics of a flow subgraph (flow-subgraph.ts: an address's neighbourhood or a cluster), per
 * address: degree, weighted degree, betweenness, local clustering coefficient and PageRank. The risk score
 * uses them as features (src/analytics/risk/).
 *
 * - Degree: distinct counterparties inside the subgraph: `inDegree` (addresses that paid it), `outDegree`
 *   (addresses it paid), `degree` (distinct neighbours either way).
 * - Weighted degree: exact bigint sums of the edge values in base units of the subgraph's asset,
 *   `weightedInDegree` (received from the subgraph), `weightedOutDegree` (sent to it) and their sum. Computed
 *   here, not by graphology, whose weights are floating point: money stays exact.
 * - Betweenness: graphology-metrics `centrality/betweenness`, unweighted (hop count, not value: a larger
 *   amount is not a longer path), normalized by 1 / ((n - 1)(n - 2)). 'directed' (default) counts shortest
 *   paths along the direction of the funds, so it measures pass-through; 'undirected' ignores direction.
 *   [Reference]: Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociology 25(2), 2001.
 * - Local clustering coefficient: local-clustering.ts (Watts and Strogatz 1998), undirected projection.
 * - PageRank: graphology-metrics `centrality/pagerank`, damping alpha 0.85, fixed iteration cap and
 *   tolerance, on the directed graph. Weighted (default) by edge value converted to a float: the share of
 *   an address's outflow an edge carries (an edge of unknown value weighs one base unit). The values sum
 *   to 1 over the subgraph; `pagerankRatio` = pagerank x n is 1 for a uniform share.
 *   [Reference]: Page, Brin, Motwani, Winograd, "The PageRank citation ranking: Bringing order to the Web",
 *   Stanford InfoLab, 1999.
 *
 * Determinism: nodes and edges enter graphology sorted by id, the algorithms are fixed-step, and the nodes
 * come back sorted by id; the same subgraph gives the same numbers.
 */
import { DirectedGraph, UndirectedGraph } from 'graphology';
import { AriadneError, invalidInput } from '../../errors.js';
import type { AddressId } from '../../model/address.js';
import type { GraphReader } from '../../store/graph-store.js';
import {
  clusterSubgraph,
  inducedSubgraph,
  neighbourhoodSubgraph,
  type ClusterMembers,
  type FlowSubgraph,
  type SubgraphOptions,
} from './flow-subgraph.js';
import { betweennessCentrality, pagerank } from './graphology-interop.js';
import { localClusteringCoefficient } from './local-clustering.js';

export interface MetricsOptions {
  /** Betweenness along the direction of funds ('directed') or ignoring it ('undirected'). */
  betweenness: 'directed' | 'undirected';
  /** PageRank damping factor (default 0.85). */
  alpha: number;
  /** PageRank iteration cap (default 1,000); not converging within it is an INTERNAL error. */
  maxIterations: number;
  /** PageRank convergence: stops when the L1 change is below n x tolerance (default 1e-10). */
  tolerance: number;
  /** PageRank weighted by edge value (default) or unweighted. */
  weightedPagerank: boolean;
}

export const DEFAULTS: MetricsOptions = {
  betweenness: 'directed',
  alpha: 0.85,
  maxIterations: 1_000,
  tolerance: 1e-10,
  weightedPagerank: true,
};

export interface NodeMetrics {
  address: AddressId;
  /** Hops from the centre (neighbourhood), else null. */
  level: number | null;
  inDegree: number;
  outDegree: number;
  degree: number;
  /** Base units received from addresses of the subgraph (exact). */
  weightedInDegree: bigint;
  /** Base units sent to addresses of the subgraph (exact). */
  weightedOutDegree: bigint;
  weightedDegree: bigint;
  /** Normalized betweenness in [0, 1]. */
  betweenness: number;
  /** Local clustering coefficient in [0, 1]. */
  clustering: number;
  /** Triangles through the node (undirected projection). */
  triangles: number;
  pagerank: number;
  /** pagerank x number of nodes: 1 is a uniform share. */
  pagerankRatio: number;
}

export interface GraphMetrics {
  kind: FlowSubgraph['kind'];
  centre: AddressId | null;
  clusterId: string | null;
  chain: FlowSubgraph['chain'];
  asset: FlowSubgraph['asset'];
  nodeCount: number;
  edgeCount: number;
  /** Sorted by address id. */
  nodes: NodeMetrics[];
  truncated: FlowSubgraph['truncated'];
  unvaluedTransactions: FlowSubgraph['unvaluedTransactions'];
  transactionsRead: number;
  options: MetricsOptions;
}

function checkOptions(o: MetricsOptions): void {
  if (o.betweenness !== 'directed' && o.betweenness !== 'undirected') throw invalidInput(`invalid betweenness ${JSON.stringify(o.betweenness)}: expected "directed" or "undirected"`);
  if (!(typeof o.alpha === 'number' && o.alpha > 0 && o.alpha < 1)) throw invalidInput(`invalid alpha ${String(o.alpha)}: expected a number strictly between 0 and 1`);
  if (!Number.isSafeInteger(o.maxIterations) || o.maxIterations < 1) throw invalidInput(`invalid maxIterations ${String(o.maxIterations)}: expected an integer >= 1`);
  if (!(typeof o.tolerance === 'number' && o.tolerance > 0)) throw invalidInput(`invalid tolerance ${String(o.tolerance)}: expected a number > 0`);
}

/**
 * Metrics of every address of a subgraph. Pure: no store access. Weighted degrees are exact bigint base
 * units; centralities are floats. Deterministic. Errors: INVALID_INPUT (bad options, an edge naming an
 * address that is not a node), INTERNAL (PageRank did not converge within maxIterations).
 */
export function computeGraphMetrics(subgraph: FlowSubgraph, options: Partial<MetricsOptions> = {}): GraphMetrics {
  const o: MetricsOptions = { ...DEFAULTS, ...options };
  checkOptions(o);
  const directed = new DirectedGraph();
  const undirected = new UndirectedGraph();
  for (const n of subgraph.nodes) {
    directed.addNode(n.address);
    undirected.addNode(n.address);
  }
  const wIn = new Map<AddressId, bigint>();
  const wOut = new Map<AddressId, bigint>();
  for (const e of subgraph.edges) {
    if (!directed.hasNode(e.from) || !directed.hasNode(e.to)) throw invalidInput(`edge ${e.from} -> ${e.to} names an address that is not a node of the subgraph`);
    if (e.from === e.to) continue;
    // Float weights serve PageRank only; an edge of unknown value weighs one base unit so that no weight is 0.
    directed.mergeEdge(e.from, e.to, { weight: e.value > 0n ? Number(e.value) : 1 });
    undirected.mergeEdge(e.from, e.to);
    wOut.set(e.from, (wOut.get(e.from) ?? 0n) + e.value);
    wIn.set(e.to, (wIn.get(e.to) ?? 0n) + e.value);
  }

  const betweenness = betweennessCentrality(o.betweenness === 'directed' ? directed : undirected, { getEdgeWeight: null, normalized: true });
  const clustering = localClusteringCoefficient(directed);
  let ranks: Record<string, number>;
  try {
    ranks = pagerank(directed, { getEdgeWeight: o.weightedPagerank ? 'weight' : null, alpha: o.alpha, maxIterations: o.maxIterations, tolerance: o.tolerance });
  } catch (err) {
    throw new AriadneError('INTERNAL', `PageRank did not converge within ${o.maxIterations} iterations (tolerance ${o.tolerance}) on ${directed.order} nodes: ${(err as Error).message}`, {}, { cause: err });
  }
  const n = subgraph.nodes.length;
  const nodes: NodeMetrics[] = subgraph.nodes.map((node) => {
    const a = node.address;
    const weightedInDegree = wIn.get(a) ?? 0n;
    const weightedOutDegree = wOut.get(a) ?? 0n;
    const pr = ranks[a] ?? 0;
    return {
      address: a,
      level: node.level,
      inDegree: directed.inDegree(a),
      outDegree: directed.outDegree(a),
      degree: clustering[a]!.degree,
      weightedInDegree,
      weightedOutDegree,
      weightedDegree: weightedInDegree + weightedOutDegree,
      betweenness: betweenness[a] ?? 0,
      clustering: clustering[a]!.coefficient,
      triangles: clustering[a]!.triangles,
      pagerank: pr,
      pagerankRatio: pr * n,
    };
  });
  nodes.sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
  return {
    kind: subgraph.kind,
    centre: subgraph.centre,
    clusterId: subgraph.clusterId,
    chain: subgraph.chain,
    asset: subgraph.asset,
    nodeCount: n,
    edgeCount: directed.size,
    nodes,
    truncated: subgraph.truncated,
    unvaluedTransactions: subgraph.unvaluedTransactions,
    transactionsRead: subgraph.transactionsRead,
    options: o,
  };
}

export type MetricsInput = { address: AddressId } | { clusters: ClusterMembers; clusterId: string } | { addresses: readonly AddressId[] };

/**
 * Builds the subgraph of an address's neighbourhood, a cluster, or an address set through the read port,
 * and computes its metrics. Units, limits and errors: those of the subgraph builders and computeGraphMetrics.
 */
export async function graphMetrics(
  graph: GraphReader,
  input: MetricsInput,
  options: Partial<SubgraphOptions & MetricsOptions> = {},
): Promise<GraphMetrics> {
  const subgraph =
    'address' in input
      ? await neighbourhoodSubgraph(graph, input, options)
      : 'clusterId' in input
        ? await clusterSubgraph(graph, input, options)
        : await inducedSubgraph(graph, input, options);
  const { betweenness, alpha, maxIterations, tolerance, weightedPagerank } = options;
  const picked = Object.fromEntries(Object.entries({ betweenness, alpha, maxIterations, tolerance, weightedPagerank }).filter(([, v]) => v !== undefined));
  return computeGraphMetrics(subgraph, picked);
}

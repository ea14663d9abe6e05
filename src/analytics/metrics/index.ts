/** Public surface of the graph metrics. Add exports here on purpose. */
export { valueEdges, splitLargestRemainder, type ValueEdge } from './value-edges.js';
export {
  neighbourhoodSubgraph,
  clusterSubgraph,
  inducedSubgraph,
  DEFAULTS as SUBGRAPH_DEFAULTS,
  type ClusterMembers,
  type FlowEdge,
  type FlowSubgraph,
  type SubgraphNode,
  type SubgraphOptions,
} from './flow-subgraph.js';
export { localClusteringCoefficient, type LocalClustering, type NeighbourGraph } from './local-clustering.js';
export {
  computeGraphMetrics,
  graphMetrics,
  DEFAULTS as METRICS_DEFAULTS,
  type GraphMetrics,
  type MetricsInput,
  type MetricsOptions,
  type NodeMetrics,
} from './graph-metrics.js';

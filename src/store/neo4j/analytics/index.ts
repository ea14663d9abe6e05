/**
 * Public surface of the analytics that run inside Neo4j (docs/neo4j-analytics.md): hop distance, the
 * screening index kept as node properties, peel chains with quantified path patterns, and cluster ids
 * written back from ClusterIndex. Each gives the same answers as its port-based twin in src/analytics/.
 * Taint stays in TypeScript over the read port (see the doc for why). Add exports here on purpose.
 */
export {
  neo4jAnalytics,
  openNeo4jAnalytics,
  MAX_MIN_VALUE,
  type Neo4jAnalyticsContext,
  type OwnedNeo4jAnalyticsContext,
} from './connection.js';
export { neo4jHopDistance, neo4jNeighbours } from './hop-distance.js';
export { Neo4jProximityIndex } from './proximity-index.js';
export { neo4jDetectPeelChains, neo4jScanPeelChains } from './peel-chains.js';
export {
  followClusterIds,
  neo4jClusterMembers,
  neo4jClusterOf,
  writeClusterIds,
  writeClustersOf,
  type ClusterIdFollower,
  type ClusterWriteResult,
} from './clusters.js';

/**
 * Public surface of entity clustering: the incremental cluster index, the heuristics it applies (each usable
 * on its own), and label propagation. Add exports here on purpose.
 */
export {
  ClusterIndex,
  DEFAULTS as CLUSTER_DEFAULTS,
  type AddTransactionsResult,
  type ClusterEvidence,
  type ClusterHeuristic,
  type ClusterId,
  type ClusterIndexOptions,
  type ClusterRef,
  type ClusterStats,
  type CoinJoinExclusion,
  type MergeRefusal,
  type Page,
  type PageOf,
} from './cluster-index.js';
export { detectCoinJoin, COINJOIN_DUST_VALUES, type CoinJoinCheck, type CoinJoinVerdict } from './coinjoin.js';
export {
  addressKind,
  changeEvidenceFor,
  detectChangeOutputs,
  loadChangeContext,
  CHANGE_DEFAULTS,
  type ChangeContext,
  type ChangeEvidence,
  type ChangeHeuristic,
  type ChangeOptions,
} from './change-heuristics.js';
export {
  detectDepositReuse,
  findDepositAddresses,
  isDepositPair,
  linkDepositSenders,
  nativeTransferOf,
  transfersInto,
  DEPOSIT_DEFAULTS,
  type DepositEvidence,
  type DepositLink,
  type DepositReuseOptions,
  type DepositReuseResult,
  type NativeTransfer,
} from './deposit-reuse.js';
export {
  clusterLabels,
  DEFAULTS as CLUSTER_LABEL_DEFAULTS,
  ENTITY_TYPE_CATEGORIES,
  ILLICIT_ACTIVITY_CATEGORIES,
  SERVICE_CATEGORIES,
  type ClusterLabelOptions,
  type ClusterLabelSummary,
  type LabelConflict,
} from './cluster-labels.js';
export { UnionFind, type UnionOutcome } from './union-find.js';

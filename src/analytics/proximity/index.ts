/**
 * Public surface of proximity analysis: hopDistance (fresh multi-hop search with evidence paths),
 * exposure (direct and indirect exposure by category), and the incremental ProximityIndex used for
 * screening. Add exports here on purpose.
 */
export {
  hopDistance,
  DEFAULTS as HOP_DISTANCE_DEFAULTS,
  type HopDistanceOptions,
  type HopDistanceResult,
  type ProximityTarget,
} from './hop-distance.js';
export {
  exposure,
  DEFAULTS as EXPOSURE_DEFAULTS,
  type CategoryExposure,
  type ExposureOptions,
  type ExposureResult,
  type Share,
} from './exposure.js';
export { ProximityIndex, DEFAULTS as PROXIMITY_INDEX_DEFAULTS, type IndexedScreening, type ProximityIndexOptions } from './proximity-index.js';
export { transferEdges, type TransferEdge } from './edges.js';
export type { PathHop, ProximityDirection, ProximityPath } from './neighbourhood.js';

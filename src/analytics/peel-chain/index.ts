/** Public surface of peel-chain analytics. Add exports here on purpose. */
export { detectPeelChains, type PeelChainResult } from './detect-peel-chains.js';
export { scanPeelChains } from './scan-peel-chains.js';
export { classifyPeelHop, examinePeelHop, peelOptions, DEFAULTS as PEEL_CHAIN_DEFAULTS, PPM, type HopShape, type PeelChainOptions } from './peel-hop.js';
export type { PeelChain, PeelChainEnd, PeelHop } from './peel-walker.js';

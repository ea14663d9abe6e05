/**
 * The API's request limits, in one place. `maxHops` and the screening batch come from the configuration
 * (config.limits); the rest are API constants. Going over a limit is LIMIT_EXCEEDED, never a silent cut.
 */
import { invalidInput, limitExceeded } from '../errors.js';

export const API_LIMITS = {
  /** Nesting of field selections, root fields at depth 1 (introspection is not counted). */
  maxDepth: 12,
  /** Estimated cost of one operation (query-limits.ts says how it is estimated). */
  maxCost: 100_000,
  /** graphql-js parser token cap: a bigger document is refused before it is parsed in full. */
  maxTokens: 20_000,
  defaultPageSize: 50,
  maxPageSize: 500,
  /**
   * screen() for categories the screening index does not hold (or hops above its depth) runs one fresh
   * traversal per address: at most this many addresses per call, each bounded by `freshScreenVisited`.
   */
  maxFreshScreens: 50,
  freshScreenVisited: 20_000,
  /** subgraph(limit). */
  defaultSubgraphNodes: 100,
  maxSubgraphNodes: 1_000,
  /** trace / taint work budget (transactions examined). */
  defaultTraceTransactions: 1_000,
  maxTraceTransactions: 5_000,
  /** peelChains(maxHops). */
  maxPeelHops: 1_000,
  /** peelChains work budget (transactions read). */
  peelTransactions: 20_000,
  /** peelChains(range): most blocks scanned in one call. */
  maxPeelRangeBlocks: 10_000,
  /** screen: evidence paths per address. */
  maxPaths: 10,
  /** taint: sources per call. */
  maxTaintSources: 1_000,
  /** ingestBlocks: blocks per call (the HTTP body cap applies too). */
  maxIngestBlocks: 100,
  /** linkAddresses / onboardCustomer addresses per call. */
  maxLinkAddresses: 1_000,
} as const;

/** Checks a page size: default when absent, INVALID_INPUT below 0, LIMIT_EXCEEDED above the cap. */
export function pageSize(first: number | null | undefined, max: number = API_LIMITS.maxPageSize): number {
  if (first === null || first === undefined) return Math.min(API_LIMITS.defaultPageSize, max);
  if (!Number.isInteger(first) || first < 0) throw invalidInput(`invalid page size first: ${String(first)}: expected an integer >= 0`);
  if (first > max) throw limitExceeded(`page size first: ${first} is above the limit of ${max}`, { limit: max });
  return first;
}

/** Checks a hop count against the configured cap. */
export function checkHops(name: string, value: number, cap: number, min = 0): number {
  if (!Number.isInteger(value) || value < min) throw invalidInput(`invalid ${name} ${String(value)}: expected an integer >= ${min}`);
  if (value > cap) throw limitExceeded(`${name} ${value} is above the configured limit of ${cap}`, { limit: cap });
  return value;
}

/** Checks a count argument (limit, budget, batch) against its cap. */
export function checkCount(name: string, value: number, cap: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) throw invalidInput(`invalid ${name} ${String(value)}: expected an integer >= ${min}`);
  if (value > cap) throw limitExceeded(`${name} ${value} is above the limit of ${cap}`, { limit: cap });
  return value;
}

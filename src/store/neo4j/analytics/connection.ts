/**
 * What the in-database analytics need: a neo4j-driver `Driver` on the store's database, to run the analytics
 * queries of cypher/ (fixed text, parameters only), and the store's read port over the same database, for
 * the few reads that must be exactly the port's (evidence of a path, label texts of targets).
 *
 * The Neo4j store keeps its driver private, so the analytics open their own driver from the same
 * configuration (`openNeo4jAnalytics`), or take one the caller already has (`neo4jAnalytics`). On a single
 * Neo4j instance (Community Edition) every committed write is visible to the next read of any session; on a
 * cluster the two drivers would need to share bookmarks.
 *
 * Integers: parameters go as Cypher integers (the driver sends a JS number as a float); results come back as
 * JS numbers (distances, heights, indexes are small). Amounts are never sent or read as numbers: decimal
 * strings and order-preserving keys (amount-key.ts) only.
 */
import neo4j, { type Driver, type Integer, type ManagedTransaction } from 'neo4j-driver';
import { AriadneError, invalidInput, limitExceeded } from '../../../errors.js';
import { chainInfo } from '../../../model/chain.js';
import type { GraphReader } from '../../graph-store.js';
import { minAmountKey } from '../amount-key.js';
import { loadCypher } from '../cypher-loader.js';
import { translateNeo4jError } from '../errors.js';
import type { Neo4jConfig } from '../neo4j-store.js';

export interface Neo4jAnalyticsContext {
  readonly driver: Driver;
  /** Database name; Community Edition has one user database, `neo4j`. */
  readonly database: string;
  /** The Bolt URI, named in STORE_UNAVAILABLE messages. */
  readonly uri: string;
  /** The store's read port over the same database (the Neo4j store itself). */
  readonly graph: GraphReader;
}

export interface OwnedNeo4jAnalyticsContext extends Neo4jAnalyticsContext {
  /** Closes the driver opened by `openNeo4jAnalytics` (not the store). */
  close(): Promise<void>;
}

/** A context over a driver the caller owns (and closes). The driver should be created with `disableLosslessIntegers: true`. */
export function neo4jAnalytics(driver: Driver, graph: GraphReader, options: { database?: string; uri?: string } = {}): Neo4jAnalyticsContext {
  return { driver, graph, database: options.database ?? 'neo4j', uri: options.uri ?? 'neo4j' };
}

/** Opens a driver with the store's configuration; `graph` is the Neo4j store opened from the same configuration. */
export async function openNeo4jAnalytics(config: Neo4jConfig, graph: GraphReader): Promise<OwnedNeo4jAnalyticsContext> {
  let driver: Driver;
  try {
    driver = neo4j.driver(config.uri, config.user ? neo4j.auth.basic(config.user, config.password) : undefined, { disableLosslessIntegers: true, userAgent: 'ariadne-analytics' });
  } catch (err) {
    throw invalidInput(`invalid Neo4j URI ${JSON.stringify(config.uri)}: expected bolt://host:port or neo4j://host:port (${(err as Error).message})`);
  }
  try {
    await driver.verifyConnectivity({ database: config.database });
  } catch (err) {
    await driver.close().catch(() => undefined);
    throw translateNeo4jError(err, { operation: 'connecting (analytics)', uri: config.uri });
  }
  return { driver, graph, database: config.database, uri: config.uri, close: () => driver.close() };
}

type Row = Record<string, unknown>;

/** Runs cypher/<name>.cypher in a read transaction; rows as plain objects. */
export async function readCypher<T = Row>(ctx: Neo4jAnalyticsContext, name: string, params: Record<string, unknown> = {}): Promise<T[]> {
  return inSession(ctx, name, 'read', (tx) => runIn<T>(tx, name, params));
}

/** Runs cypher/<name>.cypher in a write transaction (retried by the driver on transient errors). */
export async function writeCypher<T = Row>(ctx: Neo4jAnalyticsContext, name: string, params: Record<string, unknown> = {}): Promise<T[]> {
  return inSession(ctx, name, 'write', (tx) => runIn<T>(tx, name, params));
}

/** Runs cypher/<name>.cypher as an auto-commit query (needed by `CALL { } IN TRANSACTIONS`). */
export async function autoCommitCypher<T = Row>(ctx: Neo4jAnalyticsContext, name: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const session = ctx.driver.session({ database: ctx.database, defaultAccessMode: neo4j.session.WRITE });
  try {
    const result = await session.run(loadCypher(name), cypherParams(params) as Record<string, unknown>);
    return result.records.map((r) => plain(r.toObject()) as T);
  } catch (err) {
    throw translateNeo4jError(err, { operation: name, uri: ctx.uri });
  } finally {
    await session.close().catch(() => undefined);
  }
}

async function inSession<T>(ctx: Neo4jAnalyticsContext, name: string, mode: 'read' | 'write', work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  const session = ctx.driver.session({ database: ctx.database, defaultAccessMode: mode === 'read' ? neo4j.session.READ : neo4j.session.WRITE });
  try {
    return mode === 'read' ? await session.executeRead(work) : await session.executeWrite(work);
  } catch (err) {
    throw translateNeo4jError(err, { operation: name, uri: ctx.uri });
  } finally {
    await session.close().catch(() => undefined);
  }
}

async function runIn<T>(tx: ManagedTransaction, name: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await tx.run(loadCypher(name), cypherParams(params) as Record<string, unknown>);
  return result.records.map((r) => plain(r.toObject()) as T);
}

/**
 * Parameters as Cypher values: safe integers become Cypher integers; bigints are refused (amounts go as
 * decimal strings or keys); `undefined` becomes null.
 */
export function cypherParams(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? neo4j.int(value) : value;
  if (typeof value === 'bigint') throw new AriadneError('INTERNAL', `a bigint (${value}) was passed as a Cypher parameter: amounts must be decimal strings`);
  if (Array.isArray(value)) return value.map(cypherParams);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = v === undefined ? null : cypherParams(v);
    return out;
  }
  return value;
}

/** Results as plain JS values, whatever the driver's integer setting. */
function plain(value: unknown): unknown {
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

/** The stored chains of UTXO kind (chainInfo decides, as everywhere else); the others are account chains. */
export async function utxoChains(ctx: Neo4jAnalyticsContext): Promise<string[]> {
  const rows = await readCypher<{ chain: string }>(ctx, 'analytics-chains');
  return rows.map((r) => r.chain).filter((c) => chainInfo(c).kind === 'utxo').sort();
}

/** minValue accepted by the in-database edge rule: the capped sum of two 9-digit limbs stays below 2^63. */
export const MAX_MIN_VALUE = 10n ** 27n - 1n;

/**
 * The parameters of the edge rule's value test "the receiver gets at least minValue": its order-preserving
 * key (one output at least that large settles it) and its two limbs (hi = minValue / 10^9, lo = the rest)
 * for the exact capped sum of smaller outputs. LIMIT_EXCEEDED above MAX_MIN_VALUE.
 */
export function minValueParams(minValue: bigint): { minKey: string; minHi: Integer; minLo: number } {
  if (minValue > MAX_MIN_VALUE) {
    throw limitExceeded(`minValue ${minValue} is above what the Neo4j engine compares exactly (at most 10^27 - 1 base units)`);
  }
  const v = minValue < 0n ? 0n : minValue;
  // hi reaches 10^18: past JS safe integers, so it goes as a driver Integer built from its digits.
  return { minKey: minAmountKey(v), minHi: neo4j.int((v / 1_000_000_000n).toString()), minLo: Number(v % 1_000_000_000n) };
}

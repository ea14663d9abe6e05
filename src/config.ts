/**
 * Configuration from the environment, read once, validated, with sensible defaults. Every setting is
 * documented in README.md ("Configuration").
 */
import path from 'node:path';
import { invalidInput } from './errors.js';

export type StoreEngine = 'embedded' | 'neo4j';

export interface Config {
  store: StoreEngine;
  dataDir: string;
  /**
   * SQLite page cache of the embedded store, MiB (ARIADNE_SQLITE_CACHE_MIB); null: the store's default,
   * which is small for a service and large for `ariadne ingest` (docs/performance.md).
   */
  sqliteCacheMiB: number | null;
  host: string;
  port: number;
  neo4j: { uri: string; user: string; password: string; database: string };
  /** Load the demo data into an empty store at start (npm start). */
  seedDemo: boolean;
  /** Hard caps for analytics requests. */
  limits: { maxHops: number; maxScreenBatch: number };
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw)) throw invalidInput(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  const n = Number(raw);
  if (n < min || n > max) throw invalidInput(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const store = (env.ARIADNE_STORE ?? 'embedded').trim();
  if (store !== 'embedded' && store !== 'neo4j') {
    throw invalidInput(`ARIADNE_STORE must be "embedded" or "neo4j", got ${JSON.stringify(store)}`);
  }
  return {
    store,
    dataDir: path.resolve(env.ARIADNE_DATA_DIR ?? './data'),
    sqliteCacheMiB: env.ARIADNE_SQLITE_CACHE_MIB ? intFrom(env, 'ARIADNE_SQLITE_CACHE_MIB', 64, 2, 1_048_576) : null,
    host: env.ARIADNE_HOST ?? '127.0.0.1',
    port: intFrom(env, 'ARIADNE_PORT', 4000, 0, 65535),
    neo4j: {
      uri: env.NEO4J_URI ?? 'bolt://127.0.0.1:7687',
      user: env.NEO4J_USER ?? 'neo4j',
      password: env.NEO4J_PASSWORD ?? '',
      database: env.NEO4J_DATABASE ?? 'neo4j',
    },
    seedDemo: (env.ARIADNE_SEED_DEMO ?? 'true') !== 'false',
    limits: {
      maxHops: intFrom(env, 'ARIADNE_MAX_HOPS', 10, 1, 50),
      maxScreenBatch: intFrom(env, 'ARIADNE_MAX_SCREEN_BATCH', 1000, 1, 100_000),
    },
  };
}

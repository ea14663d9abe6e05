/**
 * Opens the store chosen by the configuration (ARIADNE_STORE). The one place that knows every engine.
 */
import { mkdirSync } from 'node:fs';
import type { Config } from '../config.js';
import { UnreachableCaseError } from '../errors.js';
import type { ComplianceStore } from './compliance-store.js';
import { EmbeddedComplianceStore } from './embedded/compliance/index.js';
import { lockDataDir } from './embedded/data-dir-lock.js';
import { BULK_LOAD_CACHE_MIB, EmbeddedStore, openEmbeddedStore } from './embedded/embedded-store.js';
import type { GraphStore } from './graph-store.js';

/**
 * `purpose`: 'bulk-load' gives the embedded store a large page cache (unless ARIADNE_SQLITE_CACHE_MIB says
 * otherwise): a bulk load inserts into B-trees keyed by random hashes, and every cache miss is a disk read.
 */
export async function openStore(config: Config, purpose: 'serve' | 'bulk-load' = 'serve'): Promise<GraphStore> {
  switch (config.store) {
    case 'embedded': {
      mkdirSync(config.dataDir, { recursive: true });
      const lock = lockDataDir(config.dataDir);
      try {
        const cacheMiB = config.sqliteCacheMiB ?? (purpose === 'bulk-load' ? BULK_LOAD_CACHE_MIB : undefined);
        const store = await openEmbeddedStore({ dir: config.dataDir, ...(cacheMiB ? { cacheMiB } : {}) });
        const close = store.close.bind(store);
        store.close = async () => {
          await close();
          lock.release();
        };
        return store;
      } catch (err) {
        lock.release();
        throw err;
      }
    }
    case 'neo4j': {
      const { openNeo4jStore } = await import('./neo4j/neo4j-store.js');
      return openNeo4jStore(config.neo4j);
    }
    default:
      throw new UnreachableCaseError(config.store);
  }
}

/**
 * The compliance store (customers, alerts, reports, audit) that lives beside a graph store, in the same
 * database: the same SQLite file for the embedded engine, the same Neo4j database for Neo4j.
 */
export async function openComplianceStore(graph: GraphStore): Promise<ComplianceStore> {
  switch (graph.engine) {
    case 'embedded':
      return new EmbeddedComplianceStore((graph as EmbeddedStore).db);
    case 'neo4j': {
      const { Neo4jComplianceStore } = await import('./neo4j/compliance/neo4j-compliance-store.js');
      return Neo4jComplianceStore.forStore(graph);
    }
    default:
      throw new UnreachableCaseError(graph.engine);
  }
}

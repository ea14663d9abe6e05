/**
 * Opens the store chosen by the configuration (ARIADNE_STORE). The one place that knows every engine.
 */
import type { Config } from '../config.js';
import { UnreachableCaseError } from '../errors.js';
import { openEmbeddedStore } from './embedded/embedded-store.js';
import type { GraphStore } from './graph-store.js';

export async function openStore(config: Config): Promise<GraphStore> {
  switch (config.store) {
    case 'embedded':
      return openEmbeddedStore({ dir: config.dataDir });
    case 'neo4j': {
      const { openNeo4jStore } = await import('./neo4j/neo4j-store.js');
      return openNeo4jStore(config.neo4j);
    }
    default:
      throw new UnreachableCaseError(config.store);
  }
}

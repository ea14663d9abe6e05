import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CYPHER_DIR, loadCypher, loadCypherStatements } from './cypher-loader.js';

// The port's methods, copied by hand from src/store/graph-store.ts, plus the store's opener (schema).
const STORE_METHODS = new Set([
  'getTransactions', 'getAddresses', 'getFlows', 'getLabels', 'findAddressesByCategory', 'blockHeight',
  'findTransactionsByHeight', 'stats', 'writeBlock', 'importLabels', 'addLabel', 'removeLabel', 'labelHistory',
  'openNeo4jStore',
]);

const files = readdirSync(CYPHER_DIR).filter((f) => f.endsWith('.cypher')).sort();
const names = files.map((f) => f.slice(0, -'.cypher'.length));
const paramsIn = (text: string): string[] => [...new Set([...text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!))].sort();

describe('cypher files', () => {
  it('are there', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(names)('%s opens with the store methods it serves and declares exactly the $params it uses', (name) => {
    const text = loadCypher(name);
    const lines = text.split('\n');
    const methods = /^\/\/ ([^:]+):/.exec(lines[0]!)?.[1]!.replace(/\s*\(.*\)$/, '').split(/,\s*/);
    expect(methods, 'first line: "// method[, method]: what it does"').toBeDefined();
    for (const m of methods!) expect(STORE_METHODS, `unknown store method ${m}`).toContain(m);
    const declaration = lines.find((l) => l.startsWith('// $params:'));
    expect(declaration, 'a "// $params:" line').toBeDefined();
    const body = lines.filter((l) => !l.trimStart().startsWith('//')).join('\n');
    expect(paramsIn(declaration!.slice('// $params:'.length))).toEqual(paramsIn(body));
  });

  it('are all used by the store, and the store names no missing file', () => {
    const source = readFileSync(new URL('./neo4j-store.ts', import.meta.url), 'utf8');
    const used = [...source.matchAll(/run\(tx, '([a-z0-9-]+)'/g)].map((m) => m[1]!);
    used.push(...[...source.matchAll(/loadCypherStatements\('([a-z0-9-]+)'\)/g)].map((m) => m[1]!));
    expect([...new Set(used)].sort()).toEqual(names);
  });
});

describe('loadCypher', () => {
  it('refuses a name that is not a plain kebab-case file name', () => {
    expect(() => loadCypher('../package')).toThrow(/kebab-case/);
    expect(() => loadCypher('stats.cypher')).toThrow(/kebab-case/);
  });

  it('names the missing file', () => {
    expect(() => loadCypher('no-such-query')).toThrow(/cypher\/no-such-query\.cypher/);
  });

  it('splits the schema into single statements without comments', () => {
    const statements = loadCypherStatements('schema');
    // schema.cypher: 7 constraints, 5 indexes, 1 awaitIndexes call.
    expect(statements).toHaveLength(13);
    for (const s of statements) {
      expect(s).not.toMatch(/;|\/\//);
      expect(s).toMatch(/^(CREATE (CONSTRAINT|INDEX)|CALL db\.awaitIndexes)/);
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CYPHER_DIR, loadCypher, loadCypherStatements } from './cypher-loader.js';

// The Neo4j engine's source (store, analytics, compliance), where every query file must be used and every
// method a file names must exist.
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : [],
  );
const engineSource = sourceFiles(path.dirname(fileURLToPath(import.meta.url)))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

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
    for (const m of methods!) {
      const last = m.split('.').pop()!;
      expect(new RegExp(`\\b${last}\\b`).test(engineSource), `the first line names ${m}, which the Neo4j engine does not define`).toBe(true);
    }
    const declaration = lines.find((l) => l.startsWith('// $params:'));
    expect(declaration, 'a "// $params:" line').toBeDefined();
    const body = lines.filter((l) => !l.trimStart().startsWith('//')).join('\n');
    expect(paramsIn(declaration!.slice('// $params:'.length))).toEqual(paramsIn(body));
  });

  it.each(names)('%s is used by the Neo4j engine', (name) => {
    expect(engineSource.includes(`'${name}'`), `no source file of src/store/neo4j loads cypher/${name}.cypher`).toBe(true);
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
    // Counted independently: every statement of schema.cypher starts a line with CREATE or CALL.
    const starts = readFileSync(path.join(CYPHER_DIR, 'schema.cypher'), 'utf8').split('\n').filter((l) => /^(CREATE|CALL) /.test(l)).length;
    expect(statements).toHaveLength(starts);
    expect(starts).toBeGreaterThan(10);
    for (const s of statements) {
      expect(s).not.toMatch(/;|\/\//);
      expect(s).toMatch(/^(CREATE (CONSTRAINT|INDEX)|CALL db\.awaitIndexes)/);
    }
  });
});

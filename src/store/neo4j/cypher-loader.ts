/**
 * Loads the Cypher queries of the Neo4j store from `cypher/<name>.cypher` (repository root), one query per
 * file, named after the store method it serves. Queries are fixed text read from disk and take parameters
 * only: no Cypher is ever built from user input, so an id full of quotes and braces is just a value.
 * Files are read once and cached.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AriadneError } from '../../errors.js';

/** Absolute path of the `cypher/` folder. */
export const CYPHER_DIR = fileURLToPath(new URL('../../../cypher/', import.meta.url));

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const cache = new Map<string, string>();

/** The text of `cypher/<name>.cypher`. Throws INTERNAL for a name that is not kebab-case or a missing file. */
export function loadCypher(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  if (!NAME.test(name)) throw new AriadneError('INTERNAL', `cypher query name must be kebab-case (a file in cypher/), got ${JSON.stringify(name)}`);
  let text: string;
  try {
    text = readFileSync(`${CYPHER_DIR}${name}.cypher`, 'utf8');
  } catch (err) {
    throw new AriadneError('INTERNAL', `cannot read cypher/${name}.cypher: ${(err as Error).message}`, {}, { cause: err });
  }
  cache.set(name, text);
  return text;
}

/**
 * The statements of a multi-statement file (schema.cypher): split at a `;` that ends a line, with `//`
 * comment lines dropped. Statements must not contain a `;` at the end of a line inside a string.
 */
export function loadCypherStatements(name: string): string[] {
  return loadCypher(name)
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n')
    .split(/;[ \t]*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The two graphology-metrics functions the metrics use, typed and callable from ESM.
 *
 * graphology-metrics is a CommonJS package whose declaration files say `export default`. Under
 * TypeScript's NodeNext resolution a default import of it is typed as the whole `module.exports` object
 * (`{ default: fn }`), while Node hands over `module.exports` itself, which IS the function. `unwrap`
 * accepts both shapes, so the code is right whichever loader (Node, vitest, a bundler) runs it.
 */
import betweennessImport from 'graphology-metrics/centrality/betweenness.js';
import pagerankImport from 'graphology-metrics/centrality/pagerank.js';

type Betweenness = typeof betweennessImport.default;
type Pagerank = typeof pagerankImport.default;

function unwrap<T>(mod: { default: T }): T {
  return typeof mod === 'function' ? (mod as unknown as T) : mod.default;
}

/** graphology-metrics `centrality/betweenness` (Brandes 2001). */
export const betweennessCentrality: Betweenness = unwrap(betweennessImport);
/** graphology-metrics `centrality/pagerank` (power iteration; Page, Brin, Motwani, Winograd 1999). */
export const pagerank: Pagerank = unwrap(pagerankImport);

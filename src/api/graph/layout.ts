/**
 * Layout coordinates for drawable subgraphs: ForceAtlas2 (graphology-layout-forceatlas2) from a
 * deterministic start (nodes on a circle in the order given), a fixed number of iterations and settings
 * inferred from the graph's size, so that the same subgraph always gets the same coordinates.
 * [Reference]: Jacomy, Venturini, Heymann, Bastian, "ForceAtlas2, a Continuous Graph Layout Algorithm for
 * Handy Network Visualization Designed for the Gephi Software", PLoS ONE 9(6), 2014.
 */
import { DirectedGraph } from 'graphology';
import forceAtlas2Import from 'graphology-layout-forceatlas2';

// A CommonJS package typed with `export default`: under NodeNext the default import is typed as the module
// object, while Node hands over module.exports, the function itself (see analytics/metrics/graphology-interop.ts).
type ForceAtlas2 = typeof forceAtlas2Import.default;
const forceAtlas2: ForceAtlas2 = typeof forceAtlas2Import === 'function' ? (forceAtlas2Import as unknown as ForceAtlas2) : forceAtlas2Import.default;

export const LAYOUT_ITERATIONS = 100;

/** x/y per node id. Coordinates are rounded to 3 decimals (display units, not data). */
export function forceAtlasLayout(nodes: readonly string[], edges: readonly { source: string; target: string }[]): Map<string, { x: number; y: number }> {
  const g = new DirectedGraph({ multi: false, allowSelfLoops: false });
  const n = nodes.length;
  nodes.forEach((id, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, n);
    g.addNode(id, { x: 100 * Math.cos(angle), y: 100 * Math.sin(angle) });
  });
  for (const e of edges) if (e.source !== e.target && g.hasNode(e.source) && g.hasNode(e.target) && !g.hasEdge(e.source, e.target)) g.addEdge(e.source, e.target);
  const positions = n > 1 ? forceAtlas2(g, { iterations: LAYOUT_ITERATIONS, settings: forceAtlas2.inferSettings(g) }) : Object.fromEntries(nodes.map((id) => [id, { x: 0, y: 0 }]));
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return new Map(nodes.map((id) => [id, { x: round(positions[id]!.x), y: round(positions[id]!.y) }]));
}

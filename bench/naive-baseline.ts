/**
 * The naive screening baseline for the embedded engine: the address graph of the generated chain (the
 * same address-to-address edges every proximity analytic uses, src/analytics/proximity/edges.ts) in a
 * graphology graph, and a fresh breadth-first search per screened address.
 *
 * - `bidirectional(address)`: graphology-shortest-path's unweighted bidirectional BFS from the address to
 *   a virtual sink joined to every sanctioned address (so one call finds the nearest sanctioned address);
 *   no hop limit and no stop categories: the library call a first implementation would make.
 * - `sameRules(address)`: a BFS over a compact copy of the same graph with the screening rules (at most
 *   maxHops, never through an exchange, ending on a sanctioned address), to cross-check the index's answer
 *   on every sampled address.
 *
 * Direction 'both' only (the screening default): the graph is undirected.
 */
import { UndirectedGraph } from 'graphology';
import { bidirectional } from 'graphology-shortest-path/unweighted.js';
import { transferEdges } from '../src/analytics/proximity/edges.js';
import type { AddressId } from '../src/model/address.js';
import type { Block } from '../src/model/transaction.js';

const SINK = '__sanctioned_sink__';

export class NaiveBaseline {
  readonly graph = new UndirectedGraph({ allowSelfLoops: false });
  private readonly ids = new Map<AddressId, number>();
  private readonly pairs: number[] = [];
  private offsets = new Int32Array(0);
  private neighbours = new Int32Array(0);
  private target = new Uint8Array(0);
  private stop = new Uint8Array(0);

  /** Adds the edges of every transaction of the blocks. */
  addBlocks(blocks: Iterable<Block>, minValue = 1n): void {
    for (const block of blocks) {
      for (const tx of block.transactions) {
        for (const e of transferEdges(tx, minValue)) {
          if (!this.graph.hasNode(e.from)) this.node(e.from);
          if (!this.graph.hasNode(e.to)) this.node(e.to);
          if (this.graph.hasEdge(e.from, e.to)) continue;
          this.graph.addEdge(e.from, e.to);
          this.pairs.push(this.ids.get(e.from)!, this.ids.get(e.to)!);
        }
      }
    }
  }

  private node(a: AddressId): number {
    this.graph.addNode(a);
    const n = this.ids.size;
    this.ids.set(a, n);
    return n;
  }

  /** Marks the targets (joined to the sink) and the stop addresses; builds the compact copy. */
  finish(sanctioned: readonly AddressId[], stops: readonly AddressId[]): void {
    this.graph.addNode(SINK);
    for (const a of sanctioned) {
      if (!this.graph.hasNode(a)) this.node(a);
      this.graph.addEdge(a, SINK);
    }
    const n = this.ids.size;
    const degree = new Int32Array(n + 1);
    for (let i = 0; i < this.pairs.length; i += 2) {
      degree[this.pairs[i]!]!++;
      degree[this.pairs[i + 1]!]!++;
    }
    this.offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) this.offsets[i + 1] = this.offsets[i]! + degree[i]!;
    this.neighbours = new Int32Array(this.offsets[n]!);
    const fill = this.offsets.slice(0, n);
    for (let i = 0; i < this.pairs.length; i += 2) {
      const a = this.pairs[i]!;
      const b = this.pairs[i + 1]!;
      this.neighbours[fill[a]!++] = b;
      this.neighbours[fill[b]!++] = a;
    }
    this.pairs.length = 0;
    this.target = new Uint8Array(n);
    this.stop = new Uint8Array(n);
    for (const a of sanctioned) this.target[this.ids.get(a)!] = 1;
    for (const a of stops) {
      const i = this.ids.get(a);
      if (i !== undefined) this.stop[i] = 1;
    }
  }

  get nodes(): number {
    return this.ids.size;
  }

  get edges(): number {
    return this.neighbours.length / 2;
  }

  /** Hops to the nearest sanctioned address by graphology's bidirectional BFS; null when unreachable. */
  bidirectional(address: AddressId): number | null {
    if (!this.graph.hasNode(address)) return null;
    const path = bidirectional(this.graph, address, SINK);
    return path ? path.length - 2 : null;
  }

  /** Hops to the nearest sanctioned address under the screening rules, within maxHops; null when none. */
  sameRules(address: AddressId, maxHops: number): number | null {
    const s = this.ids.get(address);
    if (s === undefined) return null;
    if (this.target[s]) return 0;
    const seen = new Set<number>([s]);
    let frontier = [s];
    for (let d = 1; d <= maxHops && frontier.length > 0; d++) {
      const next: number[] = [];
      for (const u of frontier) {
        for (let k = this.offsets[u]!; k < this.offsets[u + 1]!; k++) {
          const w = this.neighbours[k]!;
          if (seen.has(w)) continue;
          if (this.target[w]) return d;
          seen.add(w);
          if (!this.stop[w]) next.push(w);
        }
      }
      frontier = next;
    }
    return null;
  }
}

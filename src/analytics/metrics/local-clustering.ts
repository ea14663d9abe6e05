/**
 * Local clustering coefficient of every node: the share of pairs of a node's neighbours that are
 * themselves neighbours. graphology-metrics 2.4 has no clustering coefficient (its `node/` folder offers
 * eccentricity, weighted degree and clustering ambiguity, which is about community partitions), hence
 * this file.
 *
 * Definition (Watts and Strogatz), on the undirected simple projection of the graph: direction is ignored,
 * parallel edges count once and self-loops are ignored. For a node v with k distinct neighbours of which
 * T pairs are linked,
 *     C(v) = 2T / (k (k - 1))   when k >= 2,   C(v) = 0 when k < 2 (NetworkX's convention).
 * T is also the number of triangles through v. Exact: T and k are returned beside C.
 *
 * [Reference]: Watts, Duncan J.; Strogatz, Steven H., "Collective dynamics of 'small-world' networks",
 * Nature 393, 440-442, 1998 (equation for C_v). Convention for k < 2: NetworkX `clustering`.
 */

/** The part of a graphology graph this needs (any graphology Graph has it). */
export interface NeighbourGraph {
  forEachNode(callback: (node: string) => void): void;
  /** Distinct neighbours in either direction. */
  neighbors(node: string): string[];
  /** True when an edge links the two nodes in either direction. */
  areNeighbors(a: string, b: string): boolean;
}

export interface LocalClustering {
  /** Distinct neighbours in either direction, self excluded. */
  degree: number;
  /** Linked pairs of neighbours = triangles through the node. */
  triangles: number;
  /** 2 * triangles / (degree * (degree - 1)), or 0 when degree < 2. */
  coefficient: number;
}

/**
 * Local clustering coefficient of every node of a graphology graph (directed, undirected or mixed), keyed
 * by node. Deterministic. Cost: O(sum of k^2) neighbour checks, k the degree.
 */
export function localClusteringCoefficient(graph: NeighbourGraph): Record<string, LocalClustering> {
  const result: Record<string, LocalClustering> = {};
  graph.forEachNode((node) => {
    const neighbours = graph.neighbors(node).filter((n) => n !== node);
    const k = neighbours.length;
    let triangles = 0;
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) if (graph.areNeighbors(neighbours[i]!, neighbours[j]!)) triangles++;
    }
    result[node] = { degree: k, triangles, coefficient: k < 2 ? 0 : (2 * triangles) / (k * (k - 1)) };
  });
  return result;
}

/**
 * addressSubgraph: the neighbourhood of an address as a drawable graph. Nodes are the addresses within
 * `hops` of the center (breadth first, in the flow direction asked), nearest first and by id within a
 * level, at most `limit`; edges are the address-to-address transfers between kept nodes (edges.ts rules:
 * UTXO inputs pooled, account transfers paired, at least `minValue` received), summed per (from, to,
 * asset) over the linking transactions. Reads: one getFlows and one getTransactions call per level.
 * Deterministic.
 */
import { transferEdges, type ProximityDirection, type TransferEdge } from '../../analytics/proximity/index.js';
import type { AddressId, TxId } from '../../model/address.js';
import type { GraphReader } from '../../store/graph-store.js';

export interface SubgraphOptions {
  hops: number;
  limit: number;
  direction: ProximityDirection;
  minValue: bigint;
}

export interface SubgraphEdgeData {
  id: string;
  source: AddressId;
  target: AddressId;
  asset: string;
  amount: bigint;
  txIds: TxId[];
}

export interface SubgraphData {
  center: AddressId;
  nodes: { id: AddressId; hop: number }[];
  edges: SubgraphEdgeData[];
  /** Addresses within `hops` were left out by `limit`. */
  truncated: boolean;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export async function addressSubgraph(graph: GraphReader, center: AddressId, o: SubgraphOptions): Promise<SubgraphData> {
  const side = o.direction === 'out' ? 'input' : o.direction === 'in' ? 'output' : 'both';
  const incident = new Map<AddressId, TransferEdge[]>();
  const load = async (list: readonly AddressId[]): Promise<void> => {
    if (list.length === 0) return;
    const flows = await graph.getFlows(list, { side });
    const txIds = [...new Set([...flows.values()].flatMap((fs) => fs.map((f) => f.txId)))];
    const txs = txIds.length > 0 ? await graph.getTransactions(txIds) : new Map();
    for (const a of list) {
      const edges: TransferEdge[] = [];
      for (const id of new Set((flows.get(a) ?? []).map((f) => f.txId))) {
        const tx = txs.get(id);
        if (!tx) continue;
        for (const e of transferEdges(tx, o.minValue)) {
          if (o.direction === 'out' ? e.from === a : o.direction === 'in' ? e.to === a : e.from === a || e.to === a) edges.push(e);
        }
      }
      incident.set(a, edges);
    }
  };
  const hopOf = new Map<AddressId, number>([[center, 0]]);
  const order: AddressId[] = [center];
  let truncated = false;
  let frontier: AddressId[] = [center];
  for (let h = 0; h < o.hops && frontier.length > 0 && !truncated; h++) {
    await load(frontier);
    const fresh = new Set<AddressId>();
    for (const a of frontier) for (const e of incident.get(a)!) for (const other of [e.from, e.to]) if (!hopOf.has(other)) fresh.add(other);
    const next = [...fresh].sort(cmp);
    const room = o.limit - order.length;
    if (next.length > room) truncated = true;
    frontier = next.slice(0, Math.max(0, room));
    for (const a of frontier) {
      hopOf.set(a, h + 1);
      order.push(a);
    }
  }
  // The outermost nodes' own edges, for the links among them.
  await load(order.filter((a) => !incident.has(a)));
  const edges = new Map<string, SubgraphEdgeData>();
  for (const list of incident.values()) {
    for (const e of list) {
      if (!hopOf.has(e.from) || !hopOf.has(e.to)) continue;
      const id = `${e.from}->${e.to}:${e.asset}`;
      let edge = edges.get(id);
      if (!edge) edges.set(id, (edge = { id, source: e.from, target: e.to, asset: e.asset, amount: 0n, txIds: [] }));
      if (!edge.txIds.includes(e.txId)) {
        edge.txIds.push(e.txId);
        edge.amount += e.received;
      }
    }
  }
  for (const e of edges.values()) e.txIds.sort(cmp);
  return {
    center,
    nodes: order.map((id) => ({ id, hop: hopOf.get(id)! })),
    edges: [...edges.values()].sort((a, b) => cmp(a.id, b.id)),
    truncated,
  };
}

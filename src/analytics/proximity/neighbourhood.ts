/**
 * Batched neighbour loading for proximity traversals: the edges (edges.ts) incident to a set of addresses
 * in one direction, fetched with one `getFlows` and one `getTransactions` call per batch and cached, plus
 * the evidence of a path (which transaction links each pair of addresses, and the amounts).
 */
import type { AddressId, TxId } from '../../model/address.js';
import type { Transaction } from '../../model/transaction.js';
import type { GraphReader } from '../../store/graph-store.js';
import { cmp, transferEdges, type TransferEdge } from './edges.js';

/** 'out': where the address's funds went; 'in': where its funds came from; 'both': either, as undirected. */
export type ProximityDirection = 'in' | 'out' | 'both';

/** One hop of an evidence path, in fund-flow terms. */
export interface PathHop {
  txId: TxId;
  /** The address that paid into the transaction. */
  from: AddressId;
  /** The address the transaction paid. */
  to: AddressId;
  sent: bigint | null;
  received: bigint;
  asset: string;
  /** Other transactions linking the same two addresses in the same direction (not shown). */
  otherTxs: number;
}

export interface ProximityPath {
  /** From the screened address to the labelled one. */
  addresses: AddressId[];
  hops: PathHop[];
}

export function isIncident(e: TransferEdge, address: AddressId, direction: ProximityDirection): boolean {
  return direction === 'out' ? e.from === address : direction === 'in' ? e.to === address : e.from === address || e.to === address;
}

export const otherEnd = (e: TransferEdge, address: AddressId): AddressId => (e.from === address ? e.to : e.from);

export class Neighbourhood {
  private readonly txs = new Map<TxId, Transaction>();
  private readonly incident = new Map<AddressId, TransferEdge[]>();
  calls = 0;

  constructor(
    private readonly graph: GraphReader,
    readonly direction: ProximityDirection,
    private readonly minValue: bigint,
  ) {}

  /** Loads the incident edges of the addresses not loaded yet: one getFlows and one getTransactions call. */
  async load(addresses: readonly AddressId[]): Promise<void> {
    const todo = [...new Set(addresses)].filter((a) => !this.incident.has(a));
    if (todo.length === 0) return;
    const side = this.direction === 'out' ? 'input' : this.direction === 'in' ? 'output' : 'both';
    const flows = await this.graph.getFlows(todo, { side });
    this.calls++;
    const missing = new Set<TxId>();
    for (const list of flows.values()) for (const f of list) if (!this.txs.has(f.txId)) missing.add(f.txId);
    if (missing.size > 0) {
      for (const [id, tx] of await this.graph.getTransactions([...missing])) this.txs.set(id, tx);
      this.calls++;
    }
    for (const a of todo) {
      const ids = [...new Set((flows.get(a) ?? []).map((f) => f.txId))];
      const edges: TransferEdge[] = [];
      for (const id of ids) {
        const tx = this.txs.get(id);
        if (tx) for (const e of transferEdges(tx, this.minValue)) if (isIncident(e, a, this.direction)) edges.push(e);
      }
      this.incident.set(a, edges);
    }
  }

  edges(address: AddressId): TransferEdge[] {
    return this.incident.get(address) ?? [];
  }

  /** Distinct neighbours, sorted. */
  neighbours(address: AddressId): AddressId[] {
    return [...new Set(this.edges(address).map((e) => otherEnd(e, address)))].filter((n) => n !== address).sort(cmp);
  }

  /**
   * Evidence of an address path whose addresses (all but the last) are loaded: for each pair, the
   * linking transaction with the smallest id, its amounts, and how many others link the pair.
   */
  hops(path: readonly AddressId[]): PathHop[] {
    const hops: PathHop[] = [];
    for (let i = 0; i + 1 < path.length; i++) {
      const x = path[i]!;
      const y = path[i + 1]!;
      const links = this.edges(x)
        .filter((e) => otherEnd(e, x) === y)
        .sort((a, b) => cmp(a.txId, b.txId) || cmp(a.from, b.from));
      const first = links[0];
      if (!first) throw new Error(`proximity: no edge between ${x} and ${y}`);
      const txCount = new Set(links.map((e) => e.txId)).size;
      hops.push({ txId: first.txId, from: first.from, to: first.to, sent: first.sent, received: first.received, asset: first.asset, otherTxs: txCount - 1 });
    }
    return hops;
  }
}

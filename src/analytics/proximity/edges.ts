/**
 * The address-to-address edges of a transaction, as every proximity analytic counts them (hopDistance,
 * exposure, ProximityIndex): one place, so that the fresh traversal and the index agree exactly.
 *
 * One hop = address -[INPUT]-> transaction -[OUTPUT]-> address, with these rules:
 * - UTXO chains: every input address to every output address of the transaction (the inputs are pooled).
 * - Account chains: INPUT index k pairs only with OUTPUT index k (the native transfer is 0, token log k is
 *   k + 1), so that a token transfer and the native call of one transaction are not mixed up.
 * - An edge needs the receiver to get at least `minValue` base units (default 1): zero-value transfers, the
 *   material of "address poisoning" spam, make no proximity. Failed transactions moved nothing: no edges.
 * - Self-edges (change back to the sender) are left out.
 */
import type { AddressId, TxId } from '../../model/address.js';
import { chainInfo } from '../../model/chain.js';
import type { AssetId, Transaction } from '../../model/transaction.js';

export interface TransferEdge {
  txId: TxId;
  from: AddressId;
  to: AddressId;
  /** What `from` put into the transaction (UTXO: all its inputs; account: the paired transfers); null if unknown. */
  sent: bigint | null;
  /** What `to` got from it (UTXO: all outputs to it; account: the paired transfers). */
  received: bigint;
  asset: AssetId;
}

/** The edges of one transaction, deduplicated per (from, to), in (from, to) order. Pure. */
export function transferEdges(tx: Transaction, minValue: bigint = 1n): TransferEdge[] {
  if (tx.status === 'failed') return [];
  const pairs = new Map<string, TransferEdge>();
  const add = (from: AddressId, to: AddressId, sent: bigint | null, received: bigint, asset: AssetId): void => {
    const key = `${from}\n${to}`;
    const e = pairs.get(key);
    if (!e) pairs.set(key, { txId: tx.id, from, to, sent, received, asset });
    else {
      e.sent = e.sent === null || sent === null ? null : e.sent + sent;
      e.received += received;
    }
  };
  if (chainInfo(tx.chain).kind === 'account') {
    for (const input of tx.inputs) {
      const out = tx.outputs.find((o) => o.index === input.index);
      if (!input.address || !out?.address || input.address === out.address) continue;
      add(input.address, out.address, input.value, out.value, out.asset);
    }
  } else {
    const sentBy = new Map<AddressId, bigint | null>();
    for (const i of tx.inputs) {
      if (!i.address) continue;
      const prev = sentBy.get(i.address);
      sentBy.set(i.address, prev === undefined ? i.value : prev === null || i.value === null ? null : prev + i.value);
    }
    const receivedBy = new Map<AddressId, { value: bigint; asset: AssetId }>();
    for (const o of tx.outputs) {
      if (!o.address) continue;
      const prev = receivedBy.get(o.address);
      receivedBy.set(o.address, { value: (prev?.value ?? 0n) + o.value, asset: o.asset });
    }
    for (const [from, sent] of sentBy) {
      for (const [to, got] of receivedBy) if (from !== to) add(from, to, sent, got.value, got.asset);
    }
  }
  return [...pairs.values()].filter((e) => e.received >= minValue).sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The edges between `x` and `y` (both orientations) of one UTXO transaction, from the two addresses' own
 * flows in it rather than from the whole transaction: equal to `transferEdges(tx)` restricted to the pair,
 * because a UTXO edge a -> b needs only a's inputs (pooled: `sent`) and b's outputs (`received`). This is
 * what lets the screening index explain a hop from the memory index alone. Not for account chains (their
 * pairing is by index, and a failed transaction's flows are not marked as failed).
 */
export function utxoPairEdges(txId: TxId, x: AddressId, flowsOfX: readonly PairFlow[], y: AddressId, flowsOfY: readonly PairFlow[], minValue: bigint = 1n): TransferEdge[] {
  const sent = (flows: readonly PairFlow[]): { value: bigint | null } | null => {
    let out = null as { value: bigint | null } | null;
    for (const f of flows) {
      if (f.txId !== txId || f.side !== 'input') continue;
      if (!out) out = { value: f.value };
      else out.value = out.value === null || f.value === null ? null : out.value + f.value;
    }
    return out;
  };
  const received = (flows: readonly PairFlow[]): { value: bigint; asset: AssetId } | null => {
    let out = null as { value: bigint; asset: AssetId } | null;
    for (const f of flows) {
      if (f.txId !== txId || f.side !== 'output') continue;
      out = { value: (out?.value ?? 0n) + (f.value ?? 0n), asset: f.asset };
    }
    return out;
  };
  const edges: TransferEdge[] = [];
  const link = (from: AddressId, fromFlows: readonly PairFlow[], to: AddressId, toFlows: readonly PairFlow[]): void => {
    const s = sent(fromFlows);
    const r = received(toFlows);
    if (s && r && r.value >= minValue) edges.push({ txId, from, to, sent: s.value, received: r.value, asset: r.asset });
  };
  link(x, flowsOfX, y, flowsOfY);
  link(y, flowsOfY, x, flowsOfX);
  return edges.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));
}

/** What utxoPairEdges reads of a flow (the store's Flow has these fields). */
export interface PairFlow {
  txId: TxId;
  side: 'input' | 'output';
  value: bigint | null;
  asset: AssetId;
}

/**
 * A customer's activity as the monitoring rules see it: each transaction of the linked addresses becomes
 * one movement per direction and asset, seen from the customer (all linked addresses together):
 *
 * - UTXO: when a linked address pays into the transaction, it is an 'out' movement worth what the outputs
 *   pay to addresses outside the customer (change back to the customer is not counted), counterparties the
 *   outside output addresses; otherwise it is an 'in' movement worth what the outputs pay the customer,
 *   counterparties the input addresses. A transaction that moves nothing outside (consolidation) is none.
 * - Account chains: each transfer (input k paired with output k) between the customer and an outside
 *   address counts; transfers of one transaction with the same direction and asset are summed.
 * - Failed transactions moved nothing and are left out.
 * USD equivalents come from the price table (exact fractions; null when the asset has no price).
 */
import type { AddressId, TxId } from '../../model/address.js';
import { chainInfo } from '../../model/chain.js';
import type { Transaction } from '../../model/transaction.js';
import type { GraphReader } from '../../store/graph-store.js';
import type { EvidenceTransaction } from '../../store/compliance-store.js';
import { formatUsd, usdValue, type PriceTable, type Usd } from './usd.js';

export interface Movement {
  txId: TxId;
  height: number;
  /** Chain time, unix seconds. */
  time: number;
  direction: 'in' | 'out';
  asset: string;
  /** Base units. */
  value: bigint;
  usd: Usd | null;
  counterparties: AddressId[];
  /** The customer's addresses taking part. */
  linkedAddresses: AddressId[];
}

/** The movements of one transaction for the customer whose addresses are `linked`. Pure. */
export function movementsOf(tx: Transaction, linked: ReadonlySet<AddressId>, prices: PriceTable): Movement[] {
  if (tx.status === 'failed') return [];
  const make = (direction: 'in' | 'out', asset: string, value: bigint, counterparties: Set<AddressId>, mine: Set<AddressId>): Movement => ({
    txId: tx.id,
    height: tx.height,
    time: tx.time,
    direction,
    asset,
    value,
    usd: usdValue(prices, asset, value),
    counterparties: [...counterparties].sort(),
    linkedAddresses: [...mine].sort(),
  });
  if (chainInfo(tx.chain).kind === 'utxo') {
    const mineIn = tx.inputs.filter((i) => i.address !== null && linked.has(i.address));
    if (mineIn.length > 0) {
      const outside = tx.outputs.filter((o) => o.address !== null && !linked.has(o.address));
      const value = outside.reduce((s, o) => s + o.value, 0n);
      if (value === 0n) return [];
      return [make('out', outside[0]!.asset, value, new Set(outside.map((o) => o.address!)), new Set(mineIn.map((i) => i.address!)))];
    }
    const mineOut = tx.outputs.filter((o) => o.address !== null && linked.has(o.address));
    const value = mineOut.reduce((s, o) => s + o.value, 0n);
    if (value === 0n) return [];
    const senders = new Set(tx.inputs.flatMap((i) => (i.address !== null ? [i.address] : [])));
    return [make('in', mineOut[0]!.asset, value, senders, new Set(mineOut.map((o) => o.address!)))];
  }
  const groups = new Map<string, { direction: 'in' | 'out'; asset: string; value: bigint; cp: Set<AddressId>; mine: Set<AddressId> }>();
  for (const input of tx.inputs) {
    const out = tx.outputs.find((o) => o.index === input.index);
    if (!out || !input.address || !out.address || out.value === 0n) continue;
    const fromMine = linked.has(input.address);
    const toMine = linked.has(out.address);
    if (fromMine === toMine) continue;
    const direction = fromMine ? 'out' : 'in';
    const key = `${direction}\n${out.asset}`;
    const g = groups.get(key) ?? { direction, asset: out.asset, value: 0n, cp: new Set<AddressId>(), mine: new Set<AddressId>() };
    g.value += out.value;
    g.cp.add(fromMine ? out.address : input.address);
    g.mine.add(fromMine ? input.address : out.address);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => make(g.direction, g.asset, g.value, g.cp, g.mine));
}

export function compareMovements(a: Movement, b: Movement): number {
  return a.time - b.time || a.height - b.height || (a.txId < b.txId ? -1 : a.txId > b.txId ? 1 : 0) || (a.direction < b.direction ? -1 : a.direction > b.direction ? 1 : 0);
}

/**
 * Every movement of the linked addresses with fromTime <= time <= toTime (unix seconds; both optional),
 * ordered by time, height, transaction id. Two batched reads (flows, then transactions).
 */
export async function collectMovements(
  graph: GraphReader,
  addresses: readonly AddressId[],
  prices: PriceTable,
  window: { fromTime?: number; toTime?: number } = {},
): Promise<Movement[]> {
  if (addresses.length === 0) return [];
  const flows = await graph.getFlows(addresses, { minTime: window.fromTime, maxTime: window.toTime });
  const txIds = [...new Set([...flows.values()].flat().map((f) => f.txId))];
  if (txIds.length === 0) return [];
  const txs = await graph.getTransactions(txIds);
  const linked = new Set(addresses);
  const out: Movement[] = [];
  for (const id of txIds) {
    const tx = txs.get(id);
    if (tx) out.push(...movementsOf(tx, linked, prices));
  }
  return out.sort(compareMovements);
}

/** The evidence form of a movement (amounts as decimal strings, USD to the cent). */
export function toEvidence(m: Movement): EvidenceTransaction {
  return {
    txId: m.txId,
    height: m.height,
    time: m.time,
    direction: m.direction,
    asset: m.asset,
    value: m.value.toString(),
    usd: m.usd === null ? null : formatUsd(m.usd),
    counterparties: m.counterparties,
    linkedAddresses: m.linkedAddresses,
  };
}

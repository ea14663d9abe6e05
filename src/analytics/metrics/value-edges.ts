/**
 * Value edges: the address-to-address edges of one transaction WITH the exact value each edge carries, the
 * material of the flow graph the metrics run on (flow-subgraph.ts).
 *
 * Which pairs are edges follows the proximity rules (src/analytics/proximity/edges.ts), so that a metric
 * and a hop distance see the same graph:
 * - UTXO chains: every input address to every output address of the transaction (the inputs are pooled);
 * - account chains: INPUT index k pairs only with OUTPUT index k (native transfer 0, token log k at k + 1);
 * - failed transactions moved nothing: no edges; self-edges (change back to a sender) are left out;
 * - an edge needs at least `minValue` base units (default 1): zero-value spam makes no edge.
 *
 * The value of an edge u -> v in one transaction (base units of the edge's asset, exact bigint):
 * - account chains: the paired transfer's value (summed when several transfers pair the same two addresses);
 * - UTXO chains, one input address: everything v received from the transaction;
 * - UTXO chains, several input addresses: what v received, split between the input addresses in
 *   proportion to what each put in (the haircut reading of a pooled transaction: Möser, Böhme, Breuker,
 *   "Towards Risk Scoring of Bitcoin Transactions", FC 2014 Workshops). The split is made over ALL input
 *   addresses, v included when it is also an input, with the largest-remainder method (floor, then the
 *   leftover units one each to the largest fractional remainders, ties to the smaller address id), so the
 *   parts of one output sum exactly to it; v's own part (change) is then dropped with the self-edge.
 *   When an input value is unknown (its prevout is not ingested) the split cannot be made: the edges keep
 *   their structure with `value: null`, and the caller reports the transaction as unvalued.
 * Coinbase transactions have no input address, hence no edges.
 */
import { invalidInput } from '../../errors.js';
import type { AddressId, TxId } from '../../model/address.js';
import { chainInfo } from '../../model/chain.js';
import type { AssetId, Transaction } from '../../model/transaction.js';

export interface ValueEdge {
  txId: TxId;
  from: AddressId;
  to: AddressId;
  asset: AssetId;
  /** Exact base units moved from `from` to `to` by this transaction; null when an input value is unknown. */
  value: bigint | null;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The value edges of one transaction, one per (from, to, asset), sorted by (from, to, asset). Pure and
 * deterministic. `minValue` applies to the edge's value (an unvalued edge is kept when what `to` received
 * from the transaction reaches it).
 */
export function valueEdges(tx: Transaction, minValue: bigint = 1n): ValueEdge[] {
  if (tx.status === 'failed' || tx.coinbase) return [];
  const edges = chainInfo(tx.chain).kind === 'account' ? accountEdges(tx) : utxoEdges(tx, minValue);
  return edges
    .filter((e) => e.from !== e.to && (e.value === null || e.value >= minValue))
    .sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.asset, b.asset));
}

function accountEdges(tx: Transaction): ValueEdge[] {
  const byKey = new Map<string, ValueEdge>();
  for (const input of tx.inputs) {
    const out = tx.outputs.find((o) => o.index === input.index);
    if (!input.address || !out?.address || input.address === out.address) continue;
    const key = `${input.address}\n${out.address}\n${out.asset}`;
    const e = byKey.get(key);
    if (e) e.value = e.value! + out.value;
    else byKey.set(key, { txId: tx.id, from: input.address, to: out.address, asset: out.asset, value: out.value });
  }
  return [...byKey.values()];
}

function utxoEdges(tx: Transaction, minValue: bigint): ValueEdge[] {
  // What each input address put in (null when one of its inputs has no known value).
  const sent = new Map<AddressId, bigint | null>();
  for (const i of tx.inputs) {
    if (!i.address) continue;
    const prev = sent.get(i.address);
    sent.set(i.address, prev === undefined ? i.value : prev === null || i.value === null ? null : prev + i.value);
  }
  if (sent.size === 0) return [];
  const received = new Map<AddressId, { value: bigint; asset: AssetId }>();
  for (const o of tx.outputs) {
    if (!o.address) continue;
    const prev = received.get(o.address);
    received.set(o.address, { value: (prev?.value ?? 0n) + o.value, asset: o.asset });
  }
  const senders = [...sent.keys()].sort(cmp);
  const edges: ValueEdge[] = [];
  if (senders.length === 1) {
    const from = senders[0]!;
    for (const [to, got] of received) edges.push({ txId: tx.id, from, to, asset: got.asset, value: got.value });
    return edges;
  }
  const weights = senders.map((s) => sent.get(s)!);
  const known = weights.every((w): w is bigint => w !== null);
  const total = known ? weights.reduce((s, w) => s + w, 0n) : 0n;
  for (const [to, got] of received) {
    if (!known || total === 0n) {
      // Without every input value there is no honest split; the pair is still an edge when `to` got enough.
      if (got.value >= minValue) for (const from of senders) edges.push({ txId: tx.id, from, to, asset: got.asset, value: null });
      continue;
    }
    const parts = splitLargestRemainder(got.value, weights as bigint[]);
    senders.forEach((from, k) => edges.push({ txId: tx.id, from, to, asset: got.asset, value: parts[k]! }));
  }
  return edges;
}

/**
 * Splits `amount` into integer parts proportional to `weights` (all >= 0, sum > 0) that sum exactly to
 * `amount`: floor(amount * w_k / W) each, then the leftover units one each to the largest remainders,
 * ties to the lower position (Hamilton's method). Exact bigint arithmetic.
 */
export function splitLargestRemainder(amount: bigint, weights: readonly bigint[]): bigint[] {
  const total = weights.reduce((s, w) => s + w, 0n);
  if (total <= 0n || weights.some((w) => w < 0n)) throw invalidInput(`cannot split ${amount} by weights [${weights.join(', ')}]: expected weights >= 0 that sum to more than 0`);
  const parts = weights.map((w) => (amount * w) / total);
  let missing = amount - parts.reduce((s, p) => s + p, 0n);
  const order = weights
    .map((w, k) => ({ k, rem: (amount * w) % total }))
    .filter((r) => r.rem !== 0n)
    .sort((a, b) => (a.rem > b.rem ? -1 : a.rem < b.rem ? 1 : a.k - b.k));
  for (const r of order) {
    if (missing === 0n) break;
    parts[r.k] = parts[r.k]! + 1n;
    missing -= 1n;
  }
  return parts;
}

/**
 * Behaviour features of an address from its own transactions: fan-in, fan-out, round-amount payments and
 * burstiness. Pure: the caller reads the transactions (assess-address-risk.ts).
 *
 * - Fan-in / fan-out: distinct other addresses that paid it / that it paid, over the value edges of its
 *   transactions (metrics/value-edges.ts: the proximity edge rules, every asset).
 * - Payments: value moved between the address and another address, native asset only (its decimals are
 *   known; a token's are not). UTXO: when the address spends in a transaction, each output paying another
 *   address is a payment sent; otherwise each output paying the address is a payment received (change back
 *   to itself is no payment). Account chains: each native transfer from or to the address.
 *   A payment is ROUND when its value is a non-zero multiple of 10^(decimals - decimalsKept) base units:
 *   with decimalsKept 2, a multiple of 0.01 BTC (1,000,000 sat) or 0.01 ETH. Round amounts mark payments
 *   typed by a person (or a fiat conversion) rather than change, which is almost never round.
 *   [Reference]: Androulaki, Karame, Roeschlin, Scherer, Capkun, "Evaluating User Privacy in Bitcoin",
 *   FC 2013 (round payment values tell payment from change).
 * - Burstiness B = (sigma - mu) / (sigma + mu) of the gaps between the times of consecutive transactions
 *   (mu their mean, sigma their population standard deviation), in [-1, 1]: -1 perfectly regular, about 0
 *   random (Poisson), towards 1 activity in bursts. Needs at least 3 transactions (2 gaps), else null.
 *   All transactions at the same time (every gap 0) is the extreme burst: B = 1.
 *   [Reference]: Goh, Barabási, "Burstiness and memory in complex systems", EPL 81, 48002 (2008).
 */
import type { AddressId } from '../../model/address.js';
import { chainInfo } from '../../model/chain.js';
import type { Transaction } from '../../model/transaction.js';
import { valueEdges } from '../metrics/value-edges.js';
import type { BehaviourFeatures } from './risk-features.js';

export interface BehaviourOptions {
  /** Round payments are multiples of 10^(decimals - decimalsKept) base units (default 2: 0.01 coin). */
  decimalsKept: number;
}

/** Payments of `address` in `tx` (native asset), as values in base units. */
export function paymentsOf(address: AddressId, tx: Transaction): bigint[] {
  if (tx.status === 'failed') return [];
  const info = chainInfo(tx.chain);
  if (info.kind === 'account') {
    const out: bigint[] = [];
    for (const input of tx.inputs) {
      const o = tx.outputs.find((x) => x.index === input.index);
      if (!o || o.asset !== info.nativeAsset || !input.address || !o.address || input.address === o.address) continue;
      if (input.address === address || o.address === address) out.push(o.value);
    }
    return out;
  }
  const spends = tx.inputs.some((i) => i.address === address);
  return tx.outputs.filter((o) => o.address !== null && (spends ? o.address !== address : o.address === address)).map((o) => o.value);
}

/** Goh-Barabasi burstiness of the gaps between sorted times (unix seconds); null with fewer than 3 times. */
export function burstiness(times: readonly number[]): number | null {
  if (times.length < 3) return null;
  const sorted = [...times].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((t, i) => t - sorted[i]!);
  const mu = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  if (mu === 0) return 1;
  const sigma = Math.sqrt(gaps.reduce((s, g) => s + (g - mu) ** 2, 0) / gaps.length);
  return (sigma - mu) / (sigma + mu);
}

/**
 * Behaviour features of `address` over the given transactions (each counted once). Deterministic.
 * Amounts compared exactly in base units.
 */
export function behaviourFeatures(address: AddressId, txs: readonly Transaction[], options: BehaviourOptions): BehaviourFeatures {
  const unique = [...new Map(txs.map((t) => [t.id, t])).values()];
  const senders = new Set<AddressId>();
  const receivers = new Set<AddressId>();
  let payments = 0;
  let roundPayments = 0;
  for (const tx of unique) {
    for (const e of valueEdges(tx)) {
      if (e.to === address) senders.add(e.from);
      if (e.from === address) receivers.add(e.to);
    }
    const decimals = chainInfo(tx.chain).decimals;
    const unit = 10n ** BigInt(Math.max(0, decimals - options.decimalsKept));
    for (const v of paymentsOf(address, tx)) {
      payments += 1;
      if (v > 0n && v % unit === 0n) roundPayments += 1;
    }
  }
  return {
    transactions: unique.length,
    fanIn: senders.size,
    fanOut: receivers.size,
    payments,
    roundPayments,
    burstiness: burstiness(unique.map((t) => t.time)),
  };
}

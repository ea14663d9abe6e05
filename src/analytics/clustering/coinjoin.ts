/**
 * CoinJoin detection for the multi-input heuristic: a transaction that looks like a CoinJoin joins coins of
 * several owners, so its inputs must not be merged into one entity.
 *
 * Rule (BlockSci `heuristics::isCoinjoin`, src/heuristics/tx_identification.cpp): with p = participants,
 * a transaction is a CoinJoin when ALL of these hold:
 *   1. at least 2 inputs and at least 3 outputs;
 *   2. p = floor((outputs + 1) / 2)  (each participant gets a mixed output and a change output);
 *   3. p <= inputs and p <= distinct input addresses;
 *   4. the most common output value occurs exactly p times;
 *   5. that value is neither 546 nor 2730 sat (dust outputs of other protocols, not a mixing denomination).
 *
 * Choices where BlockSci is silent or differs from our model (documented in docs/analytics-clustering-peel.md):
 * - Every output counts, those without an address (OP_RETURN) included, as BlockSci's `outputCount()` does.
 * - An input whose address is unknown counts as one more distinct address. It could belong to anyone, and
 *   counting it as distinct makes the verdict monotonic: once its address is known the distinct count can
 *   only drop, so a "not a CoinJoin" verdict never flips to "CoinJoin" later (merges are never undone).
 * - BlockSci takes the first maximum of an unordered_map, i.e. an unspecified value when two values tie for
 *   most common; we take the LARGEST of the tied values, so that a dust value never hides a real denomination
 *   and the result does not depend on hash order.
 *
 * [Reference]: Kalodner et al., "BlockSci: Design and applications of a blockchain analysis platform",
 * USENIX Security 2020; github.com/citp/BlockSci.
 */
import type { Transaction } from '../../model/transaction.js';

/** Output values (sat) that BlockSci refuses to read as a CoinJoin denomination. */
export const COINJOIN_DUST_VALUES: readonly bigint[] = [546n, 2730n];

export type CoinJoinCheck =
  | 'min-inputs-outputs'
  | 'participants-exceed-inputs'
  | 'participants-exceed-addresses'
  | 'denomination-count'
  | 'dust-denomination';

export interface CoinJoinVerdict {
  isCoinJoin: boolean;
  /** The first rule that failed (undefined when every rule held, i.e. a CoinJoin). */
  failed?: CoinJoinCheck;
  inputs: number;
  outputs: number;
  /** Distinct known input addresses plus one per input of unknown address. */
  distinctInputAddresses: number;
  participants: number;
  /** The most common output value in sat (null when there are no outputs). */
  denomination: bigint | null;
  denominationCount: number;
  /** One sentence with the numbers, for audit logs and `explain` output. */
  reason: string;
}

/**
 * Applies BlockSci's CoinJoin rule to one transaction. Pure and deterministic. Values in the chain's base
 * unit (satoshi). Coinbase transactions are never CoinJoins.
 */
export function detectCoinJoin(tx: Pick<Transaction, 'inputs' | 'outputs' | 'coinbase'>): CoinJoinVerdict {
  const inputs = tx.coinbase ? 0 : tx.inputs.length;
  const outputs = tx.outputs.length;
  const participants = Math.floor((outputs + 1) / 2);

  const known = new Set<string>();
  let unknown = 0;
  for (const input of tx.inputs) {
    if (input.address === null) unknown++;
    else known.add(input.address);
  }
  const distinctInputAddresses = known.size + unknown;

  const counts = new Map<bigint, number>();
  for (const o of tx.outputs) counts.set(o.value, (counts.get(o.value) ?? 0) + 1);
  let denomination: bigint | null = null;
  let denominationCount = 0;
  for (const [value, count] of counts) {
    if (count > denominationCount || (count === denominationCount && denomination !== null && value > denomination)) {
      denomination = value;
      denominationCount = count;
    }
  }

  const base = { inputs, outputs, distinctInputAddresses, participants, denomination, denominationCount };
  const numbers = `${inputs} inputs, ${outputs} outputs, ${distinctInputAddresses} distinct input addresses, participants p = floor((${outputs} + 1) / 2) = ${participants}, most common output value ${denomination ?? 'none'} sat x ${denominationCount}`;
  const fail = (failed: CoinJoinCheck, why: string): CoinJoinVerdict => ({ isCoinJoin: false, failed, ...base, reason: `not a CoinJoin: ${why} (${numbers})` });

  if (tx.coinbase || inputs < 2 || outputs < 3) return fail('min-inputs-outputs', 'needs at least 2 inputs and 3 outputs');
  if (participants > inputs) return fail('participants-exceed-inputs', `p = ${participants} > ${inputs} inputs`);
  if (participants > distinctInputAddresses) {
    return fail('participants-exceed-addresses', `p = ${participants} > ${distinctInputAddresses} distinct input addresses`);
  }
  if (denominationCount !== participants) {
    return fail('denomination-count', `most common output value occurs ${denominationCount} times, not p = ${participants}`);
  }
  if (denomination !== null && COINJOIN_DUST_VALUES.includes(denomination)) {
    return fail('dust-denomination', `most common output value ${denomination} sat is a dust value (546 or 2730)`);
  }
  return { isCoinJoin: true, ...base, reason: `CoinJoin (BlockSci rule): ${numbers}; ${denomination} sat occurs exactly p = ${participants} times` };
}

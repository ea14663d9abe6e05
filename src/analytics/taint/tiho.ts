/**
 * TIHO taint ("taint in, highest out"): the total tainted amount of the inputs is assigned to the outputs
 * in decreasing order of value (ties: lower output index first), each output taking at most its value;
 * whatever the outputs cannot hold goes to the fee, which comes last. Worked example: inputs [3 tainted,
 * 7 clean], outputs [4, 6] give 0 and 3. Taint is conserved.
 *
 * [Reference]: Tironsakkul, Tin; Maarek, Manuel; Eross, Andrea; Just, Mike. "Probing the Mystery of
 * Cryptocurrency Theft: An Investigation into Methods for Taint Analysis". arXiv:1906.05754 (2019); used
 * again in "Tracking Mixed Bitcoins", DPM/CBT 2020, LNCS 12484.
 *
 * Account chains: an outgoing transfer draws the tainted part of the balance first (oldest tainted lot
 * first), then the clean part (oldest first). Backward (an Ariadne mirror of the rule, not in the paper):
 * a draw takes the largest lots first, and the traced amount is explained by those pieces in that order.
 */
import { attributeInOrder, LotBook } from './ordered-pool.js';
import { add, compare, fromBigint, isZero, min, type Rational, sub, sum, ZERO } from './rational.js';
import type { AccountLedger, LedgerDraw, TaintDirection, TxTaintRule } from './taint-model.js';

export const tihoTaint: TxTaintRule = (inputs, outputs, fee) => {
  let left: Rational = sum(inputs.map((i) => i.taint));
  const result: Rational[] = outputs.map(() => ZERO);
  const order = outputs.map((o, k) => ({ k, value: o.value })).sort((a, b) => (a.value === b.value ? a.k - b.k : a.value > b.value ? -1 : 1));
  for (const { k, value } of order) {
    if (isZero(left)) break;
    const t = min(left, fromBigint(value));
    result[k] = t;
    left = sub(left, t);
  }
  // Only the fee can hold what is left, and conservation (inputs = outputs + fee) guarantees it fits.
  const feeTaint = compare(left, fromBigint(fee)) <= 0 ? left : fromBigint(fee);
  return { outputs: result, fee: feeTaint };
};

export function createTihoLedger(direction: TaintDirection): AccountLedger {
  if (direction === 'backward') {
    const book = new LotBook();
    return {
      receive: (lot) => book.receive(lot),
      draw: (amount) => book.drawOrdered(amount, 'largest'),
      attributeBack: attributeInOrder,
    };
  }
  // Forward: each receipt is split into its tainted and its clean part, kept in two books.
  const tainted = new LotBook();
  const clean = new LotBook();
  return {
    receive(lot) {
      if (lot.amount <= 0n) return;
      tainted.receiveExact(lot.key, lot.taint, lot.taint);
      clean.receiveExact(lot.key, sub(fromBigint(lot.amount), lot.taint), ZERO);
    },
    draw(amount): LedgerDraw {
      const first = tainted.take(fromBigint(amount), 'oldest');
      const second = clean.take(first.left, 'oldest');
      const left = second.left;
      const shortfall = left.num === 0n ? 0n : (left.num + left.den - 1n) / left.den;
      return { amount, taint: add(first.taint, second.taint), parts: [...first.parts, ...second.parts], shortfall };
    },
    attributeBack: attributeInOrder,
  };
}

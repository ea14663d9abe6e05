/**
 * Poison taint: if any input of a transaction is tainted, every output is tainted in full, and so is the fee.
 * Taint is not conserved: it can only grow, which is why poison over-approximates quickly.
 *
 * [Reference]: Möser, Malte; Böhme, Rainer; Breuker, Dominic. "Towards Risk Scoring of Bitcoin
 * Transactions". Financial Cryptography and Data Security, BITCOIN Workshop 2014, LNCS 8438, pp. 16-32.
 *
 * Account chains: once an address has received a tainted lot, every later outgoing transfer is tainted in
 * full. Backward, a traced outgoing transfer taints in full every lot its sender received before it.
 */
import { fromBigint, isZero, ZERO } from './rational.js';
import type { AccountLedger, DrawPart, LedgerDraw, Lot, TaintDirection, TxTaintRule } from './taint-model.js';

export const poisonTaint: TxTaintRule = (inputs, outputs, fee) => {
  const tainted = inputs.some((i) => !isZero(i.taint));
  return {
    outputs: outputs.map((o) => (tainted ? fromBigint(o.value) : ZERO)),
    fee: tainted ? fromBigint(fee) : ZERO,
  };
};

export function createPoisonLedger(direction: TaintDirection): AccountLedger {
  let poisoned = false;
  let balance = 0n;
  // Forward only the tainted receipts are ever named as a draw's origin; backward every receipt is.
  const origins: Lot[] = [];
  return {
    receive(lot: Lot): void {
      balance += lot.amount;
      if (!isZero(lot.taint)) poisoned = true;
      if (lot.amount > 0n && (direction === 'backward' || !isZero(lot.taint))) origins.push(lot);
    },
    draw(amount: bigint): LedgerDraw {
      const shortfall = amount > balance ? amount - balance : 0n;
      balance = amount > balance ? 0n : balance - amount;
      const parts: DrawPart[] = origins.map((l) => ({ key: l.key, amount: fromBigint(l.amount), taint: l.taint }));
      return { amount, taint: poisoned ? fromBigint(amount) : ZERO, parts, shortfall };
    },
    attributeBack(draw, traced) {
      if (isZero(traced)) return [];
      return draw.parts.map((p) => ({ key: p.key, taint: p.amount }));
    },
  };
}

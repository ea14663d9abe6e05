/**
 * Haircut taint: every output of a transaction carries the tainted share of the inputs, in proportion to
 * its value: taint(out_k) = value_k * (sum of input taint) / (sum of input values). The fee takes its share
 * the same way (fee * taint / total), so taint is conserved exactly; amounts stay exact fractions.
 *
 * [Reference]: Möser, Malte; Böhme, Rainer; Breuker, Dominic. "Towards Risk Scoring of Bitcoin
 * Transactions". Financial Cryptography and Data Security, BITCOIN Workshop 2014, LNCS 8438, pp. 16-32.
 *
 * Account chains: an outgoing transfer takes the same fraction (amount / balance) of every lot the
 * address still holds, hence the tainted share of its balance. Backward, a traced transfer is explained
 * by those lots in proportion to what it took from each.
 */
import { LotBook, attributeProportionally } from './ordered-pool.js';
import { isZero, scale, sum, ZERO } from './rational.js';
import type { AccountLedger, TxTaintRule } from './taint-model.js';

export const haircutTaint: TxTaintRule = (inputs, outputs, fee) => {
  const total = inputs.reduce((s, i) => s + i.value, 0n);
  const tainted = sum(inputs.map((i) => i.taint));
  if (total === 0n || isZero(tainted)) return { outputs: outputs.map(() => ZERO), fee: ZERO };
  return {
    outputs: outputs.map((o) => scale(tainted, o.value, total)),
    fee: scale(tainted, fee, total),
  };
};

export function createHaircutLedger(): AccountLedger {
  const book = new LotBook();
  return {
    receive: (lot) => book.receive(lot),
    draw: (amount) => book.drawProportional(amount),
    attributeBack: attributeProportionally,
  };
}

/**
 * FIFO taint (first in, first out): the inputs, in input-index order, are laid end to end and paid out to
 * the outputs in output-index order, then to the fee, which is paid last. An output is tainted by the
 * tainted units of the stretch of inputs it covers. Worked example: inputs [3 tainted, 7 clean], outputs
 * [4, 6] give 3 and 0. Taint is conserved.
 *
 * [Reference]: Anderson, Ross; Shumailov, Ilia; Ahmed, Mansoor; Rietmann, Alessandro. "Bitcoin Redux".
 * Workshop on the Economics of Information Security (WEIS) 2018 / Cambridge report 2019; after the rule in
 * Clayton's case (Devaynes v Noble, 1816).
 *
 * Account chains: each address's receipts form a queue of lots; an outgoing transfer draws the oldest lot
 * first (its fee, when the address pays one, is drawn right after the transfer).
 */
import { attributeProportionally, LotBook, lineTaint } from './ordered-pool.js';
import type { AccountLedger, TxTaintRule } from './taint-model.js';

export const fifoTaint: TxTaintRule = (inputs, outputs, fee) => {
  const slots = lineTaint(inputs, [...outputs.map((o) => o.value), fee]);
  return { outputs: slots.slice(0, outputs.length), fee: slots[outputs.length]! };
};

export function createFifoLedger(): AccountLedger {
  const book = new LotBook();
  return {
    receive: (lot) => book.receive(lot),
    draw: (amount) => book.drawOrdered(amount, 'oldest'),
    attributeBack: attributeProportionally,
  };
}

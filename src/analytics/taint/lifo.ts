/**
 * LIFO taint (last in, first out): like FIFO, but the inputs are stacked and the last input (highest input
 * index) is paid out first; outputs are still served in output-index order and the fee last. Worked
 * example: inputs [3 tainted, 7 clean], outputs [4, 6] give 0 and 3. Taint is conserved.
 *
 * [Reference]: Anderson, Ross; Shumailov, Ilia; Ahmed, Mansoor; Rietmann, Alessandro. "Bitcoin Redux".
 * WEIS 2018 / Cambridge report 2019, which discusses LIFO as the alternative ordering to FIFO.
 *
 * Account chains: an outgoing transfer draws the newest lot first.
 */
import { attributeProportionally, LotBook, lineTaint } from './ordered-pool.js';
import type { AccountLedger, TxTaintRule } from './taint-model.js';

export const lifoTaint: TxTaintRule = (inputs, outputs, fee) => {
  const slots = lineTaint([...inputs].reverse(), [...outputs.map((o) => o.value), fee]);
  return { outputs: slots.slice(0, outputs.length), fee: slots[outputs.length]! };
};

export function createLifoLedger(): AccountLedger {
  const book = new LotBook();
  return {
    receive: (lot) => book.receive(lot),
    draw: (amount) => book.drawOrdered(amount, 'newest'),
    attributeBack: attributeProportionally,
  };
}

/**
 * The taint models and their shared per-transaction and per-account contracts.
 *
 * A taint model says how much of each output of a transaction is "tainted" (traceable to the sources)
 * given how much of each input is. Ariadne implements five (definitions, fee rules and references in
 * docs/analytics-taint-proximity.md):
 * - poison  (Möser, Böhme, Breuker 2014): any tainted input taints every output in full.
 * - haircut (Möser, Böhme, Breuker 2014): every output carries the inputs' tainted share of its value.
 * - fifo    (Anderson, Shumailov, Ahmed, Rietmann 2019, after Clayton's case 1816): inputs in input-index
 *           order fill outputs in output-index order, first in first out.
 * - lifo    (the mirror of FIFO discussed in the same report): the last input is the first spent.
 * - tiho    (Tironsakkul, Maarek, Eross, Just 2019, "taint in, highest out"): the tainted amount goes to the
 *           highest-value outputs first.
 *
 * UTXO transactions use a `TxTaintRule`; account chains replay each address's history through an
 * `AccountLedger` of received lots.
 */
import { invalidInput, UnreachableCaseError } from '../../errors.js';
import { compare, fromBigint, type Rational, ZERO } from './rational.js';
import { createFifoLedger, fifoTaint } from './fifo.js';
import { createHaircutLedger, haircutTaint } from './haircut.js';
import { createLifoLedger, lifoTaint } from './lifo.js';
import { createPoisonLedger, poisonTaint } from './poison.js';
import { createTihoLedger, tihoTaint } from './tiho.js';

export const TAINT_MODELS = ['poison', 'haircut', 'fifo', 'lifo', 'tiho'] as const;
export type TaintModel = (typeof TAINT_MODELS)[number];

export function parseTaintModel(text: string): TaintModel {
  const normalized = String(text).trim().toLowerCase();
  if ((TAINT_MODELS as readonly string[]).includes(normalized)) return normalized as TaintModel;
  throw invalidInput(`unknown taint model ${JSON.stringify(text)}: expected one of ${TAINT_MODELS.join(', ')}`);
}

/** One input of a transaction as a taint rule sees it: its value and how much of it is tainted (0..value). */
export interface TaintInput {
  value: bigint;
  taint: Rational;
}

export interface TaintOutputSlot {
  value: bigint;
}

/** What a rule returns: the taint of each output, in output order, and the taint that went to the fee. */
export interface TxTaint {
  outputs: Rational[];
  fee: Rational;
}

/**
 * A per-transaction taint rule. Inputs and outputs are in index order; `fee` = sum(inputs) - sum(outputs)
 * in the same base units. Every rule returns `0 <= outputs[k] <= outputs[k].value` and `0 <= fee taint <= fee`;
 * all but poison conserve taint: sum(outputs) + fee taint = sum(input taint).
 */
export type TxTaintRule = (inputs: readonly TaintInput[], outputs: readonly TaintOutputSlot[], fee: bigint) => TxTaint;

/** Checks the arguments every rule relies on; throws INVALID_INPUT naming the first broken one. */
export function checkTxTaintArgs(inputs: readonly TaintInput[], outputs: readonly TaintOutputSlot[], fee: bigint): void {
  if (fee < 0n) throw invalidInput(`invalid fee ${fee}: expected a non-negative amount in base units`);
  let inSum = 0n;
  inputs.forEach((input, i) => {
    if (input.value < 0n) throw invalidInput(`invalid input ${i}: value ${input.value} is negative`);
    if (input.taint.num < 0n || compare(input.taint, fromBigint(input.value)) > 0) {
      throw invalidInput(`invalid input ${i}: taint ${input.taint.num}/${input.taint.den} is outside [0, ${input.value}]`);
    }
    inSum += input.value;
  });
  let outSum = 0n;
  outputs.forEach((output, k) => {
    if (output.value < 0n) throw invalidInput(`invalid output ${k}: value ${output.value} is negative`);
    outSum += output.value;
  });
  if (inSum !== outSum + fee) {
    throw invalidInput(`unbalanced transaction: inputs sum to ${inSum} but outputs (${outSum}) plus fee (${fee}) sum to ${outSum + fee}`);
  }
}

/** The rule of a model. Exhaustive: a new model fails to compile until it is handled here. */
export function taintRule(model: TaintModel): TxTaintRule {
  switch (model) {
    case 'poison':
      return poisonTaint;
    case 'haircut':
      return haircutTaint;
    case 'fifo':
      return fifoTaint;
    case 'lifo':
      return lifoTaint;
    case 'tiho':
      return tihoTaint;
    default:
      throw new UnreachableCaseError(model);
  }
}

/**
 * Applies a model to one transaction (after checking the arguments). Units: base units of the one asset
 * the transaction moves. Deterministic; exact (no rounding).
 */
export function taintTransaction(model: TaintModel, inputs: readonly TaintInput[], outputs: readonly TaintOutputSlot[], fee: bigint): TxTaint {
  checkTxTaintArgs(inputs, outputs, fee);
  return taintRule(model)(inputs, outputs, fee);
}

/**
 * Backward ("where did these funds come from") attribution of one transaction: the tainted outputs are
 * traced to the inputs that paid for them. It is the same rule with the roles swapped: the outputs (in
 * order) followed by the fee as a last, untainted slot play the inputs, and the transaction's inputs play
 * the outputs. For FIFO and LIFO this keeps the forward alignment of the two orderings; for haircut it
 * gives input i the share value_i / total_in of the tainted outputs; for poison any tainted output taints
 * every input; for TIHO the traced amount is assigned to the highest-value inputs first.
 * Returns the taint per input, in input order.
 */
export function taintTransactionBackward(
  model: TaintModel,
  inputs: readonly TaintOutputSlot[],
  outputs: readonly TaintInput[],
  fee: bigint,
): Rational[] {
  const swappedInputs: TaintInput[] = [...outputs, { value: fee, taint: ZERO }];
  checkTxTaintArgs(swappedInputs, inputs, 0n);
  return taintRule(model)(swappedInputs, inputs, 0n).outputs;
}

// ---------------------------------------------------------------------------------------------------------
// Account chains

/** A received amount on an account: one incoming transfer, keyed by `<txId>:<index>`. */
export interface Lot {
  key: string;
  amount: bigint;
  /** Forward taint carried by this receipt (0..amount). Zero in a backward replay. */
  taint: Rational;
}

/** One piece of a draw: how much came out of which lot and how much taint that piece carried. */
export interface DrawPart {
  key: string;
  amount: Rational;
  taint: Rational;
}

export interface LedgerDraw {
  amount: bigint;
  /** Forward taint carried by the drawn amount. */
  taint: Rational;
  /** The lots it came from, in the order the model drew them; pieces of zero amount are left out. */
  parts: DrawPart[];
  /** What the known lots could not cover (history before the ingested data): treated as clean. */
  shortfall: bigint;
}

/**
 * The balance of one address in one asset as a book of received lots. `receive` and `draw` are called in
 * chain order (height, position, index). `attributeBack` answers the backward question for one draw:
 * if `traced` of its `amount` must be explained, how much does each lot account for?
 */
export interface AccountLedger {
  receive(lot: Lot): void;
  draw(amount: bigint): LedgerDraw;
  attributeBack(draw: LedgerDraw, traced: Rational): { key: string; taint: Rational }[];
}

export type TaintDirection = 'forward' | 'backward';

/** The ledger of a model. Exhaustive, like `taintRule`. */
export function createLedger(model: TaintModel, direction: TaintDirection): AccountLedger {
  switch (model) {
    case 'poison':
      return createPoisonLedger(direction);
    case 'haircut':
      return createHaircutLedger();
    case 'fifo':
      return createFifoLedger();
    case 'lifo':
      return createLifoLedger();
    case 'tiho':
      return createTihoLedger(direction);
    default:
      throw new UnreachableCaseError(model);
  }
}

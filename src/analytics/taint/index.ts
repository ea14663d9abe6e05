/**
 * Public surface of taint analysis: propagateTaint (forward and backward, UTXO and account chains), the
 * five models as per-transaction rules and account ledgers, and the exact Rational arithmetic the results
 * are expressed in. Add exports here on purpose.
 */
export { propagateTaint, DEFAULTS as TAINT_DEFAULTS, type TaintOptions } from './propagate-taint.js';
export {
  TAINT_MODELS,
  parseTaintModel,
  taintRule,
  taintTransaction,
  taintTransactionBackward,
  createLedger,
  type AccountLedger,
  type DrawPart,
  type LedgerDraw,
  type Lot,
  type TaintDirection,
  type TaintInput,
  type TaintModel,
  type TaintOutputSlot,
  type TxTaint,
  type TxTaintRule,
} from './taint-model.js';
export type {
  OutputRef,
  TaintEdge,
  TaintResult,
  TaintSource,
  TaintedAddress,
  TaintedOutput,
  TaintedTransaction,
  Truncation,
} from './taint-result.js';
export {
  rational,
  fromBigint,
  add,
  sub,
  mul,
  div,
  scale,
  compare,
  equals,
  floor,
  sum,
  isZero,
  formatRational,
  parseRational,
  largestRemainder,
  ZERO,
  type Rational,
} from './rational.js';

/**
 * Amounts in Neo4j. A base-unit amount (satoshi, wei) is stored as its decimal string (`value`), exact at any
 * size: Cypher integers are 64-bit and wei amounts pass 2^64, and floats would round. Cypher compares strings,
 * not decimal numbers ("9" > "10"), so each amount also gets `valueKey`, an order-preserving string:
 *
 *   valueKey = number of digits, zero-padded to 3 characters, followed by the digits
 *   0 -> "0010", 5 -> "0015", 10 -> "00210", 10^30 + 7 -> "031" + "1000...0007"
 *
 * A longer number is larger, and numbers of the same length compare digit by digit, so string order is
 * numeric order for every amount below 10^999 (uint256 amounts have at most 78 digits). It is shorter than
 * a fixed 78-digit padding (a satoshi amount takes 12 characters, not 78). Sums are never done in Cypher:
 * values are read back as strings and added with bigint in TypeScript.
 */
import { AriadneError } from '../../errors.js';

const MAX_DIGITS = 999;
/** Sorts after every valueKey (':' follows '9'): a bound no stored amount reaches. */
const ABOVE_EVERY_KEY = ':';

/** The order-preserving key of a non-negative amount. Throws INTERNAL for a negative or over-long amount. */
export function amountKey(value: bigint): string {
  if (value < 0n) throw new AriadneError('INTERNAL', `amount key of a negative amount ${value}: stored amounts are non-negative`);
  const digits = value.toString(10);
  if (digits.length > MAX_DIGITS) throw new AriadneError('INTERNAL', `amount of ${digits.length} digits has no amount key (at most ${MAX_DIGITS} digits)`);
  return `${String(digits.length).padStart(3, '0')}${digits}`;
}

/**
 * The key to compare stored keys with for "value >= min". Any bigint works: a negative minimum admits
 * every known value (key of 0), one beyond the key range admits none.
 */
export function minAmountKey(min: bigint): string {
  if (min <= 0n) return amountKey(0n);
  if (min.toString(10).length > MAX_DIGITS) return ABOVE_EVERY_KEY;
  return amountKey(min);
}

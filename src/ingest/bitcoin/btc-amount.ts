/**
 * Exact conversion of Bitcoin Core JSON amounts (BTC as a JSON number, e.g. `"value": 0.1`) to satoshi.
 *
 * Never multiplies a float. The amount's decimal text is parsed as a string into a bigint:
 * - a string is parsed as given;
 * - a JS number (what JSON.parse made of the JSON text) is first turned back into its decimal text with
 *   `Number.prototype.toString`, which ECMAScript defines as the SHORTEST decimal that reads back to the
 *   same double. That text is the JSON text's value exactly whenever the JSON text had at most 8 decimal
 *   places and is below 2^25 BTC (33.5 M BTC, above the 21 M supply): there the spacing of doubles is at
 *   most 2^-28 BTC < 1e-8 BTC, so no other decimal of 8 or fewer places reads back to the same double, and
 *   the shortest decimal that does is the original one. Bitcoin Core writes amounts with exactly 8
 *   decimals (`ValueFromAmount`), so this recovers every amount it can write.
 * Amounts with more than 8 decimal places, negative, non-finite or above 21,000,000 BTC are refused.
 */
import { invalidInput, type ErrorContext } from '../../errors.js';

export const SATOSHI_PER_BTC = 100_000_000n;
export const MAX_MONEY_SATS = 21_000_000n * SATOSHI_PER_BTC;

const DECIMAL_TEXT = /^([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;

/**
 * BTC amount (JSON number or decimal string) -> satoshi, exactly. Throws INVALID_INPUT naming `what`
 * and the value received when it is not an amount of at most 8 decimal places in [0, 21e6] BTC.
 */
export function btcToSatoshi(value: unknown, what = 'amount', context?: ErrorContext): bigint {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidInput(`invalid ${what}: expected a BTC amount, got ${String(value)}`, context);
    text = value.toString();
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    throw invalidInput(`invalid ${what}: expected a BTC amount as a JSON number, got ${value === null ? 'null' : typeof value}`, context);
  }
  const m = DECIMAL_TEXT.exec(text);
  if (!m) throw invalidInput(`invalid ${what}: expected a non-negative decimal BTC amount, got ${JSON.stringify(text)}`, context);
  const whole = m[1]!;
  const frac = m[2] ?? '';
  const exponent = Number(m[3] ?? '0');
  if (Math.abs(exponent) > 30 || whole.length + frac.length > 40) {
    throw invalidInput(`invalid ${what}: ${JSON.stringify(text)} is out of range for a BTC amount`, context);
  }
  // digits * 10^(exponent - frac.length) BTC = digits * 10^(8 + exponent - frac.length) sat
  const digits = BigInt(whole + frac);
  const shift = 8 + exponent - frac.length;
  let sats: bigint;
  if (shift >= 0) {
    sats = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    if (digits % divisor !== 0n) throw invalidInput(`invalid ${what}: ${text} BTC has more than 8 decimal places (finer than 1 satoshi)`, context);
    sats = digits / divisor;
  }
  if (sats > MAX_MONEY_SATS) throw invalidInput(`invalid ${what}: ${text} BTC is more than the 21,000,000 BTC supply`, context);
  return sats;
}

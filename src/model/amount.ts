/**
 * Exact amounts. Every amount is an integer count of base units (satoshi, wei, token units) held as a
 * bigint in code and as a decimal string wherever JSON, SQLite or Neo4j cannot hold it. No floating point.
 */
import { invalidInput } from '../errors.js';

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Parses a non-negative decimal string of base units. Rejects signs, exponents, fractions and hex. */
export function parseAmount(text: string, what = 'amount'): bigint {
  if (typeof text !== 'string' || !DECIMAL.test(text)) {
    throw invalidInput(`invalid ${what}: expected a non-negative integer in base units as a decimal string, got ${JSON.stringify(text)}`);
  }
  return BigInt(text);
}

/** Parses a 0x-prefixed hex quantity (Ethereum JSON-RPC). */
export function parseHexQuantity(text: unknown, what = 'quantity'): bigint {
  if (typeof text !== 'string' || !/^0x[0-9a-fA-F]+$/.test(text)) {
    throw invalidInput(`invalid ${what}: expected a 0x-prefixed hex quantity, got ${JSON.stringify(text)}`);
  }
  return BigInt(text);
}

export function formatAmount(value: bigint): string {
  return value.toString(10);
}

/**
 * Renders base units as a decimal in whole coins without rounding: formatUnits(150000000n, 8) = "1.5".
 * For display only; never parse it back into arithmetic.
 */
export function formatUnits(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const frac = (abs % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

export function sumAmounts(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

export function minAmount(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxAmount(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/**
 * Exact non-floating fractions of base units for taint arithmetic.
 *
 * Haircut taint of an output is `value * taintedIn / totalIn`, which is rarely a whole number of satoshi or
 * wei; rounding at every hop would create or destroy taint along a path. A `Rational` keeps the exact value:
 * `num / den` with bigint parts, `den > 0`, and gcd(num, den) = 1, so equal values have equal parts and can
 * be compared with `===` on both fields. Integer views are taken only at the edge (see `largestRemainder`).
 */
import { invalidInput } from '../../errors.js';

export interface Rational {
  readonly num: bigint;
  /** Always > 0. */
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Builds num/den reduced by their gcd with a positive denominator. Throws INVALID_INPUT for den = 0. */
export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw invalidInput(`invalid fraction ${num}/0: the denominator must not be zero`);
  if (num === 0n) return ZERO;
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den);
  return { num: (sign * num) / g, den: (sign * den) / g };
}

export const ZERO: Rational = Object.freeze({ num: 0n, den: 1n });

export const fromBigint = (value: bigint): Rational => (value === 0n ? ZERO : { num: value, den: 1n });

export const add = (a: Rational, b: Rational): Rational =>
  a.den === b.den ? rational(a.num + b.num, a.den) : rational(a.num * b.den + b.num * a.den, a.den * b.den);

export const sub = (a: Rational, b: Rational): Rational =>
  a.den === b.den ? rational(a.num - b.num, a.den) : rational(a.num * b.den - b.num * a.den, a.den * b.den);

export const mul = (a: Rational, b: Rational): Rational => rational(a.num * b.num, a.den * b.den);

/** a * n / d for integers n, d (d > 0): the common "share of an amount" step, in one reduction. */
export const scale = (a: Rational, n: bigint, d: bigint): Rational => rational(a.num * n, a.den * d);

export function div(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw invalidInput('invalid division: the divisor fraction is zero');
  return rational(a.num * b.den, a.den * b.num);
}

/** -1, 0 or 1. */
export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export const isZero = (a: Rational): boolean => a.num === 0n;
export const equals = (a: Rational, b: Rational): boolean => a.num === b.num && a.den === b.den;
export const min = (a: Rational, b: Rational): Rational => (compare(a, b) <= 0 ? a : b);
export const max = (a: Rational, b: Rational): Rational => (compare(a, b) >= 0 ? a : b);

/** Largest integer <= a (towards minus infinity). */
export function floor(a: Rational): bigint {
  const q = a.num / a.den;
  return a.num < 0n && q * a.den !== a.num ? q - 1n : q;
}

export function sum(values: Iterable<Rational>): Rational {
  let total = ZERO;
  for (const v of values) total = add(total, v);
  return total;
}

/** "3/10", or "4" for whole numbers. For JSON and error messages. */
export function formatRational(a: Rational): string {
  return a.den === 1n ? a.num.toString() : `${a.num}/${a.den}`;
}

/** Parses "n" or "n/d" as written by `formatRational`. */
export function parseRational(text: string): Rational {
  const m = /^(-?[0-9]+)(?:\/([0-9]+))?$/.exec(text.trim());
  if (!m) throw invalidInput(`invalid fraction ${JSON.stringify(text)}: expected "n" or "n/d" with integer n and d`);
  return rational(BigInt(m[1]!), m[2] === undefined ? 1n : BigInt(m[2]));
}

/**
 * Integer shares of exact parts: each part is floored, then the units lost to flooring
 * (floor(sum) - sum of floors) go one each to the parts with the largest fractional remainder, ties to the
 * lower position. The shares sum exactly to floor(sum of parts) and each share is floor(part) or
 * floor(part) + 1 (Hamilton's largest-remainder method). Parts must be >= 0.
 */
export function largestRemainder(parts: readonly Rational[]): bigint[] {
  const floors = parts.map((p) => {
    if (p.num < 0n) throw invalidInput(`invalid share ${formatRational(p)}: largest-remainder rounding needs parts >= 0`);
    return floor(p);
  });
  const total = floor(sum(parts));
  let missing = total - floors.reduce((s, f) => s + f, 0n);
  if (missing === 0n) return floors;
  const order = parts
    .map((p, i) => ({ i, rem: sub(p, fromBigint(floors[i]!)) }))
    .filter((r) => r.rem.num !== 0n)
    .sort((a, b) => compare(b.rem, a.rem) || a.i - b.i);
  const shares = [...floors];
  for (const r of order) {
    if (missing === 0n) break;
    shares[r.i] = shares[r.i]! + 1n;
    missing -= 1n;
  }
  return shares;
}

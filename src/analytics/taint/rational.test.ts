import { describe, expect, it } from 'vitest';
import { AriadneError } from '../../errors.js';
import { add, compare, div, floor, formatRational, largestRemainder, mul, parseRational, rational, scale, sub } from './rational.js';

describe('rational', () => {
  it('reduces by the gcd and keeps the denominator positive', () => {
    expect(rational(6n, 4n)).toEqual({ num: 3n, den: 2n });
    expect(rational(3n, -6n)).toEqual({ num: -1n, den: 2n });
    expect(rational(0n, 7n)).toEqual({ num: 0n, den: 1n });
  });

  it('adds, subtracts, multiplies and divides exactly', () => {
    expect(add(rational(1n, 3n), rational(1n, 6n))).toEqual({ num: 1n, den: 2n });
    expect(sub(rational(1n, 3n), rational(1n, 2n))).toEqual({ num: -1n, den: 6n });
    expect(mul(rational(2n, 3n), rational(9n, 4n))).toEqual({ num: 3n, den: 2n });
    expect(div(rational(2n, 3n), rational(4n, 9n))).toEqual({ num: 3n, den: 2n });
    // 3 * 4 / 10 = 6/5: the haircut share of the worked example's first output
    expect(scale(rational(3n), 4n, 10n)).toEqual({ num: 6n, den: 5n });
  });

  it('floors towards minus infinity and compares by cross-multiplication', () => {
    expect(floor(rational(7n, 2n))).toBe(3n);
    expect(floor(rational(-7n, 2n))).toBe(-4n);
    expect(floor(rational(6n, 3n))).toBe(2n);
    expect(compare(rational(1n, 3n), rational(2n, 6n))).toBe(0);
    expect(compare(rational(1n, 3n), rational(1n, 2n))).toBe(-1);
  });

  it('round-trips through its text form and refuses a zero denominator', () => {
    expect(formatRational(rational(9n, 6n))).toBe('3/2');
    expect(formatRational(rational(4n))).toBe('4');
    expect(parseRational('3/2')).toEqual(rational(3n, 2n));
    expect(() => rational(1n, 0n)).toThrow(AriadneError);
    expect(() => parseRational('1.5')).toThrow(/expected "n" or "n\/d"/);
  });
});

describe('largestRemainder', () => {
  it('gives the lost units to the largest remainders so the shares sum to the floor of the total', () => {
    // 6/5, 3/2, 3/10: floors 1, 1, 0 (sum 2); total 3 -> one unit to the largest remainder (1/2 of 3/2)
    expect(largestRemainder([rational(6n, 5n), rational(3n, 2n), rational(3n, 10n)])).toEqual([1n, 2n, 0n]);
  });

  it('breaks equal remainders by position', () => {
    // 1/2 + 1/2 = 1: one unit, to the first
    expect(largestRemainder([rational(1n, 2n), rational(1n, 2n)])).toEqual([1n, 0n]);
  });

  it('never hands out more than the floor of the total', () => {
    // 1/3 * 3 = 1 -> one unit to position 0; 2/3 + 2/3 = 4/3 -> floor 1
    expect(largestRemainder([rational(1n, 3n), rational(1n, 3n), rational(1n, 3n)])).toEqual([1n, 0n, 0n]);
    expect(largestRemainder([rational(2n, 3n), rational(2n, 3n)])).toEqual([1n, 0n]);
  });
});

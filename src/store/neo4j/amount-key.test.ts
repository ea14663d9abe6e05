import { describe, expect, it } from 'vitest';
import { amountKey, minAmountKey } from './amount-key.js';

describe('amountKey', () => {
  it('writes the digit count on three characters, then the digits', () => {
    expect(amountKey(0n)).toBe('0010');
    expect(amountKey(5n)).toBe('0015');
    expect(amountKey(10n)).toBe('00210');
    // 10^30 + 7 has 31 digits: a 1, 29 zeros, a 7.
    expect(amountKey(10n ** 30n + 7n)).toBe(`031${'1'}${'0'.repeat(29)}7`);
  });

  it('orders keys as the amounts they stand for, across lengths and beyond 2^64', () => {
    // Amounts picked around digit-count boundaries and 2^64; their numeric order is known by construction.
    const amounts = [0n, 1n, 9n, 10n, 11n, 99n, 100n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 64n + 1n, 10n ** 30n, 2n ** 256n - 1n];
    const shuffled = [...amounts].reverse();
    const byKey = shuffled.sort((a, b) => (amountKey(a) < amountKey(b) ? -1 : amountKey(a) > amountKey(b) ? 1 : 0));
    expect(byKey).toEqual(amounts);
  });

  it('refuses a negative amount', () => {
    expect(() => amountKey(-1n)).toThrow(/negative/);
  });
});

describe('minAmountKey', () => {
  it('admits every stored amount for a bound of zero or below', () => {
    expect(minAmountKey(-5n)).toBe('0010');
    expect(minAmountKey(0n) <= amountKey(0n)).toBe(true);
  });

  it('admits no stored amount for a bound beyond the key range', () => {
    const key = minAmountKey(10n ** 1000n);
    expect(amountKey(2n ** 256n - 1n) >= key).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { addUsd, compareUsd, formatUsd, parsePriceTable, parseUsd, scaleUsd, sumUsd, usdValue } from './usd.js';

const table = parsePriceTable({ asOf: 'test', usdPerUnit: { BTC: '100000', ETH: '3012.45', 'eth:0xdAC17F958D2ee523a2206206994597C13D831ec7': { usd: '1', decimals: 6 } } });

describe('exact USD values', () => {
  it('prices base units exactly: 9,999,999 sat at 100,000 USD/BTC is below 10,000 USD and 10,000,000 sat is at it', () => {
    const ten = parseUsd('10000');
    expect(compareUsd(usdValue(table, 'BTC', 9_999_999n)!, ten)).toBe(-1);
    expect(compareUsd(usdValue(table, 'BTC', 10_000_000n)!, ten)).toBe(0);
    expect(formatUsd(usdValue(table, 'BTC', 9_999_999n)!)).toBe('9999.99'); // 9,999.999 rounded down
    expect(formatUsd(usdValue(table, 'BTC', 9_999_000n)!)).toBe('9999.00');
  });

  it('prices wei and tokens with their decimals', () => {
    // 2.5 ETH x 3012.45 = 7531.125
    expect(formatUsd(usdValue(table, 'ETH', 2_500_000_000_000_000_000n)!, 3)).toBe('7531.125');
    // 1,234.567891 USDT
    expect(formatUsd(usdValue(table, 'eth:0xdAC17F958D2ee523a2206206994597C13D831ec7', 1_234_567_891n)!, 6)).toBe('1234.567891');
    expect(usdValue(table, 'BNB', 1n)).toBeNull();
  });

  it('adds, scales and compares fractions without rounding', () => {
    const third = { num: 1n, den: 3n };
    expect(compareUsd(sumUsd([third, third, third]), parseUsd('1'))).toBe(0);
    expect(compareUsd(addUsd(parseUsd('0.1'), parseUsd('0.2')), parseUsd('0.3'))).toBe(0);
    expect(compareUsd(scaleUsd(parseUsd('10000'), 90n, 100n), parseUsd('9000'))).toBe(0);
  });

  it('refuses signs, exponents and tokens without decimals', () => {
    expect(() => parseUsd('-1')).toThrow(/non-negative decimal/);
    expect(() => parseUsd('1e4')).toThrow(/non-negative decimal/);
    expect(() => parsePriceTable({ usdPerUnit: { 'eth:0xdAC17F958D2ee523a2206206994597C13D831ec7': '1' } })).toThrow(/needs its decimals/);
  });
});

import { describe, expect, it } from 'vitest';
import { AriadneError } from '../../errors.js';
import { btcToSatoshi } from './btc-amount.js';
import { satsToBtcText } from './test-support.js';

/** What the decoder sees for a JSON number written as `text`: the double JSON.parse makes of it. */
const fromJson = (text: string): number => JSON.parse(`{"v": ${text}}`).v as number;

describe('btcToSatoshi', () => {
  it('converts JSON numbers exactly, including values a float multiply gets wrong', () => {
    expect(btcToSatoshi(fromJson('0.1'))).toBe(10_000_000n);
    expect(btcToSatoshi(fromJson('20999999.97690000'))).toBe(2_099_999_997_690_000n);
    expect(btcToSatoshi(fromJson('1e-8'))).toBe(1n);
    expect(btcToSatoshi(fromJson('0.00000001'))).toBe(1n);
    expect(btcToSatoshi(fromJson('0.29'))).toBe(29_000_000n); // 0.29 * 1e8 = 28999999.999999996 in floating point
    expect(btcToSatoshi(fromJson('21000000.00000000'))).toBe(2_100_000_000_000_000n);
    expect(btcToSatoshi(fromJson('0'))).toBe(0n);
    expect(btcToSatoshi(fromJson('1.5E-7'))).toBe(15n);
  });

  it('recovers every 8-decimal amount written as Bitcoin Core writes it (random and edge values)', () => {
    const edges = [0n, 1n, 9n, 99_999_999n, 100_000_000n, 100_000_001n, 2_099_999_999_999_999n, 2_100_000_000_000_000n, 1_234_567_890_123_456n];
    let seed = 0x2545f491n;
    const random: bigint[] = [];
    for (let i = 0; i < 20_000; i++) {
      // xorshift64 for reproducible values spread over [0, 21e14] sat
      seed ^= (seed << 13n) & 0xffffffffffffffffn;
      seed ^= seed >> 7n;
      seed ^= (seed << 17n) & 0xffffffffffffffffn;
      random.push(seed % 2_100_000_000_000_001n);
    }
    for (const sats of [...edges, ...random]) {
      expect(btcToSatoshi(fromJson(satsToBtcText(sats)))).toBe(sats);
    }
  });

  it('accepts decimal strings as given', () => {
    expect(btcToSatoshi('0.1')).toBe(10_000_000n);
    expect(btcToSatoshi('12.34500000')).toBe(1_234_500_000n);
    expect(btcToSatoshi('7')).toBe(700_000_000n);
  });

  it('refuses amounts finer than a satoshi, negative, above the supply, or not numbers', () => {
    for (const bad of [fromJson('0.000000001'), '0.123456789', -1, fromJson('21000000.00000001'), Number.NaN, Infinity, 'abc', '1e99999', null, undefined, {}]) {
      expect(() => btcToSatoshi(bad, 'vout[0].value')).toThrow(AriadneError);
    }
    try {
      btcToSatoshi(fromJson('0.000000001'), 'tx[1].vout[0].value');
      expect.unreachable();
    } catch (err) {
      expect((err as AriadneError).code).toBe('INVALID_INPUT');
      expect((err as AriadneError).message).toMatch(/tx\[1\]\.vout\[0\]\.value.*more than 8 decimal places/);
    }
  });
});

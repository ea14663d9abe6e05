import { describe, expect, it } from 'vitest';
import type { TxInput, TxOutput } from '../../model/transaction.js';
import { addr } from '../../../test/fixtures/tiny-graph.js';
import { detectCoinJoin } from './coinjoin.js';

const ins = (...names: (string | null)[]): TxInput[] =>
  names.map((n, index) => ({ index, address: n === null ? null : addr(n), value: 1_000_000n, asset: 'BTC' }));
const outs = (...values: bigint[]): TxOutput[] =>
  values.map((value, index) => ({ index, address: addr(`out${index}`), value, asset: 'BTC', scriptType: 'p2wpkh' }));
const tx = (inputs: TxInput[], outputs: TxOutput[], coinbase = false) => ({ inputs, outputs, coinbase });

describe('detectCoinJoin (BlockSci rule)', () => {
  it('flags a textbook three-party CoinJoin and gives the numbers', () => {
    // 3 inputs, 5 outputs: p = floor((5 + 1) / 2) = 3; 500,000 sat occurs 3 times = p.
    const v = detectCoinJoin(tx(ins('a', 'b', 'c'), outs(500_000n, 500_000n, 500_000n, 490_000n, 480_000n)));
    expect(v).toMatchObject({ isCoinJoin: true, inputs: 3, outputs: 5, distinctInputAddresses: 3, participants: 3, denomination: 500_000n, denominationCount: 3 });
    expect(v.reason).toContain('p = floor((5 + 1) / 2) = 3');
  });

  it('needs at least 2 inputs and 3 outputs', () => {
    expect(detectCoinJoin(tx(ins('a'), outs(5n, 5n, 5n))).failed).toBe('min-inputs-outputs');
    expect(detectCoinJoin(tx(ins('a', 'b'), outs(5n, 5n))).failed).toBe('min-inputs-outputs');
  });

  it('refuses when participants exceed inputs', () => {
    // 2 inputs, 5 outputs: p = 3 > 2.
    expect(detectCoinJoin(tx(ins('a', 'b'), outs(5n, 5n, 5n, 1n, 2n))).failed).toBe('participants-exceed-inputs');
  });

  it('refuses when participants exceed distinct input addresses', () => {
    // 3 inputs from 2 addresses, 5 outputs: p = 3 > 2 distinct.
    const v = detectCoinJoin(tx(ins('a', 'a', 'b'), outs(5n, 5n, 5n, 1n, 2n)));
    expect(v.failed).toBe('participants-exceed-addresses');
    expect(v.distinctInputAddresses).toBe(2);
  });

  it('counts an input of unknown address as one more distinct address', () => {
    // a, a, unknown: 2 distinct (a + unknown) < p = 3 -> refused; a, unknown, unknown: 3 distinct -> CoinJoin.
    expect(detectCoinJoin(tx(ins('a', 'a', null), outs(5n, 5n, 5n, 1n, 2n))).failed).toBe('participants-exceed-addresses');
    expect(detectCoinJoin(tx(ins('a', null, null), outs(5n, 5n, 5n, 1n, 2n))).isCoinJoin).toBe(true);
  });

  it('needs the most common value to occur exactly p times', () => {
    // 4 inputs, 4 outputs: p = floor(5 / 2) = 2, but 7 occurs 3 times.
    expect(detectCoinJoin(tx(ins('a', 'b', 'c', 'd'), outs(7n, 7n, 7n, 1n))).failed).toBe('denomination-count');
    // 3 outputs all different: most common occurs once, p = 2.
    expect(detectCoinJoin(tx(ins('a', 'b'), outs(1n, 2n, 3n))).failed).toBe('denomination-count');
  });

  it('does not read 546 or 2730 sat as a denomination', () => {
    // 2 inputs, 3 outputs: p = 2, the value occurring twice is dust.
    expect(detectCoinJoin(tx(ins('a', 'b'), outs(546n, 546n, 100_000n))).failed).toBe('dust-denomination');
    expect(detectCoinJoin(tx(ins('a', 'b'), outs(2730n, 2730n, 100_000n))).failed).toBe('dust-denomination');
    expect(detectCoinJoin(tx(ins('a', 'b'), outs(547n, 547n, 100_000n))).isCoinJoin).toBe(true);
  });

  it('breaks a tie for most common value by taking the larger value', () => {
    // 4 inputs, 4 outputs: p = 2; 546 and 90,000 both occur twice; 90,000 is taken, so it is a CoinJoin.
    const v = detectCoinJoin(tx(ins('a', 'b', 'c', 'd'), outs(546n, 90_000n, 546n, 90_000n)));
    expect(v.denomination).toBe(90_000n);
    expect(v.isCoinJoin).toBe(true);
  });

  it('never flags a coinbase', () => {
    expect(detectCoinJoin(tx([], outs(5n, 5n, 5n), true)).isCoinJoin).toBe(false);
  });
});

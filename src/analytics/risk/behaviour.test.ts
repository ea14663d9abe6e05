import { describe, expect, it } from 'vitest';
import { addr, coinbase, spend, tinyGraph } from '../../ingest/scenario/tiny-graph.js';
import { behaviourFeatures, burstiness } from './behaviour.js';

describe('burstiness', () => {
  it('is -1 for a regular rhythm, 1 for everything at once, and (sigma - mu) / (sigma + mu) otherwise', () => {
    expect(burstiness([0, 10, 20, 30])).toBe(-1);
    expect(burstiness([5, 5, 5])).toBe(1);
    // gaps 1 and 10: mu 5.5, sigma 4.5 -> (4.5 - 5.5) / 10 = -0.1
    expect(burstiness([0, 1, 11])).toBeCloseTo(-0.1, 12);
    // gaps 1, 1, 1, 9: mu 3, sigma sqrt((4 + 4 + 4 + 36) / 4) = sqrt(12)
    expect(burstiness([0, 1, 2, 3, 12])).toBeCloseTo((Math.sqrt(12) - 3) / (Math.sqrt(12) + 3), 12);
    expect(burstiness([0, 1])).toBeNull();
  });
});

describe('behaviourFeatures', () => {
  it('counts distinct counterparties and round payments, leaving change out', () => {
    const g = tinyGraph('btc');
    g.tx('t0', { height: 1, inputs: [coinbase()], outputs: [['C', 3_010_000n]] });
    g.tx('t1', { height: 2, inputs: [coinbase()], outputs: [['A', 2_000_000n]] }); // received, round (0.02 BTC)
    g.tx('t2', { height: 3, inputs: [spend('t1', 0)], outputs: [['B', 1_500_000n], ['A', 490_000n]] }); // sent 0.015: not round; change is no payment
    g.tx('t3', { height: 4, inputs: [spend('t0', 0)], outputs: [['A', 3_000_000n]] }); // received from C, round
    const txs = ['t1', 't2', 't3'].map((n) => g.txs.get(n)!);
    const f = behaviourFeatures(addr('A'), txs, { decimalsKept: 2 });
    expect(f).toEqual({ transactions: 3, fanIn: 1, fanOut: 1, payments: 3, roundPayments: 2, burstiness: -1 });
    // Keeping 3 decimals (0.001 BTC = 100,000 sat), 1,500,000 is round too.
    expect(behaviourFeatures(addr('A'), txs, { decimalsKept: 3 }).roundPayments).toBe(3);
  });

  it('counts native transfers on an account chain and ignores token transfers for round amounts', () => {
    const g = tinyGraph('eth');
    g.transfer('a', 'X', 'A', 10n ** 16n, 1); // 0.01 ETH: round
    g.transfer('b', 'A', 'Y', 123n, 2);
    g.transfer('c', 'Z', 'A', 10n ** 18n, 3, { asset: 'eth:0xToken' });
    const f = behaviourFeatures(addr('A', 'eth'), [...g.txs.values()], { decimalsKept: 2 });
    expect(f).toMatchObject({ transactions: 3, fanIn: 2, fanOut: 1, payments: 2, roundPayments: 1 });
  });
});

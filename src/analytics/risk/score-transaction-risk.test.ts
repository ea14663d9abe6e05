import { describe, expect, it } from 'vitest';
import type { TransactionRiskFeatures } from './risk-features.js';
import { scoreTransactionRisk } from './score-transaction-risk.js';

const tx = (over: Partial<TransactionRiskFeatures>): TransactionRiskFeatures => ({
  inputs: [{ address: 'btc:a', score: 0 }],
  outputs: [{ address: 'btc:b', score: 0 }],
  amount: 1_000n,
  asset: 'BTC',
  peelChain: { member: false, chainLength: 0 },
  ...over,
});
const contributions = (r: ReturnType<typeof scoreTransactionRisk>): Record<string, number> =>
  Object.fromEntries(r.factors.filter((f) => f.contribution !== 0).map((f) => [f.name, f.contribution]));

describe('scoreTransactionRisk', () => {
  it('approves a small transaction between clean addresses', () => {
    expect(scoreTransactionRisk(tx({}))).toMatchObject({ score: 0, decision: 'approve', fileSar: false });
  });

  it('rejects a transaction whose input address is rejected', () => {
    const r = scoreTransactionRisk(tx({ inputs: [{ address: 'btc:s', score: 75 }] }));
    expect(r).toMatchObject({ score: 75, decision: 'reject', fileSar: false });
    expect(r.factors[0]!.explanation).toBe('riskiest input address btc:s scores 75');
  });

  it('takes the riskier side once: inputs 75, outputs 90 make 90, not 165', () => {
    // input 75 x 100% = 75 points; output adds 90 - 75 = 15; a peel hop adds 10 -> 100 exactly.
    const r = scoreTransactionRisk(
      tx({
        inputs: [{ address: 'btc:a', score: 75 }, { address: 'btc:b', score: 10 }],
        outputs: [{ address: 'btc:c', score: 20 }, { address: 'btc:d', score: 90 }],
        peelChain: { member: true, chainLength: 6 },
      }),
    );
    expect(r).toMatchObject({ score: 100, decision: 'reject', fileSar: true });
    expect(contributions(r)).toEqual({ input_address_risk: 75, output_address_risk: 15, peel_chain: 10 });
  });

  it('grows the amount signal linearly between the configured thresholds, in exact base units', () => {
    // BTC: 0 at 1 BTC, full at 100 BTC. 50.5 BTC: (5,050,000,000 - 100,000,000) / 9,900,000,000 = 50% of 10 = 5.
    const r = scoreTransactionRisk(tx({ amount: 5_050_000_000n }));
    expect(r.factors.find((f) => f.name === 'large_amount')).toMatchObject({ value: '5050000000', signalBps: 5_000, contribution: 5 });
    // ETH thresholds are above 2^64 wei: 10 and 1000 ETH. 505 ETH is half way.
    const eth = scoreTransactionRisk(tx({ amount: 505n * 10n ** 18n, asset: 'ETH' }));
    expect(eth.factors.find((f) => f.name === 'large_amount')!.signalBps).toBe(5_000);
    const token = scoreTransactionRisk(tx({ amount: 10n ** 30n, asset: 'eth:0xToken' }));
    expect(token.factors.find((f) => f.name === 'large_amount')).toMatchObject({ signalBps: 0, explanation: 'no amount thresholds configured for eth:0xToken' });
  });

  it('refuses malformed features', () => {
    expect(() => scoreTransactionRisk(tx({ inputs: [{ address: 'btc:a', score: 101 }] }))).toThrow(/inputs\[0\].score: expected an integer in 0..100, got 101/);
    expect(() => scoreTransactionRisk(tx({ amount: -1n }))).toThrow(/amount: expected a bigint >= 0/);
  });
});

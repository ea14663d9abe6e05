/**
 * Large transaction: one movement at or above a USD threshold (default 10,000 USD-equivalent, the level of
 * the US currency transaction report, 31 CFR 1010.311, and of the EU travel-rule / CDD trigger for occasional
 * transactions). Priced from the configured table; an asset without a price is never large (it cannot be
 * compared). Each movement is its own hit.
 */
import { formatUsd, parseUsd } from '../usd.js';
import { buildEvidence, paramReader, usdAtLeast, type MonitoringRule, type RuleParamsBase } from '../rule.js';

export interface LargeTransactionParams extends RuleParamsBase {
  thresholdUsd: string;
  directions: ('in' | 'out')[];
}

export const largeTransaction: MonitoringRule<LargeTransactionParams> = {
  id: 'large-transaction',
  name: 'Large transaction',
  description: 'a deposit or withdrawal at or above the USD threshold',
  defaults: { enabled: true, score: 40, thresholdUsd: '10000', directions: ['in', 'out'] },
  parseParams(raw) {
    const r = paramReader(this.id, this.defaults, raw);
    return { enabled: r.bool('enabled'), score: r.int('score', 0, 100), thresholdUsd: r.usd('thresholdUsd'), directions: r.listOf('directions', ['in', 'out'], 1) };
  },
  async run(ctx, p) {
    const threshold = parseUsd(p.thresholdUsd);
    return ctx.movements
      .filter((m) => p.directions.includes(m.direction) && usdAtLeast(m.usd, threshold))
      .map((m) => ({
        key: `large-transaction:${m.txId}:${m.direction}`,
        score: p.score,
        summary: `${m.direction === 'in' ? 'received' : 'sent'} ${formatUsd(m.usd!)} USD (${m.value} base units of ${m.asset}) in ${m.txId}, at or above ${p.thresholdUsd} USD`,
        evidence: buildEvidence([m], [], { thresholdUsd: p.thresholdUsd, usd: formatUsd(m.usd!), priceAsOf: ctx.prices.asOf }),
      }));
  },
};

/**
 * Behavioural spike: activity in the recent period (default the last 30 days) above a percentage (default
 * 200%) of the average for a period of that length over the baseline before it (default the 90 days before).
 *   recent   = USD volume (or count) of movements with asOf - recentDays < time <= asOf
 *   baseline = the same over asOf - recentDays - baselineDays < time <= asOf - recentDays
 *   average  = baseline x recentDays / baselineDays
 *   hit when recent x 100 > thresholdPercent x average, baseline > 0, and recent >= minRecentUsd
 * Exact fractions; unpriced movements do not count towards volume. A customer without baseline activity
 * cannot spike (there is no average). One hit per customer and UTC day of asOf.
 */
import { compareUsd, formatUsd, parseUsd, scaleUsd, sumUsd, ZERO_USD } from '../usd.js';
import { buildEvidence, paramReader, usdAtLeast, utcDay, type MonitoringRule, type RuleParamsBase } from '../rule.js';

export interface BehaviouralSpikeParams extends RuleParamsBase {
  recentDays: number;
  baselineDays: number;
  thresholdPercent: number;
  /** Recent volume below this never spikes (small accounts). */
  minRecentUsd: string;
  measure: 'volume' | 'count';
}

export const behaviouralSpike: MonitoringRule<BehaviouralSpikeParams> = {
  id: 'behavioural-spike',
  name: 'Behavioural spike',
  description: 'activity above a percentage of the baseline average',
  defaults: { enabled: true, score: 50, recentDays: 30, baselineDays: 90, thresholdPercent: 200, minRecentUsd: '1000', measure: 'volume' },
  parseParams(raw) {
    const r = paramReader(this.id, this.defaults, raw);
    return {
      enabled: r.bool('enabled'),
      score: r.int('score', 0, 100),
      recentDays: r.int('recentDays', 1, 366),
      baselineDays: r.int('baselineDays', 1, 3660),
      thresholdPercent: r.int('thresholdPercent', 101, 100_000),
      minRecentUsd: r.usd('minRecentUsd'),
      measure: r.oneOf('measure', ['volume', 'count']),
    };
  },
  async run(ctx, p) {
    const recentFrom = ctx.asOf - p.recentDays * 86_400;
    const baselineFrom = recentFrom - p.baselineDays * 86_400;
    const recent = ctx.movements.filter((m) => m.time > recentFrom && m.time <= ctx.asOf);
    const baseline = ctx.movements.filter((m) => m.time > baselineFrom && m.time <= recentFrom);
    const recentUsd = sumUsd(recent.flatMap((m) => (m.usd ? [m.usd] : [])));
    const baselineUsd = sumUsd(baseline.flatMap((m) => (m.usd ? [m.usd] : [])));
    if (!usdAtLeast(recentUsd, parseUsd(p.minRecentUsd))) return [];
    let spiked: boolean;
    let ratioPercent: string;
    if (p.measure === 'volume') {
      if (compareUsd(baselineUsd, ZERO_USD) === 0) return [];
      // recent * 100 * baselineDays > threshold * baseline * recentDays
      const left = scaleUsd(recentUsd, BigInt(100 * p.baselineDays), 1n);
      const right = scaleUsd(baselineUsd, BigInt(p.thresholdPercent * p.recentDays), 1n);
      spiked = compareUsd(left, right) > 0;
      ratioPercent = formatUsd(scaleUsd(recentUsd, BigInt(100 * p.baselineDays) * baselineUsd.den, BigInt(p.recentDays) * baselineUsd.num), 1);
    } else {
      if (baseline.length === 0) return [];
      spiked = recent.length * 100 * p.baselineDays > p.thresholdPercent * baseline.length * p.recentDays;
      ratioPercent = ((recent.length * 100 * p.baselineDays) / (baseline.length * p.recentDays)).toFixed(1);
    }
    if (!spiked) return [];
    const average = scaleUsd(baselineUsd, BigInt(p.recentDays), BigInt(p.baselineDays));
    return [
      {
        key: `behavioural-spike:${p.measure}:${utcDay(ctx.asOf)}`,
        score: p.score,
        summary:
          p.measure === 'volume'
            ? `${formatUsd(recentUsd)} USD in the last ${p.recentDays} days, ${ratioPercent}% of the ${p.baselineDays}-day average of ${formatUsd(average)} USD per ${p.recentDays} days`
            : `${recent.length} transactions in the last ${p.recentDays} days, ${ratioPercent}% of the ${p.baselineDays}-day average`,
        evidence: buildEvidence(recent.slice(-50), [], {
          measure: p.measure,
          recentDays: p.recentDays,
          baselineDays: p.baselineDays,
          thresholdPercent: p.thresholdPercent,
          recentUsd: formatUsd(recentUsd),
          baselineUsd: formatUsd(baselineUsd),
          averageUsdPerPeriod: formatUsd(average),
          recentCount: recent.length,
          baselineCount: baseline.length,
          ratioPercent,
        }),
      },
    ];
  },
};

/**
 * Structuring ("smurfing"): several movements just below the reporting threshold within a short window,
 * the classic way to stay under a currency transaction report (31 USC 5324; FATF, "Money Laundering Using
 * New Payment Methods", 2010). "Just below" is [threshold x (100 - marginPercent) / 100, threshold).
 *
 * Per direction, the candidates in time order are grouped greedily: from the earliest one not yet used,
 * the group holds every candidate within windowHours of it; a group of at least minCount is a hit, and
 * the next group starts after it. Deterministic; each candidate is in at most one hit.
 */
import { formatUsd, parseUsd, scaleUsd, sumUsd } from '../usd.js';
import type { Movement } from '../activity.js';
import { buildEvidence, paramReader, usdAtLeast, type MonitoringRule, type RuleParamsBase } from '../rule.js';

export interface StructuringParams extends RuleParamsBase {
  thresholdUsd: string;
  /** How far below the threshold counts as "just below", percent of the threshold. */
  marginPercent: number;
  windowHours: number;
  minCount: number;
  directions: ('in' | 'out')[];
}

export const structuring: MonitoringRule<StructuringParams> = {
  id: 'structuring',
  name: 'Structuring',
  description: 'several transactions just below the threshold within the window',
  defaults: { enabled: true, score: 70, thresholdUsd: '10000', marginPercent: 10, windowHours: 24, minCount: 3, directions: ['in', 'out'] },
  parseParams(raw) {
    const r = paramReader(this.id, this.defaults, raw);
    return {
      enabled: r.bool('enabled'),
      score: r.int('score', 0, 100),
      thresholdUsd: r.usd('thresholdUsd'),
      marginPercent: r.int('marginPercent', 1, 99),
      windowHours: r.int('windowHours', 1, 24 * 31),
      minCount: r.int('minCount', 2, 1000),
      directions: r.listOf('directions', ['in', 'out'], 1),
    };
  },
  async run(ctx, p) {
    const threshold = parseUsd(p.thresholdUsd);
    const floor = scaleUsd(threshold, BigInt(100 - p.marginPercent), 100n);
    const window = p.windowHours * 3600;
    const hits = [];
    for (const direction of p.directions) {
      const candidates = ctx.movements.filter((m) => m.direction === direction && usdAtLeast(m.usd, floor) && !usdAtLeast(m.usd, threshold));
      for (let i = 0; i < candidates.length; ) {
        let j = i;
        while (j + 1 < candidates.length && candidates[j + 1]!.time - candidates[i]!.time <= window) j++;
        if (j - i + 1 < p.minCount) {
          i++;
          continue;
        }
        const group: Movement[] = candidates.slice(i, j + 1);
        const total = sumUsd(group.map((m) => m.usd!));
        const first = group[0]!;
        const last = group[group.length - 1]!;
        hits.push({
          key: `structuring:${direction}:${first.txId}`,
          score: p.score,
          summary: `${group.length} ${direction === 'in' ? 'deposits' : 'withdrawals'} between ${formatUsd(floor)} and ${p.thresholdUsd} USD within ${((last.time - first.time) / 3600).toFixed(1)} h (total ${formatUsd(total)} USD)`,
          evidence: buildEvidence(group, [], {
            thresholdUsd: p.thresholdUsd,
            bandFromUsd: formatUsd(floor),
            windowHours: p.windowHours,
            count: group.length,
            totalUsd: formatUsd(total),
            spanSeconds: last.time - first.time,
            direction,
          }),
        });
        i = j + 1;
      }
    }
    return hits;
  },
};

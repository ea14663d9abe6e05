/**
 * Rapid round trip: a deposit, then a withdrawal to the same external address within a short time (default
 * 1 h): funds pass through the account without purpose ("pass-through" / "in-and-out", FATF Red Flag
 * Indicators of ML/TF through Virtual Assets, 2020, section 2). The withdrawal must come after the deposit
 * (time, then block order) and pay an address the deposit came from. One hit per deposit: its first such
 * withdrawal.
 */
import { formatUsd, parseUsd } from '../usd.js';
import { compareMovements } from '../activity.js';
import { buildEvidence, paramReader, usdAtLeast, type MonitoringRule, type RuleHit, type RuleParamsBase } from '../rule.js';

export interface RapidRoundTripParams extends RuleParamsBase {
  windowMinutes: number;
  /** Deposits below this are ignored. */
  minUsd: string;
}

export const rapidRoundTrip: MonitoringRule<RapidRoundTripParams> = {
  id: 'rapid-round-trip',
  name: 'Rapid round trip',
  description: 'a deposit, then a withdrawal to the same external address within the window',
  defaults: { enabled: true, score: 60, windowMinutes: 60, minUsd: '0' },
  parseParams(raw) {
    const r = paramReader(this.id, this.defaults, raw);
    return { enabled: r.bool('enabled'), score: r.int('score', 0, 100), windowMinutes: r.int('windowMinutes', 1, 60 * 24 * 7), minUsd: r.usd('minUsd') };
  },
  async run(ctx, p) {
    const min = parseUsd(p.minUsd);
    const window = p.windowMinutes * 60;
    const hits: RuleHit[] = [];
    const outs = ctx.movements.filter((m) => m.direction === 'out');
    for (const d of ctx.movements) {
      if (d.direction !== 'in' || !usdAtLeast(d.usd ?? null, min)) continue;
      const from = new Set(d.counterparties);
      const w = outs.find((o) => compareMovements(d, o) < 0 && o.time - d.time <= window && o.counterparties.some((c) => from.has(c)));
      if (!w) continue;
      const back = w.counterparties.filter((c) => from.has(c));
      hits.push({
        key: `rapid-round-trip:${d.txId}:${w.txId}`,
        score: p.score,
        summary: `deposit ${d.txId}${d.usd ? ` (${formatUsd(d.usd)} USD)` : ''} sent back to ${back.join(', ')} by ${w.txId} ${Math.round((w.time - d.time) / 60)} min later`,
        evidence: buildEvidence([d, w], [], { windowMinutes: p.windowMinutes, minutes: Math.round((w.time - d.time) / 60), returnedTo: back }),
      });
    }
    return hits;
  },
};

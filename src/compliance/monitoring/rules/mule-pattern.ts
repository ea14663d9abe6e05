/**
 * Money-mule pattern (funnel account): many unrelated senders pay the customer within a window, then one
 * withdrawal moves most of it on (FATF/Egmont, "Trade-Based Money Laundering: Risk Indicators", 2021, and
 * FATF Red Flag Indicators for Virtual Assets, 2020: "deposits from many unrelated wallets followed by a
 * transfer out"). For each withdrawal w:
 *   deposits = movements in, before w, at most windowHours before it, the last at most forwardWithinHours before it
 *   senders  = their counterparties, grouped as related when they paid into the same deposit transaction
 *              (common-input ownership, Nakamoto 2008 section 10); one group = one sender
 *   hit when groups >= minSenders and w's USD value >= minForwardedPercent of the deposits' USD total.
 */
import { formatUsd, scaleUsd, sumUsd } from '../usd.js';
import { compareMovements, type Movement } from '../activity.js';
import { buildEvidence, paramReader, usdAtLeast, type MonitoringRule, type RuleHit, type RuleParamsBase } from '../rule.js';

export interface MulePatternParams extends RuleParamsBase {
  windowHours: number;
  minSenders: number;
  forwardWithinHours: number;
  minForwardedPercent: number;
}

export const mulePattern: MonitoringRule<MulePatternParams> = {
  id: 'mule-pattern',
  name: 'Mule pattern',
  description: 'many unrelated senders, then one withdrawal',
  defaults: { enabled: true, score: 70, windowHours: 72, minSenders: 5, forwardWithinHours: 48, minForwardedPercent: 80 },
  parseParams(raw) {
    const r = paramReader(this.id, this.defaults, raw);
    return {
      enabled: r.bool('enabled'),
      score: r.int('score', 0, 100),
      windowHours: r.int('windowHours', 1, 24 * 90),
      minSenders: r.int('minSenders', 2, 10_000),
      forwardWithinHours: r.int('forwardWithinHours', 1, 24 * 90),
      minForwardedPercent: r.int('minForwardedPercent', 1, 100),
    };
  },
  async run(ctx, p) {
    const hits: RuleHit[] = [];
    for (const w of ctx.movements) {
      if (w.direction !== 'out' || !w.usd) continue;
      const deposits = ctx.movements.filter((d) => d.direction === 'in' && compareMovements(d, w) < 0 && w.time - d.time <= p.windowHours * 3600);
      if (deposits.length === 0 || w.time - deposits[deposits.length - 1]!.time > p.forwardWithinHours * 3600) continue;
      const groups = senderGroups(deposits);
      if (groups.length < p.minSenders) continue;
      const total = sumUsd(deposits.flatMap((d) => (d.usd ? [d.usd] : [])));
      if (!usdAtLeast(w.usd, scaleUsd(total, BigInt(p.minForwardedPercent), 100n))) continue;
      hits.push({
        key: `mule-pattern:${w.txId}`,
        score: p.score,
        summary: `${groups.length} unrelated senders paid ${formatUsd(total)} USD in ${deposits.length} deposits, then ${w.txId} sent ${formatUsd(w.usd)} USD on to ${w.counterparties.join(', ')}`,
        evidence: buildEvidence([...deposits, w], [], {
          senders: groups.length,
          deposits: deposits.length,
          depositedUsd: formatUsd(total),
          forwardedUsd: formatUsd(w.usd),
          windowHours: p.windowHours,
          minSenders: p.minSenders,
          minForwardedPercent: p.minForwardedPercent,
        }),
      });
    }
    return hits;
  },
};

/** Senders grouped by co-spending (union-find over each deposit's input addresses); groups sorted. */
export function senderGroups(deposits: readonly Movement[]): string[][] {
  const parent = new Map<string, string>();
  const find = (a: string): string => {
    let r = a;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(a, r);
    return r;
  };
  for (const d of deposits) {
    for (const a of d.counterparties) if (!parent.has(a)) parent.set(a, a);
    for (let i = 1; i < d.counterparties.length; i++) {
      const x = find(d.counterparties[0]!);
      const y = find(d.counterparties[i]!);
      if (x !== y) parent.set(x < y ? y : x, x < y ? x : y);
    }
  }
  const groups = new Map<string, string[]>();
  for (const a of [...parent.keys()].sort()) {
    const r = find(a);
    groups.set(r, [...(groups.get(r) ?? []), a]);
  }
  return [...groups.values()];
}

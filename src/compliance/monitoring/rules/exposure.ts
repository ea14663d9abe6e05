/**
 * Exposure rules: a linked address within maxHops of an address labelled with given categories, following
 * funds backward (received from), forward (sent to) or both, through the proximity probe (graph-probes.ts).
 * Hop 0 means the customer's own address carries the label. The score falls with distance:
 * score - scorePerExtraHop x (hops - 1), at least minScore. One hit per (linked address, direction, labelled
 * address).
 *   mixer interaction:       categories [mixer], default 3 hops
 *   sanctioned counterparty: categories [sanctioned], default 3 hops
 */
import type { Category } from '../../../model/label.js';
import { CATEGORIES } from '../../../model/label.js';
import { buildEvidence, clampScore, paramReader, pathEvidence, type MonitoringRule, type RuleHit, type RuleId, type RuleParamsBase } from '../rule.js';

export interface ExposureParams extends RuleParamsBase {
  maxHops: number;
  direction: 'in' | 'out' | 'both';
  categories: Category[];
  scorePerExtraHop: number;
  minScore: number;
}

function exposureRule(id: RuleId, name: string, description: string, noun: string, defaults: ExposureParams): MonitoringRule<ExposureParams> {
  return {
    id,
    name,
    description,
    defaults,
    parseParams(raw) {
      const r = paramReader(id, defaults, raw);
      return {
        enabled: r.bool('enabled'),
        score: r.int('score', 0, 100),
        maxHops: r.int('maxHops', 0, 10),
        direction: r.oneOf('direction', ['in', 'out', 'both']),
        categories: r.listOf('categories', CATEGORIES, 1),
        scorePerExtraHop: r.int('scorePerExtraHop', 0, 100),
        minScore: r.int('minScore', 0, 100),
      };
    },
    async run(ctx, p) {
      if (ctx.addresses.length === 0) return [];
      const found = await ctx.probes.proximity.nearest(ctx.addresses, p.categories, { maxHops: p.maxHops, direction: p.direction });
      const hits: RuleHit[] = [];
      for (const address of [...ctx.addresses].sort()) {
        for (const h of found.get(address) ?? []) {
          const own = new Set(h.txIds);
          const movements = ctx.movements.filter((m) => own.has(m.txId));
          const where =
            h.hops === 0
              ? `${address} is itself labelled ${h.category}`
              : h.direction === 'in'
                ? `${address} received funds ${h.hops === 1 ? 'directly' : `indirectly (${h.hops} hops)`} from ${noun} ${h.target}`
                : `${address} sent funds ${h.hops === 1 ? 'directly' : `indirectly (${h.hops} hops)`} to ${noun} ${h.target}`;
          hits.push({
            key: `${id}:${address}:${h.direction}:${h.target}`,
            score: clampScore(Math.max(p.minScore, p.score - p.scorePerExtraHop * Math.max(0, h.hops - 1))),
            summary: where,
            evidence: buildEvidence(movements, [pathEvidence(h)], { hops: h.hops, direction: h.direction, category: h.category, target: h.target, maxHops: p.maxHops }),
          });
        }
      }
      return hits;
    },
  };
}

export const mixerInteraction = exposureRule('mixer-interaction', 'Mixer interaction', 'direct or indirect contact with a mixer', 'mixer', {
  enabled: true,
  score: 80,
  maxHops: 3,
  direction: 'both',
  categories: ['mixer'],
  scorePerExtraHop: 15,
  minScore: 30,
});

export const sanctionedCounterparty = exposureRule('sanctioned-counterparty', 'Sanctioned counterparty', 'a sanctioned address within N hops', 'sanctioned address', {
  enabled: true,
  score: 95,
  maxHops: 3,
  direction: 'both',
  categories: ['sanctioned'],
  scorePerExtraHop: 15,
  minScore: 40,
});

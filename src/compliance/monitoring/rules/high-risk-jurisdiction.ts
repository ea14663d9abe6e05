/**
 * High-risk jurisdiction: a counterparty located in a high-risk country, by default the FATF black list
 * (call for action) and grey list (increased monitoring), from the FATF data file with its as-of date, plus
 * any extra countries configured. A counterparty's country comes from the jurisdiction resolver
 * (configuration by address or label actor, or a label's detail.country). One hit per (transaction,
 * counterparty); black-list countries score higher.
 */
import { fatfListOf } from '../../kyc/fatf-lists.js';
import { parseIsoCountry } from '../../kyc/iso-countries.js';
import { formatUsd } from '../usd.js';
import { buildEvidence, paramReader, type MonitoringRule, type RuleHit, type RuleParamsBase } from '../rule.js';

export interface HighRiskJurisdictionParams extends RuleParamsBase {
  /** Score for black-list countries (`score` is for the others). */
  blackListScore: number;
  lists: ('black' | 'grey')[];
  /** More ISO countries treated as high risk (an internal list). */
  extraCountries: string[];
  directions: ('in' | 'out')[];
}

export const highRiskJurisdiction: MonitoringRule<HighRiskJurisdictionParams> = {
  id: 'high-risk-jurisdiction',
  name: 'High-risk jurisdiction',
  description: 'a counterparty in a high-risk country (FATF black and grey lists)',
  defaults: { enabled: true, score: 60, blackListScore: 85, lists: ['black', 'grey'], extraCountries: [], directions: ['in', 'out'] },
  parseParams(raw) {
    const r = paramReader(this.id, this.defaults, raw);
    return {
      enabled: r.bool('enabled'),
      score: r.int('score', 0, 100),
      blackListScore: r.int('blackListScore', 0, 100),
      lists: r.listOf('lists', ['black', 'grey']),
      extraCountries: r.listOf('extraCountries', null).map((c) => parseIsoCountry(c, `monitoring rule ${this.id} extraCountries entry`)),
      directions: r.listOf('directions', ['in', 'out'], 1),
    };
  },
  async run(ctx, p) {
    const movements = ctx.movements.filter((m) => p.directions.includes(m.direction));
    const counterparties = [...new Set(movements.flatMap((m) => m.counterparties))].sort();
    if (counterparties.length === 0) return [];
    const places = await ctx.probes.jurisdictions.jurisdictionsOf(counterparties);
    const hits: RuleHit[] = [];
    for (const m of movements) {
      for (const cp of m.counterparties) {
        const place = places.get(cp);
        if (!place) continue;
        const list = fatfListOf(ctx.fatf, place.country);
        const listed = list !== null && p.lists.includes(list);
        if (!listed && !p.extraCountries.includes(place.country)) continue;
        hits.push({
          key: `high-risk-jurisdiction:${m.txId}:${cp}`,
          score: listed && list === 'black' ? p.blackListScore : p.score,
          summary: `${m.direction === 'out' ? 'sent to' : 'received from'} ${cp} in ${place.country} (${listed ? `FATF ${list} list as of ${ctx.fatf.asOf}` : 'internal high-risk list'})${m.usd ? `: ${formatUsd(m.usd)} USD` : ''}`,
          evidence: buildEvidence([m], [], { counterparty: cp, country: place.country, list: listed ? list : 'internal', countrySource: place.source, fatfAsOf: ctx.fatf.asOf }),
        });
      }
    }
    return hits;
  },
};

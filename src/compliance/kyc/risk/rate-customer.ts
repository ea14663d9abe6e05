/**
 * Customer risk rating from the weighted matrix (risk-matrix.ts; docs/compliance.md "Customer risk rating").
 *
 * Each factor takes one value from the customer's facts; its score (1-3) times its weight (weights add up to
 * 100) gives the weighted score, 100..300. The level is the band of the score; overrides then raise it
 * (never lower). Factor values:
 *   identity_verification  the CDD field identityVerification
 *   source_of_funds        the CDD field sourceOfFunds
 *   volume_frequency       the worse of: band of max(declared monthly volume, observed 30-day USD volume),
 *                          band of the observed 30-day transaction count
 *   jurisdiction           the worst FATF list among country, nationality and beneficial owners' countries
 *   occupation             'pep' when the customer or a beneficial owner is a PEP, else occupationCategory
 *   wallet_behaviour       from the nearest mixer and sanctioned addresses: hops <= 1 direct, 2..max indirect;
 *                          the worst value present (highest score; sanctioned over mixer on a tie)
 * Deterministic and pure; the reasons name the facts, never personal data.
 */
import type { CustomerProfile, RiskFactorScore, RiskLevel, RiskRating } from '../../../store/compliance-store.js';
import { fatfListOf, type FatfLists } from '../fatf-lists.js';
import { compareUsd, formatUsd, parseUsd, type Usd } from '../../monitoring/usd.js';
import { levelRank, type RiskFactorId, type RiskMatrix } from './risk-matrix.js';

export interface RiskInput {
  customer: CustomerProfile;
  /** Hops to the nearest mixer / sanctioned address over the linked wallets (null: none within reach). */
  exposure: { mixerHops: number | null; sanctionedHops: number | null };
  /** Activity observed over the last 30 days, or null when there is none yet. */
  observed: { volumeUsd: Usd; count: number } | null;
  /** Unix ms of the rating. */
  at: number;
}

export function rateCustomer(matrix: RiskMatrix, fatf: FatfLists, input: RiskInput): RiskRating {
  const c = input.customer;
  const chosen: Record<RiskFactorId, { value: string; reason: string }> = {
    identity_verification: { value: c.identityVerification, reason: `identity verification: ${c.identityVerification}` },
    source_of_funds: { value: c.sourceOfFunds, reason: `source of funds: ${c.sourceOfFunds}` },
    volume_frequency: volumeFrequency(matrix, c, input.observed),
    jurisdiction: jurisdiction(fatf, c),
    occupation: occupation(c),
    wallet_behaviour: walletBehaviour(matrix, input.exposure),
  };
  const factors: RiskFactorScore[] = matrix.factors.map((f) => {
    const { value, reason } = chosen[f.id];
    return { factor: f.id, value, weight: f.weight, score: f.values.get(value)!, reason };
  });
  const score = factors.reduce((t, f) => t + f.weight * f.score, 0);
  const scoreLevel = matrix.levels.find((l) => l.below === null || score < l.below)!.level;
  let level: RiskLevel = scoreLevel;
  const overrides: string[] = [];
  for (const o of matrix.overrides) {
    if (chosen[o.factor].value !== o.value) continue;
    if (levelRank(o.minLevel) > levelRank(level)) level = o.minLevel;
    if (levelRank(o.minLevel) > levelRank(scoreLevel)) overrides.push(`${o.factor}=${o.value} -> at least ${o.minLevel}${o.reason ? ` (${o.reason})` : ''}`);
  }
  return { at: input.at, level, score, scoreLevel, factors, overrides, matrixVersion: matrix.version };
}

function volumeFrequency(matrix: RiskMatrix, c: CustomerProfile, observed: RiskInput['observed']): { value: string; reason: string } {
  const declared = parseUsd(c.expectedMonthlyVolumeUsd || '0');
  const volume = observed && compareUsd(observed.volumeUsd, declared) > 0 ? observed.volumeUsd : declared;
  const byVolume = matrix.volumeBands.find((b) => b.belowUsd === null || compareUsd(volume, b.belowUsd) < 0)!.value;
  const count = observed?.count ?? 0;
  const byCount = matrix.frequencyBands.find((b) => b.below === null || count < b.below)!.value;
  const factor = matrix.factors.find((f) => f.id === 'volume_frequency')!;
  const worse = factor.values.get(byCount)! > factor.values.get(byVolume)! ? byCount : byVolume;
  const source = volume === declared ? `declared ${formatUsd(declared, 0)} USD/month` : `observed ${formatUsd(volume)} USD in 30 days (declared ${formatUsd(declared, 0)})`;
  return { value: worse, reason: `${source}: ${byVolume}; ${count} transactions in 30 days: ${byCount}` };
}

function jurisdiction(fatf: FatfLists, c: CustomerProfile): { value: string; reason: string } {
  const places: [string, string][] = [['country', c.country]];
  if (c.nationality) places.push(['nationality', c.nationality]);
  c.beneficialOwners.forEach((o, i) => places.push([`beneficial owner ${i + 1} country`, o.country]));
  let value = 'standard';
  const listed: string[] = [];
  for (const [what, country] of places) {
    const list = fatfListOf(fatf, country);
    if (!list) continue;
    listed.push(`${what} ${country} on the FATF ${list} list`);
    if (list === 'black') value = 'black';
    else if (value === 'standard') value = 'grey';
  }
  return { value, reason: listed.length > 0 ? `${listed.join('; ')} (as of ${fatf.asOf})` : `no FATF-listed country (lists as of ${fatf.asOf})` };
}

function occupation(c: CustomerProfile): { value: string; reason: string } {
  if (c.pep) return { value: 'pep', reason: 'the customer is a politically exposed person' };
  const pepOwner = c.beneficialOwners.findIndex((o) => o.pep);
  if (pepOwner >= 0) return { value: 'pep', reason: `beneficial owner ${pepOwner + 1} is a politically exposed person` };
  return { value: c.occupationCategory, reason: `occupation or business class: ${c.occupationCategory}` };
}

function walletBehaviour(matrix: RiskMatrix, e: RiskInput['exposure']): { value: string; reason: string } {
  const present: [string, string][] = [['clean', 'no mixer or sanctioned address within reach']];
  if (e.mixerHops !== null) present.push([e.mixerHops <= 1 ? 'direct_mixer' : 'indirect_mixer', `nearest mixer ${e.mixerHops} hop${e.mixerHops === 1 ? '' : 's'} away`]);
  if (e.sanctionedHops !== null) {
    present.push([e.sanctionedHops <= 1 ? 'direct_sanctioned' : 'indirect_sanctioned', `nearest sanctioned address ${e.sanctionedHops} hop${e.sanctionedHops === 1 ? '' : 's'} away`]);
  }
  const factor = matrix.factors.find((f) => f.id === 'wallet_behaviour')!;
  const order = [...factor.values.keys()];
  // The worst value: highest score, then the later value of the matrix (sanctioned after mixer).
  present.sort(([a], [b]) => factor.values.get(a)! - factor.values.get(b)! || order.indexOf(a) - order.indexOf(b));
  const [value] = present[present.length - 1]!;
  return { value, reason: present.length === 1 ? present[0]![1] : present.slice(1).map(([, r]) => r).join('; ') };
}

/**
 * Turns weighted factor signals into a 0-100 integer score whose factor contributions add up EXACTLY to
 * the score, and maps the score to a decision band. Shared by the address and transaction scores.
 *
 * Arithmetic (integers only, so the result is the same on every machine):
 * 1. Each factor i has an integer weight w_i (points at full signal, 0..100) and an integer signal s_i in
 *    basis points (0..10,000). Its exact raw contribution is c_i = w_i x s_i, in 1/10,000 of a point.
 * 2. R = sum of c_i. The score is min(R, 1,000,000) / 10,000 rounded half up:
 *    score = floor((min(R, 1,000,000) + 5,000) / 10,000). So 30.5 points score 31; above 100 points is 100.
 * 3. The score is shared between the factors in proportion to c_i: factor i's exact share is
 *    c_i x score / R. The shares are floored and the points lost to flooring go one each to the factors with
 *    the largest remainders (Hamilton's largest-remainder method), ties to the factor listed first. The
 *    contributions are therefore integers that sum exactly to the score, and each is its exact share
 *    rounded down or up. A factor with no signal contributes 0. When R = 0 every contribution is 0.
 * So, uncapped, a factor's contribution is its raw points rounded; capped at 100, every factor is scaled
 * down by the same ratio 100 / (R / 10,000) before rounding.
 *
 * Bands: score <= approveMax -> 'approve'; <= reviewMax -> 'review'; otherwise 'reject'; fileSar when
 * score >= sarMin.
 *
 * [Reference]: Hamilton's (largest-remainder) apportionment method, as in Balinski and Young, "Fair
 * Representation", 2nd ed., Brookings 2001, ch. 2.
 */
import type { RiskBands } from './risk-config.js';

export type RiskDecision = 'approve' | 'review' | 'reject';

export interface FactorDraft {
  name: string;
  /** The feature the factor reads (hops, a share in bps, a count, a ratio; an amount as a decimal string of
   * base units); null when not assessed. */
  value: number | string | null;
  /** Points the factor adds at full signal. */
  weight: number;
  /** Signal in basis points, 0..10,000. */
  signalBps: number;
  explanation: string;
}

export interface RiskFactor extends FactorDraft {
  /** weight x signal / 10,000: the factor's points before the cap and the rounding (exact to 1/10,000). */
  points: number;
  /** Integer points of the score attributed to this factor; the contributions sum to the score. */
  contribution: number;
}

export interface RiskScore {
  /** 0..100. */
  score: number;
  decision: RiskDecision;
  fileSar: boolean;
  /** Every factor of the configuration, in its listing order, with its contribution. */
  factors: RiskFactor[];
  /** Sum of the factors' points before the cap at 100. */
  rawPoints: number;
}

export const BPS = 10_000;
const MAX_UNITS = 100 * BPS;

export function decide(score: number, bands: RiskBands): { decision: RiskDecision; fileSar: boolean } {
  const decision: RiskDecision = score <= bands.approveMax ? 'approve' : score <= bands.reviewMax ? 'review' : 'reject';
  return { decision, fileSar: score >= bands.sarMin };
}

/** Combines factor drafts (weights and signals already checked) into the score. Pure, integer arithmetic. */
export function combineFactors(drafts: readonly FactorDraft[], bands: RiskBands): RiskScore {
  const raw = drafts.map((d) => d.weight * d.signalBps);
  const total = raw.reduce((s, c) => s + c, 0);
  const score = Math.floor((Math.min(total, MAX_UNITS) + BPS / 2) / BPS);
  const contributions = raw.map(() => 0);
  if (total > 0 && score > 0) {
    const remainders = raw.map((c, i) => {
      const scaled = c * score; // <= 10^6 x 100 per factor: exact in a double
      const rem = scaled % total;
      contributions[i] = (scaled - rem) / total;
      return { i, rem };
    });
    let missing = score - contributions.reduce((s, c) => s + c, 0);
    remainders.sort((a, b) => b.rem - a.rem || a.i - b.i);
    for (const r of remainders) {
      if (missing === 0) break;
      if (r.rem === 0) break;
      contributions[r.i]! += 1;
      missing -= 1;
    }
  }
  // Fields listed, not spread: in V8 (Node 20) a spread followed by more fields, `{ ...d, points, contribution }`,
  // takes a slow path of about 3 µs an object: 50 µs a score, a large share of a GraphQL `screen` request.
  const factors: RiskFactor[] = drafts.map((d, i) => ({ name: d.name, value: d.value, weight: d.weight, signalBps: d.signalBps, explanation: d.explanation, points: raw[i]! / BPS, contribution: contributions[i]! }));
  return { score, ...decide(score, bands), factors, rawPoints: total / BPS };
}

import { describe, expect, it } from 'vitest';
import { combineFactors, type FactorDraft, type RiskScore } from './combine-factors.js';
import { DEFAULT_RISK_CONFIG, parseRiskConfig } from './risk-config.js';
import type { AddressRiskFeatures } from './risk-features.js';
import { scoreAddressRisk } from './score-address-risk.js';

/** An address with nothing against it: every analytic ran and found nothing. */
function clean(over: Partial<AddressRiskFeatures> = {}): AddressRiskFeatures {
  return {
    nearest: { sanctioned: null, mixer: null, darknet: null },
    exposure: { sanctioned: { directBps: 0, indirectBps: 0 }, mixer: { directBps: 0, indirectBps: 0 }, darknet: { directBps: 0, indirectBps: 0 } },
    taintBps: 0,
    peelChain: { role: 'none', chainLength: 0 },
    clusterCategories: [],
    behaviour: { transactions: 2, fanIn: 1, fanOut: 1, payments: 2, roundPayments: 0, burstiness: null },
    metrics: null,
    ...over,
  };
}
const behaviour = (over: Partial<NonNullable<AddressRiskFeatures['behaviour']>>): AddressRiskFeatures['behaviour'] => ({ ...clean().behaviour!, ...over });
const contributions = (r: RiskScore): Record<string, number> => Object.fromEntries(r.factors.filter((f) => f.contribution !== 0).map((f) => [f.name, f.contribution]));
const total = (r: RiskScore): number => r.factors.reduce((s, f) => s + f.contribution, 0);

describe('scoreAddressRisk with the default weights', () => {
  it('approves an address with nothing against it, listing every factor at 0', () => {
    const r = scoreAddressRisk(clean());
    expect(r).toMatchObject({ score: 0, decision: 'approve', fileSar: false });
    expect(r.factors).toHaveLength(15);
    expect(r.factors.every((f) => f.contribution === 0)).toBe(true);
  });

  it('rejects a direct (1-hop) sanctioned counterparty on that factor alone: 75 points', () => {
    const r = scoreAddressRisk(clean({ nearest: { sanctioned: { hops: 1, address: 'btc:x', label: 'OFAC SDN' }, mixer: null, darknet: null } }));
    expect(r).toMatchObject({ score: 75, decision: 'reject', fileSar: false });
    expect(contributions(r)).toEqual({ sanctioned_proximity: 75 });
    expect(r.factors[0]!.explanation).toBe('1 hop from sanctioned address btc:x (OFAC SDN)');
  });

  it('puts the band edges where the configuration says: 30 approve, 31 review', () => {
    // taint 100% x 20 + peel operator 100% x 10 = 30.
    const at30 = scoreAddressRisk(clean({ taintBps: 10_000, peelChain: { role: 'operator', chainLength: 6 } }));
    expect(at30).toMatchObject({ score: 30, decision: 'approve' });
    expect(contributions(at30)).toEqual({ taint: 20, peel_chain: 10 });
    // + 28 distinct senders: (28 - 10) / (100 - 10) = 20% of 5 points = 1 -> 31.
    const at31 = scoreAddressRisk(clean({ taintBps: 10_000, peelChain: { role: 'operator', chainLength: 6 }, behaviour: behaviour({ fanIn: 28 }) }));
    expect(at31).toMatchObject({ score: 31, decision: 'review' });
    expect(contributions(at31)).toEqual({ taint: 20, peel_chain: 10, fan_in: 1 });
  });

  it('rounds 30.5 points half up to 31 and gives the spare point to the largest remainder', () => {
    // 20 + 10 + round amounts 1 of 10 payments = 10% of 5 = 0.5 -> 30.5 -> 31.
    // Shares of 31: 20 x 31/30.5 = 20.33, 10 x 31/30.5 = 10.16, 0.5 x 31/30.5 = 0.51 -> 20 + 10 + 0 = 30;
    // the spare point goes to the largest remainder, round_amounts (.51).
    const r = scoreAddressRisk(clean({ taintBps: 10_000, peelChain: { role: 'operator', chainLength: 6 }, behaviour: behaviour({ payments: 10, roundPayments: 1 }) }));
    expect(r).toMatchObject({ score: 31, decision: 'review', rawPoints: 30.5 });
    expect(contributions(r)).toEqual({ taint: 20, peel_chain: 10, round_amounts: 1 });
  });

  it('puts the band edges where the configuration says: 70 review, 71 reject', () => {
    // sanctioned at 2 hops: 50% of 75 = 37.5; mixer at 1 hop: 30; round amounts 5 of 10: 2.5 -> 70.
    // 37.5 and 2.5 both have remainder .5: the tie goes to the factor listed first (sanctioned_proximity).
    const base = {
      nearest: { sanctioned: { hops: 2 }, mixer: { hops: 1 }, darknet: null },
      behaviour: behaviour({ payments: 10, roundPayments: 5 }),
    };
    const at70 = scoreAddressRisk(clean(base));
    expect(at70).toMatchObject({ score: 70, decision: 'review', fileSar: false });
    expect(contributions(at70)).toEqual({ sanctioned_proximity: 38, mixer_proximity: 30, round_amounts: 2 });
    // + 5% taint of 20 points = 1 -> 71.
    const at71 = scoreAddressRisk(clean({ ...base, taintBps: 500 }));
    expect(at71).toMatchObject({ score: 71, decision: 'reject', fileSar: false });
    expect(contributions(at71)).toEqual({ sanctioned_proximity: 38, mixer_proximity: 30, taint: 1, round_amounts: 2 });
  });

  it('puts the SAR edge where the configuration says: 84 no SAR, 85 SAR', () => {
    const direct = (bps: number) =>
      clean({ nearest: { sanctioned: { hops: 1 }, mixer: null, darknet: null }, exposure: { sanctioned: { directBps: bps, indirectBps: 0 } } });
    // 75 + 36% of 25 = 9 -> 84; 75 + 40% of 25 = 10 -> 85.
    expect(scoreAddressRisk(direct(3_600))).toMatchObject({ score: 84, decision: 'reject', fileSar: false });
    expect(scoreAddressRisk(direct(4_000))).toMatchObject({ score: 85, decision: 'reject', fileSar: true });
    expect(scoreAddressRisk(direct(10_000))).toMatchObject({ score: 100, decision: 'reject', fileSar: true });
  });

  it('counts indirect exposure at half its share', () => {
    // 100% indirect sanctioned exposure: 50% of 25 points = 12.5 -> 13 (half up).
    const r = scoreAddressRisk(clean({ exposure: { sanctioned: { directBps: 0, indirectBps: 10_000 } } }));
    expect(r.score).toBe(13);
    expect(r.factors.find((f) => f.name === 'sanctioned_exposure')).toMatchObject({ value: 5_000, signalBps: 5_000, points: 12.5, contribution: 13 });
  });

  it('scales every factor by the same ratio above 100 points', () => {
    // The address is itself sanctioned: proximity at 0 hops 75 + cluster label sanctioned 90 = 165 points.
    // Shares of 100: 75 x 100/165 = 45.45, 90 x 100/165 = 54.55 -> 45 + 54, spare point to .55 -> 45, 55.
    const r = scoreAddressRisk(clean({ nearest: { sanctioned: { hops: 0, label: 'OFAC SDN' }, mixer: null, darknet: null }, clusterCategories: ['sanctioned'] }));
    expect(r).toMatchObject({ score: 100, decision: 'reject', fileSar: true, rawPoints: 165 });
    expect(contributions(r)).toEqual({ sanctioned_proximity: 45, cluster_labels: 55 });
    expect(r.factors[0]!.explanation).toBe('the address itself is labelled sanctioned (OFAC SDN)');
  });

  it('reads graph metrics as a broker factor and a sink factor', () => {
    // betweenness 0.5, clustering 0.2: 0.5 x 0.8 = 40% of 5 = 2; PageRank 3x uniform: (3-1)/(5-1) = 50% of 3 = 1.5.
    const r = scoreAddressRisk(clean({ metrics: { betweenness: 0.5, clustering: 0.2, pagerankRatio: 3, nodes: 12 } }));
    expect(r.factors.find((f) => f.name === 'intermediary')).toMatchObject({ signalBps: 4_000, points: 2 });
    expect(r.factors.find((f) => f.name === 'flow_sink')).toMatchObject({ signalBps: 5_000, points: 1.5 });
    expect(r.score).toBe(4); // 3.5 half up
  });

  it('reads a bursty address and ignores burstiness over too few transactions', () => {
    const bursty = scoreAddressRisk(clean({ behaviour: behaviour({ transactions: 40, burstiness: 0.6 }) }));
    expect(bursty.factors.find((f) => f.name === 'burstiness')).toMatchObject({ signalBps: 6_000, points: 3, contribution: 3 });
    const few = scoreAddressRisk(clean({ behaviour: behaviour({ transactions: 4, burstiness: 0.9 }) }));
    expect(few.factors.find((f) => f.name === 'burstiness')).toMatchObject({ signalBps: 0, contribution: 0 });
  });

  it('says which features were not assessed', () => {
    const r = scoreAddressRisk({ nearest: {}, exposure: {}, taintBps: null, peelChain: null, clusterCategories: null, behaviour: null, metrics: null });
    expect(r.score).toBe(0);
    expect(r.factors.map((f) => f.explanation)).toContain('sanctioned proximity not assessed');
    expect(r.factors.map((f) => f.explanation)).toContain('behaviour not assessed');
  });

  it('refuses malformed features', () => {
    expect(() => scoreAddressRisk(clean({ taintBps: 10_001 }))).toThrow(/invalid risk feature taintBps: expected an integer in 0..10000 or null, got 10001/);
    expect(() => scoreAddressRisk(clean({ nearest: { sanctioned: { hops: -1 } } }))).toThrow(/nearest.sanctioned.hops/);
    expect(() => scoreAddressRisk(clean({ behaviour: behaviour({ payments: 2, roundPayments: 3 }) }))).toThrow(/roundPayments: expected at most payments \(2\)/);
    expect(() => scoreAddressRisk(clean({ clusterCategories: ['pirate' as 'scam'] }))).toThrow(/clusterCategories: expected categories among sanctioned/);
  });

  it('uses the bands and weights of the configuration it is given', () => {
    const j = JSON.parse(JSON.stringify(DEFAULT_RISK_CONFIG, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    j.bands = { approveMax: 10, reviewMax: 50, sarMin: 60 };
    const config = parseRiskConfig(j);
    expect(scoreAddressRisk(clean({ taintBps: 10_000 }), config)).toMatchObject({ score: 20, decision: 'review' });
  });
});

describe('combineFactors', () => {
  /** A deterministic pseudo-random generator (Park-Miller) for the property check. */
  function lcg(seed: number): () => number {
    let s = seed;
    return () => (s = (s * 48_271) % 2_147_483_647) / 2_147_483_647;
  }

  it('makes contributions that sum exactly to the score, each its exact share rounded down or up', () => {
    const rand = lcg(20_240_601);
    for (let run = 0; run < 500; run++) {
      const n = 1 + Math.floor(rand() * 15);
      const drafts: FactorDraft[] = Array.from({ length: n }, (_, i) => ({
        name: `f${i}`,
        value: null,
        weight: Math.floor(rand() * 101),
        signalBps: rand() < 0.3 ? 0 : Math.floor(rand() * 10_001),
        explanation: '',
      }));
      const r = combineFactors(drafts, DEFAULT_RISK_CONFIG.bands);
      // Independent check in exact rationals: raw R in 1/10000 points, score = round half up of min(R, 10^6).
      const raw = drafts.map((d) => BigInt(d.weight * d.signalBps));
      const R = raw.reduce((s, c) => s + c, 0n);
      const capped = R < 1_000_000n ? R : 1_000_000n;
      const score = Number((capped + 5_000n) / 10_000n);
      expect(r.score).toBe(score);
      expect(total(r)).toBe(score);
      r.factors.forEach((f, i) => {
        if (R === 0n) return expect(f.contribution).toBe(0);
        const num = raw[i]! * BigInt(score); // exact share = num / R
        const lo = num / R;
        const hi = num % R === 0n ? lo : lo + 1n;
        expect(BigInt(f.contribution) >= lo && BigInt(f.contribution) <= hi).toBe(true);
      });
    }
  });
});

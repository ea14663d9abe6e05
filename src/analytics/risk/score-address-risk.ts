/**
 * Address risk score, 0 to 100, from named factors, each with its signal, weight and contribution, and a
 * decision band (approve / review / reject, and SAR). Pure: the features are data (risk-features.ts), the
 * weights and bands come from the configuration (config/risk.json).
 *
 * Factors (signal in basis points; the weight is the factor's points at full signal):
 * - `<c>_proximity` for each exposure category c (sanctioned, mixer, darknet): hopSignalBps[h] for the
 *   nearest address labelled c at h hops (h = 0: the address itself), 0 beyond the table or when none.
 * - `<c>_exposure`: the share of value exchanged with c addresses, direct + indirect x indirectExposureBps
 *   (indirect exposure passes through intermediaries that may be unwitting: it counts half by default),
 *   capped at 10,000.
 * - `taint`: the share of received value that the haircut model traces back to taint-source labels.
 * - `peel_chain`: 10,000 for an operator of a peel chain (spends or receives its change), peelRecipientBps
 *   for an address that only received a peel.
 * - `cluster_labels`: the highest categorySeverityBps among the label categories of the address's cluster
 *   (its own labels included): what the entity IS.
 * - `fan_in`, `fan_out`: distinct senders / receivers, 0 up to fan.low, 10,000 from fan.high, linear between.
 * - `round_amounts`: round payments / payments, when there are at least minPayments payments.
 * - `burstiness`: max(0, B) for the Goh-Barabasi burstiness B of the gaps between transactions, when there
 *   are at least minTransactions transactions.
 * - `intermediary`: betweenness x (1 - clustering) in the address's neighbourhood: a broker between parties
 *   that do not deal with each other (Burt's structural hole), the shape of a pass-through or layering hop.
 * - `flow_sink`: PageRank ratio (x uniform), 0 up to 1, 10,000 from flowSink.highRatio: a consolidation
 *   point into which the neighbourhood's value converges.
 * The score and the exact split into contributions: combine-factors.ts. Weights and why: docs/analytics.md.
 *
 * [References]: Chainalysis, "Indirect Exposure" (2020) for direct / indirect exposure; Möser, Böhme,
 * Breuker 2014 for haircut taint; Goh and Barabási, "Burstiness and memory in complex systems", EPL 81,
 * 48002 (2008); Burt, "Structural Holes", Harvard University Press 1992.
 */
import type { Category } from '../../model/label.js';
import { BPS, combineFactors, type FactorDraft, type RiskScore } from './combine-factors.js';
import { DEFAULT_RISK_CONFIG, type RiskConfig } from './risk-config.js';
import { checkAddressFeatures, type AddressRiskFeatures } from './risk-features.js';

const pct = (bps: number): string => `${(bps / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
const clampBps = (x: number): number => Math.max(0, Math.min(BPS, x));

/** Linear ramp in bps: 0 at or below `low`, 10,000 at or above `high` (integers, floored). */
export function rampBps(value: number, low: number, high: number): number {
  if (value <= low) return 0;
  if (value >= high) return BPS;
  return Math.floor(((value - low) * BPS) / (high - low));
}

/**
 * Scores an address from its features. Every factor of the configuration is listed, in its order, with
 * its contribution; contributions sum exactly to the score. Pure and deterministic. Errors: INVALID_INPUT
 * for malformed features.
 */
export function scoreAddressRisk(features: AddressRiskFeatures, config: RiskConfig = DEFAULT_RISK_CONFIG): RiskScore {
  checkAddressFeatures(features);
  const a = config.address;
  const w = (name: string): number => a.weights[name] ?? 0;
  const drafts: FactorDraft[] = [];
  const reach = config.hopSignalBps.length - 1;

  for (const c of a.exposureCategories) {
    const name = `${c}_proximity`;
    if (!(c in features.nearest)) {
      drafts.push({ name, value: null, weight: w(name), signalBps: 0, explanation: `${c} proximity not assessed` });
    } else {
      const n = features.nearest[c];
      if (n === null || n === undefined) {
        drafts.push({ name, value: null, weight: w(name), signalBps: 0, explanation: `no ${c} address within ${reach} hops` });
      } else {
        const signalBps = config.hopSignalBps[n.hops] ?? 0;
        const who = `${n.address ?? `a ${c} address`}${n.label ? ` (${n.label})` : ''}`;
        const where = n.hops === 0 ? `the address itself is labelled ${c}${n.label ? ` (${n.label})` : ''}` : `${n.hops} hop${n.hops === 1 ? '' : 's'} from ${c} address ${who}`;
        drafts.push({ name, value: n.hops, weight: w(name), signalBps, explanation: signalBps > 0 ? where : `${where}: beyond the ${reach} hops that count` });
      }
    }
    const ename = `${c}_exposure`;
    const share = features.exposure[c];
    if (!share) {
      drafts.push({ name: ename, value: null, weight: w(ename), signalBps: 0, explanation: `no ${c} exposure found` });
    } else {
      const effective = clampBps(share.directBps + Math.floor((share.indirectBps * config.indirectExposureBps) / BPS));
      drafts.push({
        name: ename,
        value: effective,
        weight: w(ename),
        signalBps: effective,
        explanation: `${pct(share.directBps)} direct and ${pct(share.indirectBps)} indirect (counted at ${pct(config.indirectExposureBps)}) of the value exchanged is with ${c} addresses`,
      });
    }
  }

  drafts.push(
    features.taintBps === null
      ? { name: 'taint', value: null, weight: w('taint'), signalBps: 0, explanation: 'taint not assessed' }
      : {
          name: 'taint',
          value: features.taintBps,
          weight: w('taint'),
          signalBps: features.taintBps,
          explanation: `${pct(features.taintBps)} of the value received traces back (haircut) to ${a.taintCategories.join(', ')} addresses`,
        },
  );

  const peel = features.peelChain;
  if (peel === null) drafts.push({ name: 'peel_chain', value: null, weight: w('peel_chain'), signalBps: 0, explanation: 'peel chains not assessed' });
  else {
    const signalBps = peel.role === 'operator' ? BPS : peel.role === 'recipient' ? a.peelRecipientBps : 0;
    const explanation =
      peel.role === 'operator'
        ? `moves funds along a ${peel.chainLength}-hop peel chain (spends or receives its change)`
        : peel.role === 'recipient'
          ? `received a peel from a ${peel.chainLength}-hop peel chain`
          : 'takes part in no peel chain';
    drafts.push({ name: 'peel_chain', value: peel.chainLength, weight: w('peel_chain'), signalBps, explanation });
  }

  const cats = features.clusterCategories;
  if (cats === null) drafts.push({ name: 'cluster_labels', value: null, weight: w('cluster_labels'), signalBps: 0, explanation: 'cluster labels not assessed' });
  else {
    let worst: Category | null = null;
    for (const c of cats) if ((a.categorySeverityBps[c] ?? 0) > (worst === null ? 0 : (a.categorySeverityBps[worst] ?? 0))) worst = c;
    const signalBps = worst === null ? 0 : a.categorySeverityBps[worst]!;
    const where = features.cluster && features.cluster.size > 1 ? `its cluster ${features.cluster.id} (${features.cluster.size} addresses)` : 'the address';
    drafts.push({
      name: 'cluster_labels',
      value: signalBps,
      weight: w('cluster_labels'),
      signalBps,
      explanation: worst === null ? `no risk label on ${where}${cats.length > 0 ? ` (labels: ${cats.join(', ')})` : ''}` : `${where} is labelled ${worst} (severity ${pct(signalBps)})`,
    });
  }

  const b = features.behaviour;
  if (b === null) {
    for (const name of ['fan_in', 'fan_out', 'round_amounts', 'burstiness']) drafts.push({ name, value: null, weight: w(name), signalBps: 0, explanation: 'behaviour not assessed' });
  } else {
    const { low, high } = a.fan;
    const fanIn = rampBps(b.fanIn, low, high);
    const fanOut = rampBps(b.fanOut, low, high);
    drafts.push({ name: 'fan_in', value: b.fanIn, weight: w('fan_in'), signalBps: fanIn, explanation: `${b.fanIn} distinct senders (counts from ${low}, in full from ${high})` });
    drafts.push({ name: 'fan_out', value: b.fanOut, weight: w('fan_out'), signalBps: fanOut, explanation: `${b.fanOut} distinct receivers (counts from ${low}, in full from ${high})` });
    const unit = `multiples of 10^-${a.roundAmounts.decimalsKept} coin`;
    if (b.payments < a.roundAmounts.minPayments) {
      drafts.push({ name: 'round_amounts', value: null, weight: w('round_amounts'), signalBps: 0, explanation: `${b.payments} payments, fewer than the ${a.roundAmounts.minPayments} needed to judge round amounts` });
    } else {
      const share = Math.floor((b.roundPayments * BPS) / b.payments);
      drafts.push({ name: 'round_amounts', value: share, weight: w('round_amounts'), signalBps: share, explanation: `${b.roundPayments} of ${b.payments} payments are round amounts (${unit})` });
    }
    if (b.burstiness === null || b.transactions < a.burstiness.minTransactions) {
      drafts.push({ name: 'burstiness', value: b.burstiness, weight: w('burstiness'), signalBps: 0, explanation: `${b.transactions} transactions, fewer than the ${a.burstiness.minTransactions} needed to judge burstiness` });
    } else {
      const signalBps = clampBps(Math.round(b.burstiness * BPS));
      drafts.push({
        name: 'burstiness',
        value: b.burstiness,
        weight: w('burstiness'),
        signalBps,
        explanation: `burstiness ${b.burstiness.toFixed(3)} over ${b.transactions} transactions (${b.burstiness > 0 ? 'bursts of activity' : 'regular or random timing'})`,
      });
    }
  }

  const m = features.metrics;
  if (m === null) {
    for (const name of ['intermediary', 'flow_sink']) drafts.push({ name, value: null, weight: w(name), signalBps: 0, explanation: 'graph metrics not assessed' });
  } else {
    const broker = clampBps(Math.round(m.betweenness * (1 - m.clustering) * BPS));
    drafts.push({
      name: 'intermediary',
      value: m.betweenness,
      weight: w('intermediary'),
      signalBps: broker,
      explanation: `betweenness ${m.betweenness.toFixed(4)} with clustering ${m.clustering.toFixed(4)} in its ${m.nodes}-address neighbourhood`,
    });
    const high = a.flowSink.highRatio;
    const sink = m.pagerankRatio <= 1 ? 0 : m.pagerankRatio >= high ? BPS : clampBps(Math.round(((m.pagerankRatio - 1) / (high - 1)) * BPS));
    drafts.push({
      name: 'flow_sink',
      value: m.pagerankRatio,
      weight: w('flow_sink'),
      signalBps: sink,
      explanation: `PageRank ${m.pagerankRatio.toFixed(3)} times a uniform share in its neighbourhood (counts above 1, in full from ${high})`,
    });
  }

  return combineFactors(drafts, config.bands);
}

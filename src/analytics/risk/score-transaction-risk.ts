/**
 * Transaction risk score, 0 to 100, from the risk of the addresses it connects, its amount and its place in
 * a peel chain. Pure: the features are data (risk-features.ts), weights and bands from config/risk.json.
 *
 * Factors (signal in basis points):
 * - `input_address_risk`: the highest input address score, x 100 (score 75 -> 7,500 bps). Weight 100: the
 *   transaction inherits its riskiest source point for point, so a rejected source address makes a
 *   rejected transaction.
 * - `output_address_risk`: what the riskiest output address adds beyond the inputs, max(0, out - in) x 100.
 *   The two address factors together give max(highest input, highest output): paying a sanctioned address
 *   is as bad as being paid by one, and the same risk is not counted twice.
 * - `peel_chain`: 10,000 when the transaction is a hop of a peel chain.
 * - `large_amount`: the value moved to others, 0 up to largeAmount[asset].from, 10,000 from .to, linear
 *   between (exact bigint arithmetic, floored); 0 for an asset without thresholds.
 * Score, rounding and bands: combine-factors.ts.
 */
import { BPS, combineFactors, type FactorDraft, type RiskScore } from './combine-factors.js';
import { DEFAULT_RISK_CONFIG, type RiskConfig } from './risk-config.js';
import { checkTransactionFeatures, type ScoredParty, type TransactionRiskFeatures } from './risk-features.js';

function riskiest(parties: readonly ScoredParty[]): ScoredParty | null {
  let best: ScoredParty | null = null;
  for (const p of parties) if (best === null || p.score > best.score || (p.score === best.score && p.address < best.address)) best = p;
  return best;
}

/** Linear ramp over bigint amounts, in bps, floored. */
export function amountRampBps(amount: bigint, from: bigint, to: bigint): number {
  if (amount <= from) return 0;
  if (amount >= to) return BPS;
  return Number(((amount - from) * BigInt(BPS)) / (to - from));
}

/**
 * Scores a transaction from its features. Contributions sum exactly to the score. Pure and deterministic.
 * Amount in base units of `features.asset`. Errors: INVALID_INPUT for malformed features.
 */
export function scoreTransactionRisk(features: TransactionRiskFeatures, config: RiskConfig = DEFAULT_RISK_CONFIG): RiskScore {
  checkTransactionFeatures(features);
  const w = config.transaction.weights;
  const inTop = riskiest(features.inputs);
  const outTop = riskiest(features.outputs);
  const inScore = inTop?.score ?? 0;
  const outScore = outTop?.score ?? 0;
  const drafts: FactorDraft[] = [
    {
      name: 'input_address_risk',
      value: inTop ? inScore : null,
      weight: w.input_address_risk,
      signalBps: inScore * 100,
      explanation: inTop ? `riskiest input address ${inTop.address} scores ${inScore}` : 'no scored input address (coinbase or unknown inputs)',
    },
    {
      name: 'output_address_risk',
      value: outTop ? outScore : null,
      weight: w.output_address_risk,
      signalBps: Math.max(0, outScore - inScore) * 100,
      explanation: outTop
        ? `riskiest output address ${outTop.address} scores ${outScore}${outScore > inScore ? `, ${outScore - inScore} above the inputs` : ', no more than the inputs'}`
        : 'no scored output address',
    },
  ];
  const peel = features.peelChain;
  drafts.push(
    peel === null
      ? { name: 'peel_chain', value: null, weight: w.peel_chain, signalBps: 0, explanation: 'peel chains not assessed' }
      : {
          name: 'peel_chain',
          value: peel.chainLength,
          weight: w.peel_chain,
          signalBps: peel.member ? BPS : 0,
          explanation: peel.member ? `a hop of a ${peel.chainLength}-hop peel chain` : 'not a hop of a peel chain',
        },
  );
  const thresholds = config.transaction.largeAmount[features.asset];
  drafts.push(
    thresholds
      ? {
          name: 'large_amount',
          value: features.amount.toString(),
          weight: w.large_amount,
          signalBps: amountRampBps(features.amount, thresholds.from, thresholds.to),
          explanation: `${features.amount} base units of ${features.asset} moved (counts above ${thresholds.from}, in full from ${thresholds.to})`,
        }
      : { name: 'large_amount', value: features.amount.toString(), weight: w.large_amount, signalBps: 0, explanation: `no amount thresholds configured for ${features.asset}` },
  );
  return combineFactors(drafts, config.bands);
}

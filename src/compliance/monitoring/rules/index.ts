/** The monitoring rules, by id. Add a rule here on purpose (and to config/monitoring-rules.json). */
import type { MonitoringRule, RuleId, RuleParamsBase } from '../rule.js';
import { behaviouralSpike } from './behavioural-spike.js';
import { mixerInteraction, sanctionedCounterparty } from './exposure.js';
import { highRiskJurisdiction } from './high-risk-jurisdiction.js';
import { largeTransaction } from './large-transaction.js';
import { mulePattern } from './mule-pattern.js';
import { peelChain } from './peel-chain.js';
import { rapidRoundTrip } from './rapid-round-trip.js';
import { structuring } from './structuring.js';

export const RULES: Record<RuleId, MonitoringRule<RuleParamsBase>> = {
  'large-transaction': largeTransaction as unknown as MonitoringRule<RuleParamsBase>,
  structuring: structuring as unknown as MonitoringRule<RuleParamsBase>,
  'rapid-round-trip': rapidRoundTrip as unknown as MonitoringRule<RuleParamsBase>,
  'high-risk-jurisdiction': highRiskJurisdiction as unknown as MonitoringRule<RuleParamsBase>,
  'behavioural-spike': behaviouralSpike as unknown as MonitoringRule<RuleParamsBase>,
  'mixer-interaction': mixerInteraction as unknown as MonitoringRule<RuleParamsBase>,
  'sanctioned-counterparty': sanctionedCounterparty as unknown as MonitoringRule<RuleParamsBase>,
  'mule-pattern': mulePattern as unknown as MonitoringRule<RuleParamsBase>,
  'peel-chain': peelChain as unknown as MonitoringRule<RuleParamsBase>,
};

export { behaviouralSpike, highRiskJurisdiction, largeTransaction, mixerInteraction, mulePattern, peelChain, rapidRoundTrip, sanctionedCounterparty, structuring };

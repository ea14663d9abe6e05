/** Public surface of the risk score. Add exports here on purpose. */
export {
  loadRiskConfig,
  parseRiskConfig,
  addressFactorNames,
  DEFAULT_RISK_CONFIG,
  DEFAULT_RISK_CONFIG_FILE,
  ADDRESS_BASE_FACTORS,
  TRANSACTION_FACTORS,
  type RiskBands,
  type RiskConfig,
  type TransactionFactorName,
} from './risk-config.js';
export { combineFactors, decide, type FactorDraft, type RiskDecision, type RiskFactor, type RiskScore } from './combine-factors.js';
export {
  checkAddressFeatures,
  checkTransactionFeatures,
  type AddressRiskFeatures,
  type BehaviourFeatures,
  type CentralityFeatures,
  type ExposureShare,
  type NearestLabelled,
  type PeelChainFeature,
  type ScoredParty,
  type TransactionRiskFeatures,
} from './risk-features.js';
export { scoreAddressRisk, rampBps } from './score-address-risk.js';
export { scoreTransactionRisk, amountRampBps } from './score-transaction-risk.js';
export { behaviourFeatures, burstiness, paymentsOf, type BehaviourOptions } from './behaviour.js';
export {
  assessAddressRisk,
  DEFAULTS as ASSESS_ADDRESS_DEFAULTS,
  type AddressRiskAssessment,
  type AddressRiskDeps,
  type AssessAddressOptions,
  type ClusterLookup,
  type ScreeningIndex,
} from './assess-address-risk.js';
export {
  assessTransactionRisk,
  movedAmount,
  DEFAULTS as ASSESS_TRANSACTION_DEFAULTS,
  type AssessTransactionOptions,
  type TransactionRiskAssessment,
  type TransactionRiskDeps,
} from './assess-transaction-risk.js';

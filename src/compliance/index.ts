/** Public surface of the compliance part (docs/compliance.md). Add exports here on purpose. */
export { ComplianceService, createComplianceService, neighbourhood, type ComplianceDeps, type MonitoringRunResult, type OnboardingResult } from './compliance-service.js';
export { applyAlertCommand, alertFromHit, alertDedupKey, ALERT_TRANSITIONS, type AlertCommand } from './alerts/alert-lifecycle.js';
export { verifyAuditChain, type AuditBreak, type AuditVerification } from './audit/verify-audit-chain.js';
export { validateCustomerInput, IDENTITY_VERIFICATION, OCCUPATION_CATEGORIES, SOURCES_OF_FUNDS, type ValidCustomerInput } from './kyc/validate-customer.js';
export { ISO_COUNTRIES, isIsoCountry, parseIsoCountry } from './kyc/iso-countries.js';
export { loadFatfLists, fatfListOf, type FatfLists, type FatfList } from './kyc/fatf-lists.js';
export { loadRiskMatrix, type RiskMatrix } from './kyc/risk/risk-matrix.js';
export { rateCustomer, type RiskInput } from './kyc/risk/rate-customer.js';
export { loadSdnNames, type SdnNameIndex, type SdnEntity } from './kyc/screening/sdn-names.js';
export { screenNames, DEFAULT_NAME_THRESHOLD } from './kyc/screening/screen-names.js';
export { compareNames } from './kyc/screening/name-match.js';
export { loadMonitoringConfig, parseMonitoringConfig, type MonitoringConfig } from './monitoring/monitoring-config.js';
export { analyticsProximity, graphProximity, graphPeelChains, labelJurisdictions, type ProximityProbe, type PeelChainProbe, type JurisdictionResolver } from './monitoring/graph-probes.js';
export { RULE_IDS, type RuleId, type MonitoringRule, type RuleHit } from './monitoring/rule.js';
export { RULES } from './monitoring/rules/index.js';
export { exportReport, type ReportFormat } from './reports/export-report.js';

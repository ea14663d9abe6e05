/** The embedded engine of the compliance port. */
export { EmbeddedComplianceStore, type EmbeddedComplianceOptions } from './embedded-compliance-store.js';
export { COMPLIANCE_SCHEMA_SQL, COMPLIANCE_SCHEMA_VERSION } from './compliance-schema.js';

/** The Neo4j engine of the compliance port. */
export { Neo4jComplianceStore, NEO4J_COMPLIANCE_SCHEMA_VERSION, type Neo4jComplianceOptions } from './neo4j-compliance-store.js';

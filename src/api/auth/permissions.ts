/**
 * Who may do what: the one declarative map from operation (root field) and protected field to the roles
 * allowed. The request pipeline refuses an operation whose root fields a role may not use (FORBIDDEN,
 * before anything runs); the protected nested fields are checked where they resolve (the field is null,
 * with a FORBIDDEN error at its path). Every root field of the schema must be listed (checked at start).
 *
 * Roles are cumulative (roles.ts): screening < investigator < compliance < admin.
 */
import { type Role, rolesFrom } from './roles.js';

const ANY = rolesFrom('screening');
/** Screening: the `screen` query only (and `me`, which says who the key is). */
const SCREEN = rolesFrom('screening');
/** Graph queries and alerts. */
const GRAPH = rolesFrom('investigator');
/** Customers' KYC data, monitoring and SARs. */
const KYC = rolesFrom('compliance');
/** Ingest, labels, sanctions lists and keys. */
const ADMIN = rolesFrom('admin');

export const PERMISSIONS = {
  // ---------------------------------------------------------------- queries
  'Query.me': ANY,
  'Query.stats': GRAPH,
  'Query.screen': SCREEN,
  'Query.address': GRAPH,
  'Query.transaction': GRAPH,
  'Query.cluster': GRAPH,
  'Query.trace': GRAPH,
  'Query.taint': GRAPH,
  'Query.peelChains': GRAPH,
  'Query.subgraph': GRAPH,
  'Query.alert': GRAPH,
  'Query.alerts': GRAPH,
  'Query.customer': KYC,
  'Query.customers': KYC,
  'Query.report': KYC,
  'Query.reports': KYC,
  'Query.auditLog': KYC,
  'Query.apiKeys': ADMIN,
  // ---------------------------------------------------------------- mutations
  'Mutation.updateAlert': GRAPH,
  'Mutation.onboardCustomer': KYC,
  'Mutation.updateCustomer': KYC,
  'Mutation.linkAddresses': KYC,
  'Mutation.evaluateTransaction': KYC,
  'Mutation.draftSar': KYC,
  'Mutation.addLabel': ADMIN,
  'Mutation.removeLabel': ADMIN,
  'Mutation.importSanctionsList': ADMIN,
  'Mutation.ingestBlocks': ADMIN,
  'Mutation.createApiKey': ADMIN,
  'Mutation.revokeApiKey': ADMIN,
  // ---------------------------------------------------------------- protected fields
  /** A screening result links to the full address view (graph data) only for investigators and above. */
  'ScreeningResult.address': GRAPH,
  'Address.alerts': GRAPH,
  'Transaction.alerts': GRAPH,
  /** Customers' personal data: compliance and admin only. */
  'Address.customers': KYC,
  'Alert.customer': KYC,
  'Alert.reports': KYC,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Fields whose use is written to the audit trail with the key id: they touch customers or SARs. */
export const AUDITED_FIELDS: ReadonlySet<string> = new Set([
  'Query.customer',
  'Query.customers',
  'Query.report',
  'Query.reports',
  'Query.auditLog',
  'Mutation.onboardCustomer',
  'Mutation.updateCustomer',
  'Mutation.linkAddresses',
  'Mutation.evaluateTransaction',
  'Mutation.draftSar',
  'Address.customers',
  'Alert.customer',
  'Alert.reports',
]);

export function rolesFor(coordinate: string): readonly Role[] | undefined {
  return (PERMISSIONS as Record<string, readonly Role[]>)[coordinate];
}

export function isAllowed(coordinate: string, role: Role): boolean {
  const roles = rolesFor(coordinate);
  return roles === undefined || roles.includes(role);
}

/**
 * Checks the map against the schema: every root field has an entry and every entry names a field that
 * exists. Returns the problems (empty when the map is complete); the service refuses to start otherwise.
 */
export function permissionProblems(schema: { getQueryType(): { getFields(): Record<string, unknown> } | null | undefined; getMutationType(): { getFields(): Record<string, unknown> } | null | undefined; getType(name: string): unknown }): string[] {
  const problems: string[] = [];
  for (const [type, root] of [['Query', schema.getQueryType()], ['Mutation', schema.getMutationType()]] as const) {
    for (const field of Object.keys(root?.getFields() ?? {})) if (!(`${type}.${field}` in PERMISSIONS)) problems.push(`${type}.${field} has no entry in PERMISSIONS`);
  }
  for (const coordinate of Object.keys(PERMISSIONS)) {
    const [type, field] = coordinate.split('.') as [string, string];
    const t = schema.getType(type) as { getFields?: () => Record<string, unknown> } | undefined;
    if (!t?.getFields || !(field in t.getFields())) problems.push(`PERMISSIONS names ${coordinate}, which the schema does not have`);
  }
  return problems;
}

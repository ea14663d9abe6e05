/**
 * API roles. Roles are cumulative, each including the one before it:
 *
 *   screening     screen addresses (the `screen` query) and nothing else
 *   investigator  + graph queries (addresses, transactions, clusters, trace, taint, peel chains, subgraph)
 *                 and alerts (read, assign, annotate, change status)
 *   compliance    + customers' KYC data (onboard, update, link addresses), transaction monitoring, SARs
 *   admin         + ingest, labels, sanctions lists and API keys
 *
 * Which operation needs which roles is written once, in permissions.ts.
 */
import { invalidInput } from '../../errors.js';

export const ROLES = ['screening', 'investigator', 'compliance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Parses a role name (any letter case). Throws INVALID_INPUT naming the accepted roles. */
export function parseRole(text: string): Role {
  const normalized = String(text).trim().toLowerCase();
  if ((ROLES as readonly string[]).includes(normalized)) return normalized as Role;
  throw invalidInput(`unknown role ${JSON.stringify(text)}: expected one of ${ROLES.join(', ')}`);
}

/** The roles at or above `role` in the order above (admin includes everything). */
export function rolesFrom(role: Role): readonly Role[] {
  return ROLES.slice(ROLES.indexOf(role));
}

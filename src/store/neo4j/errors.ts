/**
 * The one place where neo4j-driver errors become AriadneErrors. The driver's `retryable` flag is kept
 * (a deadlock or a leader switch may succeed when tried again; a syntax error never will).
 *
 *   connection refused / reset, ServiceUnavailable, SessionExpired,
 *   Neo.TransientError.General.DatabaseUnavailable          -> STORE_UNAVAILABLE, retriable
 *   Neo.ClientError.Security.* (bad credentials),
 *   Neo.ClientError.Database.DatabaseNotFound               -> STORE_UNAVAILABLE, not retriable (configuration)
 *   Neo.ClientError.Schema.ConstraintValidationFailed       -> CONFLICT
 *   anything else                                           -> INTERNAL, with the Neo4j code in the context
 *
 * An AriadneError (e.g. INVALID_INPUT thrown by the store's own checks inside a transaction) passes unchanged.
 */
import { error as driverError, isRetryableError } from 'neo4j-driver';
import { AriadneError, type ErrorContext } from '../../errors.js';

export interface Neo4jErrorSite {
  /** What the store was doing: a store method name, or "connecting". */
  operation: string;
  /** The Bolt URI, named in STORE_UNAVAILABLE messages. */
  uri: string;
  context?: ErrorContext;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_CODES = new Set([driverError.SERVICE_UNAVAILABLE, driverError.SESSION_EXPIRED, 'Neo.TransientError.General.DatabaseUnavailable']);

export function translateNeo4jError(err: unknown, site: Neo4jErrorSite): AriadneError {
  if (err instanceof AriadneError) return err;
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  const context: ErrorContext = { ...site.context, operation: site.operation, ...(code ? { neo4jCode: code } : {}) };
  const retryable = isRetryableError(err);

  if ((code !== undefined && UNAVAILABLE_CODES.has(code)) || isConnectionFailure(err)) {
    return new AriadneError('STORE_UNAVAILABLE', `Neo4j at ${site.uri} is unavailable (${site.operation}): ${message}`, context, { cause: err, retriable: true });
  }
  if (code?.startsWith('Neo.ClientError.Security.')) {
    return new AriadneError('STORE_UNAVAILABLE', `Neo4j at ${site.uri} refused the credentials (${site.operation}): ${message}`, context, { cause: err, retriable: false });
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new AriadneError('STORE_UNAVAILABLE', `Neo4j at ${site.uri} has no such database (${site.operation}): ${message}`, context, { cause: err, retriable: false });
  }
  if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new AriadneError('CONFLICT', `Neo4j refused a write that breaks a uniqueness constraint (${site.operation}): ${message}`, context, { cause: err, retriable: retryable });
  }
  return new AriadneError('INTERNAL', `Neo4j ${site.operation} failed${code ? ` (${code})` : ''}: ${message}`, context, { cause: err, retriable: retryable });
}

/** A Node socket error, bare or as the cause of a driver error. */
function isConnectionFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  }
  return false;
}

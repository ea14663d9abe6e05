/**
 * The one normalization point for errors leaving the API. Known codes pass with their message; anything
 * else becomes INTERNAL_SERVER_ERROR with an id that is also logged. No stack trace reaches a client.
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from './graphql-js.js';
import { unwrapResolverError } from '@apollo/server/errors';
import { isAriadneError, type AriadneError, type ErrorCode } from '../errors.js';

/** The public code of each internal error code (`extensions.code`). */
export const PUBLIC_CODES: Record<ErrorCode, string> = {
  INVALID_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** Codes graphql-js and Apollo produce themselves for malformed requests. */
const PASS_THROUGH = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE']);

/** The AriadneError behind an error, through resolver wrapping and GraphQLError.originalError. */
function ariadneErrorOf(error: unknown): AriadneError | null {
  let e: unknown = unwrapResolverError(error);
  for (let i = 0; i < 5 && e; i++) {
    if (isAriadneError(e)) return e;
    e = e instanceof GraphQLError ? e.originalError : undefined;
  }
  return null;
}

export function formatError(formatted: GraphQLFormattedError, error: unknown, log: (line: string) => void = console.error): GraphQLFormattedError {
  const base = { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  const known = ariadneErrorOf(error);
  if (known && known.code === 'STORE_UNAVAILABLE') {
    // The driver's message names hosts and internals: the client gets the code and an id, the log the detail.
    const errorId = randomUUID();
    log(`[error ${errorId}] ${known.stack ?? known.message}`);
    return { ...base, message: `The store is unavailable; retry later (id ${errorId})`, extensions: { code: 'STORE_UNAVAILABLE', errorId, ...(known.retriable ? { retriable: true } : {}) } };
  }
  if (known && known.code !== 'INTERNAL') {
    const { file: _file, ...safe } = known.context;
    return { ...base, extensions: { code: PUBLIC_CODES[known.code], ...(Object.keys(safe).length ? { details: safe } : {}), ...(known.retriable ? { retriable: true } : {}) } };
  }
  const code = formatted.extensions?.code;
  // Errors graphql-js or Apollo raised about the request itself (parse, validation, variable coercion).
  if (typeof code === 'string' && PASS_THROUGH.has(code)) return { ...base, extensions: { code } };
  const original = unwrapResolverError(error);
  const errorId = randomUUID();
  const cause = known ?? (original instanceof GraphQLError && original.originalError ? original.originalError : original);
  log(`[error ${errorId}] ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
  return { message: `Internal server error (id ${errorId})`, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR', errorId } };
}

/**
 * The one normalization point for errors leaving the API. Known codes pass with their message; anything
 * else becomes INTERNAL_SERVER_ERROR with an id that is also logged. No stack trace reaches a client.
 */
import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isAriadneError, type ErrorCode } from '../errors.js';

const PUBLIC_CODES: Record<ErrorCode, string> = {
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
const PASS_THROUGH = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE']);

export function formatError(formatted: GraphQLFormattedError, error: unknown, log: (line: string) => void = console.error): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (isAriadneError(original) && original.code !== 'INTERNAL') {
    const { file: _file, ...safe } = original.context;
    return { ...base, message: original.message, extensions: { code: PUBLIC_CODES[original.code], ...(Object.keys(safe).length ? { details: safe } : {}), ...(original.retriable ? { retriable: true } : {}) } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PASS_THROUGH.has(code)) return { ...base, extensions: { code } };
  const errorId = randomUUID();
  log(`[error ${errorId}] ${original instanceof Error ? (original.stack ?? original.message) : String(original)}`);
  return { message: `Internal server error (id ${errorId})`, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR', errorId } };
}

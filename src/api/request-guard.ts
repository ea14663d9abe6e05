/**
 * The checks every operation passes before any resolver runs (an Apollo Server plugin, at
 * `didResolveOperation`), in this order:
 * 1. authentication: an operation that selects anything but introspection needs an API key (401);
 * 2. authorization: every field the operation selects (fragments expanded) that permissions.ts lists must
 *    allow the key's role (403, naming the fields): nothing runs, not even part of the operation;
 * 3. limits: query depth and estimated cost (query-limits.ts) (400, LIMIT_EXCEEDED);
 * 4. audit: an operation that selects a field touching customers or SARs is written to the audit trail
 *    with the key id, the operation name and the fields (refused attempts too, as `api.denied`).
 * What depends on the document alone (fields, depth, the fields to audit, the refusals of a role) is worked
 * out once per parsed document; the checks themselves run on every request.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from './graphql-js.js';
import { AriadneError } from '../errors.js';
import { AUDITED_FIELDS, isAllowed, rolesFor } from './auth/permissions.js';
import type { Role } from './auth/roles.js';
import type { ApiContext } from './context.js';
import { PUBLIC_CODES } from './format-error.js';
import { API_LIMITS } from './limits.js';
import { OperationShapes, type OperationShape } from './query-limits.js';

const HTTP_STATUS: Partial<Record<AriadneError['code'], number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, LIMIT_EXCEEDED: 400, INVALID_INPUT: 400 };

/** A GraphQLError carrying an AriadneError, with its public code and HTTP status. */
export function requestError(err: AriadneError): GraphQLError {
  return new GraphQLError(err.message, { originalError: err, extensions: { code: PUBLIC_CODES[err.code], http: { status: HTTP_STATUS[err.code] ?? 400 } } });
}

export interface GuardOptions {
  maxDepth?: number;
  maxCost?: number;
}

/** What the guard derives from an operation's shape and keeps with it: audited fields, refusals per role. */
interface GuardFacts {
  audited: string[];
  /** Coordinates the role may not use (root fields first), per role. */
  denied: Map<Role, string[]>;
}

export function requestGuard(options: GuardOptions = {}): ApolloServerPlugin<ApiContext> {
  const maxDepth = options.maxDepth ?? API_LIMITS.maxDepth;
  const maxCost = options.maxCost ?? API_LIMITS.maxCost;
  // The measures of a document seen before are reused (query-limits.ts); every check below still runs on
  // every request, with this request's key, role and variables.
  let shapes: OperationShapes | null = null;
  const facts = new WeakMap<OperationShape, GuardFacts>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue: ctx, operation, document, request, schema }) {
          if (!operation) return; // Apollo refuses a request without a resolvable operation before this point.
          if (operation.operation === 'subscription') throw requestError(new AriadneError('INVALID_INPUT', 'subscriptions are not supported: expected a query or a mutation'));
          const rootType = operation.operation === 'mutation' ? 'Mutation' : 'Query';
          if (shapes?.schema !== schema) shapes = new OperationShapes(schema);
          const shape = shapes.of(document, operation);
          if (shape.roots.length > 0 && ctx.principal === null) {
            throw requestError(new AriadneError('UNAUTHENTICATED', 'an API key is required: send "Authorization: Bearer ariadne_..." (npm start prints a development key on first run)'));
          }
          let known = facts.get(shape);
          if (!known) facts.set(shape, (known = { audited: [...shape.coordinates].filter((c) => AUDITED_FIELDS.has(c)).sort(), denied: new Map() }));
          const audited = known.audited;
          const operationName = operation.name?.value ?? request.operationName ?? null;
          if (ctx.principal !== null) {
            const role = ctx.principal.role;
            let denied = known.denied.get(role);
            if (!denied) {
              denied = [...shape.roots.map((f) => `${rootType}.${f}`), ...[...shape.coordinates].sort()].filter((c, i, all) => all.indexOf(c) === i && !isAllowed(c, role));
              known.denied.set(role, denied);
            }
            if (denied.length > 0) {
              await audit(ctx, 'api.denied', operationName, audited);
              const needs = denied.map((c) => `${c} (allowed: ${(rolesFor(c) ?? []).join(', ')})`).join('; ');
              throw requestError(new AriadneError('FORBIDDEN', `role ${role} may not use ${needs}`, { role, denied: [...denied] }));
            }
          }
          if (shape.depth > maxDepth) {
            throw requestError(new AriadneError('LIMIT_EXCEEDED', `query depth ${shape.depth} is above the limit of ${maxDepth}`, { depth: shape.depth, limit: maxDepth }));
          }
          const cost = shape.cost((request.variables ?? {}) as Record<string, unknown>);
          if (cost > maxCost) {
            throw requestError(new AriadneError('LIMIT_EXCEEDED', `estimated query cost ${cost} is above the limit of ${maxCost}: ask for smaller pages or fewer nested lists`, { cost, limit: maxCost }));
          }
          if (audited.length > 0) await audit(ctx, 'api.request', operationName, audited);
        },
      };
    },
  };
}

/** Appends one entry naming the key, the operation and the audited fields it selects. */
async function audit(ctx: ApiContext, action: 'api.request' | 'api.denied', operationName: string | null, fields: string[]): Promise<void> {
  if (fields.length === 0 || !ctx.compliance || !ctx.principal) return;
  await ctx.compliance.store.appendAudit(
    [{ action, subject: operationName ?? '*', details: { keyId: ctx.principal.keyId, role: ctx.principal.role, requestId: ctx.requestId, operation: operationName, fields } }],
    ctx.compliance.audit,
  );
}

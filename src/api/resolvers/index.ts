/**
 * The resolver map: every area's resolvers merged, the GraphQL enums mapped to the domain's values, the
 * permission guard (auth/permissions.ts) wrapped around every listed field, and the request's loader cache
 * dropped after each mutation. Resolvers map domain types to the GraphQL types of schema.graphql; the
 * logic lives in the analytics, compliance and store modules.
 */
import { defaultFieldResolver, type GraphQLFieldResolver } from '../graphql-js.js';
import { AriadneError } from '../../errors.js';
import { CATEGORIES } from '../../model/label.js';
import { TAINT_MODELS } from '../../analytics/taint/index.js';
import { PERMISSIONS, rolesFor } from '../auth/permissions.js';
import { ROLES } from '../auth/roles.js';
import type { ApiContext } from '../context.js';
import { adminResolvers } from './admin.js';
import { complianceResolvers } from './compliance.js';
import { flowResolvers } from './flows.js';
import { graphResolvers } from './graph.js';
import { BigIntScalar, DateTimeScalar, JsonScalar } from './scalars.js';
import { screeningResolvers } from './screening.js';
import { subgraphResolvers } from './subgraph.js';

type ResolverMap = Record<string, Record<string, unknown>>;

/** GraphQL enum value -> domain value, for enums whose domain spelling differs. */
const upperMap = (values: readonly string[]): Record<string, string> => Object.fromEntries(values.map((v) => [v.toUpperCase(), v]));

const enums: ResolverMap = {
  Category: upperMap(CATEGORIES),
  Role: upperMap(ROLES),
  TaintModel: upperMap(TAINT_MODELS),
  FlowDirection: { IN: 'in', OUT: 'out', BOTH: 'both' },
  TraceDirection: { FORWARD: 'forward', BACKWARD: 'backward' },
  CustomerType: { INDIVIDUAL: 'individual', ENTITY: 'entity' },
  RiskDecision: { APPROVE: 'approve', REVIEW: 'review', REJECT: 'reject' },
};

function merge(...maps: ResolverMap[]): ResolverMap {
  const out: ResolverMap = {};
  for (const m of maps) for (const [type, fields] of Object.entries(m)) out[type] = { ...(out[type] ?? {}), ...fields };
  return out;
}

/** Refuses the field unless the request's role is allowed; null principal means unauthenticated. */
function guard(coordinate: string, resolve: GraphQLFieldResolver<unknown, ApiContext>): GraphQLFieldResolver<unknown, ApiContext> {
  const roles = rolesFor(coordinate)!;
  return (parent, args, ctx, info) => {
    if (!ctx.principal) throw new AriadneError('UNAUTHENTICATED', `${coordinate} needs an API key`);
    if (!roles.includes(ctx.principal.role)) {
      throw new AriadneError('FORBIDDEN', `role ${ctx.principal.role} may not read ${coordinate} (needs ${roles.join(', ')})`, { role: ctx.principal.role, field: coordinate });
    }
    return resolve(parent, args, ctx, info);
  };
}

/** After a mutation, later fields of the same request must see its effect. */
function clearing(resolve: GraphQLFieldResolver<unknown, ApiContext>): GraphQLFieldResolver<unknown, ApiContext> {
  return async (parent, args, ctx, info) => {
    try {
      return await resolve(parent, args, ctx, info);
    } finally {
      ctx.clearLoaders();
    }
  };
}

function build(): ResolverMap {
  const map = merge(
    enums,
    graphResolvers,
    screeningResolvers,
    flowResolvers,
    subgraphResolvers,
    adminResolvers,
    complianceResolvers,
  );
  for (const [type, fields] of Object.entries(map.Mutation ?? {})) map.Mutation![type] = clearing(fields as GraphQLFieldResolver<unknown, ApiContext>);
  for (const coordinate of Object.keys(PERMISSIONS)) {
    const [type, field] = coordinate.split('.') as [string, string];
    const fields = (map[type] ??= {});
    fields[field] = guard(coordinate, (fields[field] as GraphQLFieldResolver<unknown, ApiContext> | undefined) ?? defaultFieldResolver);
  }
  // Scalars are passed as the GraphQLScalarType itself.
  return { ...map, BigInt: BigIntScalar, DateTime: DateTimeScalar, JSON: JsonScalar } as unknown as ResolverMap;
}

export const resolvers = build();

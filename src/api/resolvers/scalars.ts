/** The custom scalars: BigInt (decimal strings, exact), DateTime (ISO-8601 UTC), JSON. */
import { GraphQLScalarType, Kind, type ValueNode } from '../graphql-js.js';
import { invalidInput } from '../../errors.js';
import { preview } from '../../errors.js';

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
/** 10^78 > 2^256: more digits than any on-chain amount can have. */
const MAX_DIGITS = 78;

function parseBigInt(value: unknown): bigint {
  if (typeof value === 'string' && value.length <= MAX_DIGITS + 1 && INTEGER.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw invalidInput(`BigInt expects an integer as a decimal string (at most ${MAX_DIGITS} digits), got ${preview(value, 60)}`);
}

export const BigIntScalar = new GraphQLScalarType({
  name: 'BigInt',
  description: 'An integer of any size as a decimal string.',
  serialize: (value) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'string' && INTEGER.test(value)) return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    throw new TypeError(`BigInt cannot represent ${preview(value, 60)}`);
  },
  parseValue: parseBigInt,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parseBigInt(ast.kind === Kind.INT ? ast.value : ast.value);
    throw invalidInput('BigInt expects an integer as a decimal string');
  },
});

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'ISO-8601 UTC time with milliseconds.',
  serialize: (value) => {
    if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
    if (value instanceof Date) return value.toISOString();
    throw new TypeError(`DateTime cannot represent ${preview(value, 60)}`);
  },
  parseValue: (value) => {
    const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
    if (!Number.isFinite(ms)) throw invalidInput(`DateTime expects an ISO-8601 time such as 2025-01-01T00:00:00Z, got ${preview(value, 60)}`);
    return ms;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw invalidInput('DateTime expects an ISO-8601 string');
    const ms = Date.parse(ast.value);
    if (!Number.isFinite(ms)) throw invalidInput(`DateTime expects an ISO-8601 time, got ${JSON.stringify(ast.value)}`);
    return ms;
  },
});

function literalJson(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literalJson);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalJson(f.value)]));
    default:
      throw invalidInput('JSON literals cannot hold variables or enums');
  }
}

export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'JSON data.',
  serialize: (value) => JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))),
  parseValue: (value) => value,
  parseLiteral: literalJson,
});

/**
 * Resolvers: map domain types to the GraphQL types of schema.graphql. No store or analytics logic here.
 */
import { GraphQLScalarType, Kind } from 'graphql';
import { invalidInput } from '../../errors.js';
import { parseAddressId, parseTxId } from '../../model/address.js';
import type { StoredLabel } from '../../model/label.js';
import type { Transaction, TxInput, TxOutput } from '../../model/transaction.js';
import type { AddressSummary, GraphStats } from '../../store/graph-store.js';
import type { ApiContext } from '../context.js';
import { amountView, nativeAsset } from './amount.js';

export const BigIntScalar = new GraphQLScalarType({
  name: 'BigInt',
  description: 'An integer of any size as a decimal string.',
  serialize: (value) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'string' && /^-?[0-9]+$/.test(value)) return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    throw invalidInput(`BigInt cannot represent ${String(value)}`);
  },
  parseValue: (value) => {
    if (typeof value === 'string' && /^-?[0-9]+$/.test(value)) return BigInt(value);
    if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
    throw invalidInput(`BigInt expects an integer as a decimal string, got ${JSON.stringify(value)}`);
  },
  parseLiteral: (ast) => {
    if ((ast.kind === Kind.STRING || ast.kind === Kind.INT) && /^-?[0-9]+$/.test(ast.value)) return BigInt(ast.value);
    throw invalidInput('BigInt expects an integer as a decimal string');
  },
});

export const resolvers = {
  BigInt: BigIntScalar,
  Query: {
    stats: (_: unknown, __: unknown, ctx: ApiContext) => ctx.store.stats(),
    address: (_: unknown, args: { id: string }, ctx: ApiContext) => ctx.loaders.address.load(parseAddressId(args.id)),
    transaction: (_: unknown, args: { id: string }, ctx: ApiContext) => ctx.loaders.transaction.load(parseTxId(args.id)),
  },
  Stats: {
    chains: (s: GraphStats) =>
      Object.entries(s.perChain).map(([chain, c]) => ({ chain, ...c, fees: amountView(c.fees, nativeAsset(chain)) })),
  },
  Address: {
    labels: (a: AddressSummary, _: unknown, ctx: ApiContext) => ctx.loaders.labels.load(a.id),
    totals: (a: AddressSummary) =>
      a.totals.map((t) => ({ asset: t.asset, received: amountView(t.received, t.asset), sent: amountView(t.sent, t.asset), balance: amountView(t.balance, t.asset) })),
  },
  Label: { id: (l: StoredLabel) => String(l.id) },
  Transaction: {
    fee: (t: Transaction) => (t.fee === null ? null : amountView(t.fee, nativeAsset(t.chain))),
  },
  TxInput: {
    address: (i: TxInput, _: unknown, ctx: ApiContext) => (i.address ? ctx.loaders.address.load(i.address) : null),
    addressId: (i: TxInput) => i.address,
    amount: (i: TxInput) => (i.value === null ? null : amountView(i.value, i.asset)),
    spendsTx: (i: TxInput) => i.spends?.txId ?? null,
    spendsVout: (i: TxInput) => i.spends?.vout ?? null,
  },
  TxOutput: {
    address: (o: TxOutput, _: unknown, ctx: ApiContext) => (o.address ? ctx.loaders.address.load(o.address) : null),
    addressId: (o: TxOutput) => o.address,
    amount: (o: TxOutput) => amountView(o.value, o.asset),
  },
};

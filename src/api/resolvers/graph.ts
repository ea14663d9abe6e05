/**
 * Resolvers of the graph read model: stats, addresses (labels, cluster, totals, risk, neighbours,
 * transactions), transactions and clusters. Every store read goes through the request's loaders.
 */
import { clusterLabels, type ClusterEvidence, type ClusterRef } from '../../analytics/clustering/index.js';
import { transferEdges } from '../../analytics/proximity/index.js';
import { invalidInput } from '../../errors.js';
import { bareAddress, chainOfId, parseAddressId, parseTxId, type AddressId, type TxId } from '../../model/address.js';
import type { StoredLabel } from '../../model/label.js';
import type { Transaction, TxInput, TxOutput } from '../../model/transaction.js';
import type { AddressSummary, Flow, FlowQuery, GraphStats } from '../../store/graph-store.js';
import type { ApiContext } from '../context.js';
import { pageSize } from '../limits.js';
import { connectionByKey, connectionFromPage, offsetAfter, type PageArgs } from '../paging.js';
import { amountView, nativeAsset, type AmountView } from './amount.js';

type Direction = 'in' | 'out' | 'both';

/** The address view of an id: its summary, or (labelled but never transacting) an empty one; null when unknown. */
export async function loadAddress(ctx: ApiContext, id: AddressId): Promise<AddressSummary | null> {
  const [summary, labels] = await Promise.all([ctx.loaders.address.load(id), ctx.loaders.labels.load(id)]);
  if (summary) return summary;
  return labels.length > 0 ? emptySummary(id) : null;
}

/** An address known to exist (a cluster member, an input or output) without a stored summary yet. */
export const emptySummary = (id: AddressId): AddressSummary => ({ id, chain: chainOfId(id), txCount: 0, firstSeen: null, lastSeen: null, totals: [] });

/** Address objects for ids known to exist (cluster members, neighbours), in order, through the loader. */
export async function loadAddresses(ctx: ApiContext, ids: readonly AddressId[]): Promise<AddressSummary[]> {
  const values = await ctx.loaders.address.loadMany(ids);
  return values.map((v, i) => {
    if (v instanceof Error) throw v;
    return v ?? emptySummary(ids[i]!);
  });
}

function totalsOf(a: AddressSummary, asset: string | null | undefined) {
  const wanted = asset ?? nativeAsset(a.chain);
  return { asset: wanted, t: a.totals.find((t) => t.asset === wanted) };
}

/** Per-asset sums as Amounts, assets in name order. */
function perAsset(values: Map<string, bigint>): AmountView[] {
  return [...values.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([asset, v]) => amountView(v, asset));
}

const add = (m: Map<string, bigint>, asset: string, v: bigint): void => {
  m.set(asset, (m.get(asset) ?? 0n) + v);
};

export interface NeighbourView {
  neighbour: AddressId;
  directions: Set<'in' | 'out'>;
  txIds: Set<TxId>;
  received: Map<string, bigint>;
  sent: Map<string, bigint>;
}

/** One-hop neighbours of an address (edges.ts rules), by neighbour id. Two loader reads. */
export async function neighboursOf(ctx: ApiContext, id: AddressId, direction: Direction): Promise<NeighbourView[]> {
  const side: FlowQuery['side'] = direction === 'out' ? 'input' : direction === 'in' ? 'output' : 'both';
  const flows = (await ctx.reader.getFlows([id], { side })).get(id) ?? [];
  const txs = await ctx.reader.getTransactions([...new Set(flows.map((f) => f.txId))]);
  const byNeighbour = new Map<AddressId, NeighbourView>();
  for (const tx of txs.values()) {
    for (const e of transferEdges(tx)) {
      const incoming = e.to === id && direction !== 'out';
      const outgoing = e.from === id && direction !== 'in';
      if (!incoming && !outgoing) continue;
      const other = incoming ? e.from : e.to;
      let n = byNeighbour.get(other);
      if (!n) byNeighbour.set(other, (n = { neighbour: other, directions: new Set(), txIds: new Set(), received: new Map(), sent: new Map() }));
      n.txIds.add(tx.id);
      if (incoming) {
        n.directions.add('in');
        add(n.received, e.asset, e.received);
      } else {
        n.directions.add('out');
        add(n.sent, e.asset, e.received);
      }
    }
  }
  return [...byNeighbour.values()].sort((a, b) => (a.neighbour < b.neighbour ? -1 : 1));
}

interface AddressTxView {
  txId: TxId;
  height: number;
  time: number;
  received: Map<string, bigint>;
  sent: Map<string, bigint>;
}

export interface TransactionFilterInput {
  direction?: Direction | null;
  fromTime?: number | null;
  toTime?: number | null;
  fromHeight?: number | null;
  toHeight?: number | null;
  minAmount?: bigint | null;
}

function flowQueryOf(filter: TransactionFilterInput | null | undefined): FlowQuery {
  const f = filter ?? {};
  const q: FlowQuery = { side: f.direction === 'in' ? 'output' : f.direction === 'out' ? 'input' : 'both' };
  const int = (name: string, v: number | null | undefined): number | undefined => {
    if (v === null || v === undefined) return undefined;
    if (!Number.isSafeInteger(v) || v < 0) throw invalidInput(`invalid ${name} ${String(v)}: expected an integer >= 0`);
    return v;
  };
  q.minTime = int('fromTime', f.fromTime);
  q.maxTime = int('toTime', f.toTime);
  q.minHeight = int('fromHeight', f.fromHeight);
  q.maxHeight = int('toHeight', f.toHeight);
  if (f.minAmount !== null && f.minAmount !== undefined) {
    if (f.minAmount < 0n) throw invalidInput(`invalid minAmount ${f.minAmount}: expected base units >= 0`);
    q.minValue = f.minAmount;
  }
  for (const [a, b, what] of [[q.minTime, q.maxTime, 'time'], [q.minHeight, q.maxHeight, 'height']] as const) {
    if (a !== undefined && b !== undefined && a > b) throw invalidInput(`invalid ${what} range: from ${a} is after to ${b}`);
  }
  return q;
}

function groupByTransaction(flows: readonly Flow[]): AddressTxView[] {
  const out: AddressTxView[] = [];
  const byTx = new Map<TxId, AddressTxView>();
  for (const f of flows) {
    let v = byTx.get(f.txId);
    if (!v) {
      v = { txId: f.txId, height: f.height, time: f.time, received: new Map(), sent: new Map() };
      byTx.set(f.txId, v);
      out.push(v);
    }
    if (f.value === null) {
      if (f.side === 'input' && !v.sent.has(f.asset)) v.sent.set(f.asset, 0n);
      continue;
    }
    add(f.side === 'output' ? v.received : v.sent, f.asset, f.value);
  }
  return out;
}

export const graphResolvers = {
  Query: {
    stats: (_: unknown, __: unknown, ctx: ApiContext) => ctx.store.stats(),
    address: (_: unknown, args: { id: string }, ctx: ApiContext) => loadAddress(ctx, parseAddressId(args.id)),
    transaction: (_: unknown, args: { id: string }, ctx: ApiContext) => ctx.loaders.transaction.load(parseTxId(args.id)),
    cluster: (_: unknown, args: { id: string }, ctx: ApiContext) => ctx.app.clusters.clusterOf(parseAddressId(args.id)),
  },
  Stats: {
    chains: (s: GraphStats) => Object.entries(s.perChain).map(([chain, c]) => ({ chain, ...c, fees: amountView(c.fees, nativeAsset(chain)) })),
  },
  Address: {
    address: (a: AddressSummary) => bareAddress(a.id),
    labels: (a: AddressSummary, _: unknown, ctx: ApiContext) => ctx.loaders.labels.load(a.id),
    cluster: (a: AddressSummary, _: unknown, ctx: ApiContext) => ctx.app.clusters.clusterOf(a.id),
    balance: (a: AddressSummary, args: { asset?: string | null }) => {
      const { asset, t } = totalsOf(a, args.asset);
      return amountView(t?.balance ?? 0n, asset);
    },
    received: (a: AddressSummary, args: { asset?: string | null }) => {
      const { asset, t } = totalsOf(a, args.asset);
      return amountView(t?.received ?? 0n, asset);
    },
    sent: (a: AddressSummary, args: { asset?: string | null }) => {
      const { asset, t } = totalsOf(a, args.asset);
      return amountView(t?.sent ?? 0n, asset);
    },
    totals: (a: AddressSummary) =>
      a.totals.map((t) => ({ asset: t.asset, received: amountView(t.received, t.asset), sent: amountView(t.sent, t.asset), balance: amountView(t.balance, t.asset) })),
    risk: (a: AddressSummary, _: unknown, ctx: ApiContext) => ctx.loaders.risk.load(a.id),
    neighbours: async (a: AddressSummary, args: PageArgs & { direction?: Direction | null }, ctx: ApiContext) => {
      pageSize(args.first);
      const list = await neighboursOf(ctx, a.id, args.direction ?? 'both');
      return connectionByKey(`neighbours:${a.id}:${args.direction ?? 'both'}`, list, args, (n) => n.neighbour);
    },
    transactions: async (a: AddressSummary, args: PageArgs & { filter?: TransactionFilterInput | null }, ctx: ApiContext) => {
      pageSize(args.first);
      const query = flowQueryOf(args.filter);
      const flows = (await ctx.reader.getFlows([a.id], query)).get(a.id) ?? [];
      return connectionByKey(`transactions:${a.id}`, groupByTransaction(flows), args, (t) => t.txId);
    },
    alerts: (a: AddressSummary, _: unknown, ctx: ApiContext) => ctx.compliance?.loaders.alertsOfAddress.load(a.id) ?? [],
    customers: (a: AddressSummary, _: unknown, ctx: ApiContext) => ctx.compliance?.loaders.customersOfAddress.load(a.id) ?? [],
  },
  RiskFactor: {
    value: (f: { value: number | string | null }) => (f.value === null ? null : String(f.value)),
  },
  Label: {
    id: (l: StoredLabel) => String(l.id),
    addedAt: (l: StoredLabel) => l.addedAt,
  },
  Neighbour: {
    address: async (n: NeighbourView, _: unknown, ctx: ApiContext) => (await loadAddresses(ctx, [n.neighbour]))[0],
    direction: (n: NeighbourView) => (n.directions.size === 2 ? 'both' : [...n.directions][0]),
    transactionCount: (n: NeighbourView) => n.txIds.size,
    received: (n: NeighbourView) => perAsset(n.received),
    sent: (n: NeighbourView) => perAsset(n.sent),
  },
  AddressTransaction: {
    transaction: (t: AddressTxView, _: unknown, ctx: ApiContext) => ctx.loaders.transaction.load(t.txId),
    direction: (t: AddressTxView) => (t.received.size > 0 && t.sent.size > 0 ? 'both' : t.received.size > 0 ? 'in' : 'out'),
    received: (t: AddressTxView) => perAsset(t.received),
    sent: (t: AddressTxView) => perAsset(t.sent),
  },
  Transaction: {
    fee: (t: Transaction) => (t.fee === null ? null : amountView(t.fee, nativeAsset(t.chain))),
    alerts: (t: Transaction, _: unknown, ctx: ApiContext) => ctx.compliance?.loaders.alertsOfTransaction.load(t.id) ?? [],
  },
  TxInput: {
    address: async (i: TxInput, _: unknown, ctx: ApiContext) => (i.address ? (await loadAddresses(ctx, [i.address]))[0] : null),
    addressId: (i: TxInput) => i.address,
    amount: (i: TxInput) => (i.value === null ? null : amountView(i.value, i.asset)),
    spendsTx: (i: TxInput) => i.spends?.txId ?? null,
    spendsVout: (i: TxInput) => i.spends?.vout ?? null,
    addressSource: (i: TxInput) => i.addressSource ?? null,
  },
  TxOutput: {
    address: async (o: TxOutput, _: unknown, ctx: ApiContext) => (o.address ? (await loadAddresses(ctx, [o.address]))[0] : null),
    addressId: (o: TxOutput) => o.address,
    amount: (o: TxOutput) => amountView(o.value, o.asset),
  },
  Cluster: {
    addresses: async (c: ClusterRef, args: PageArgs, ctx: ApiContext) => {
      const first = pageSize(args.first);
      const offset = offsetAfter(`cluster:${c.id}`, args.after);
      if (first === 0 || offset >= c.size) return connectionFromPage(`cluster:${c.id}`, [], offset, first, c.size);
      const page = ctx.app.clusters.members(c.id, { offset, limit: first });
      return connectionFromPage(`cluster:${c.id}`, await loadAddresses(ctx, page.items), offset, first, page.total);
    },
    labels: async (c: ClusterRef, _: unknown, ctx: ApiContext) => {
      const s = await clusterLabels(ctx.reader, { clusters: ctx.app.clusters, clusterId: c.id });
      return {
        examined: s.examined,
        truncated: s.truncated,
        labelledAddresses: s.labelledAddresses,
        categories: s.categories.map((cat) => ({ category: cat.category, addresses: cat.addresses.map((x) => x.address), maxConfidence: cat.maxConfidence, actors: cat.actors })),
        actors: s.actors,
        conflicts: s.conflicts,
      };
    },
    evidence: (c: ClusterRef, args: PageArgs, ctx: ApiContext) => {
      const first = pageSize(args.first);
      const offset = offsetAfter(`cluster-evidence:${c.id}`, args.after);
      const total = c.size - 1;
      if (first === 0 || offset >= total) return connectionFromPage(`cluster-evidence:${c.id}`, [], offset, first, total);
      const page = ctx.app.clusters.explainCluster(c.id, { offset, limit: first });
      return connectionFromPage(`cluster-evidence:${c.id}`, page.items, offset, first, page.total);
    },
  },
  ClusterEvidence: {
    transaction: (e: ClusterEvidence) => e.txId,
  },
};

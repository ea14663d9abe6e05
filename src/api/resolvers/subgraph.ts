/** `subgraph`: a drawable neighbourhood (graph/subgraph.ts) with labels, categories, balances, risk and layout. */
import { notFound } from '../../errors.js';
import { bareAddress, chainOfId, parseAddressId, type AddressId } from '../../model/address.js';
import type { ProximityDirection } from '../../analytics/proximity/index.js';
import type { ApiContext } from '../context.js';
import { forceAtlasLayout } from '../graph/layout.js';
import { addressSubgraph, type SubgraphEdgeData } from '../graph/subgraph.js';
import { API_LIMITS, checkCount, checkHops } from '../limits.js';
import { amountView, nativeAsset } from './amount.js';
import { loadAddress } from './graph.js';

interface NodeView {
  id: AddressId;
  hop: number;
  x: number | null;
  y: number | null;
}

const shortAddress = (id: AddressId): string => {
  const bare = bareAddress(id);
  return bare.length > 14 ? `${bare.slice(0, 8)}…${bare.slice(-4)}` : bare;
};

async function labelsOf(ctx: ApiContext, id: AddressId) {
  return [...(await ctx.loaders.labels.load(id))].sort((a, b) => b.confidence - a.confidence || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

export const subgraphResolvers = {
  Query: {
    subgraph: async (_: unknown, args: { center: string; hops?: number | null; limit?: number | null; direction?: ProximityDirection | null; layout?: boolean | null }, ctx: ApiContext) => {
      const center = parseAddressId(args.center);
      const hops = checkHops('hops', args.hops ?? 2, ctx.app.config.limits.maxHops);
      const limit = checkCount('limit', args.limit ?? API_LIMITS.defaultSubgraphNodes, API_LIMITS.maxSubgraphNodes);
      if (!(await loadAddress(ctx, center))) throw notFound(`address ${center} is not in the graph`, { address: center });
      const data = await addressSubgraph(ctx.reader, center, { hops, limit, direction: args.direction ?? 'both', minValue: 1n });
      const positions = args.layout ? forceAtlasLayout(data.nodes.map((n) => n.id), data.edges) : null;
      const nodes: NodeView[] = data.nodes.map((n) => ({ id: n.id, hop: n.hop, x: positions?.get(n.id)?.x ?? null, y: positions?.get(n.id)?.y ?? null }));
      return { center, hops, truncated: data.truncated, nodes, edges: data.edges };
    },
  },
  SubgraphNode: {
    chain: (n: NodeView) => chainOfId(n.id),
    label: async (n: NodeView, _: unknown, ctx: ApiContext) => (await labelsOf(ctx, n.id))[0]?.label ?? shortAddress(n.id),
    labels: async (n: NodeView, _: unknown, ctx: ApiContext) => [...new Set((await labelsOf(ctx, n.id)).map((l) => l.label))],
    categories: async (n: NodeView, _: unknown, ctx: ApiContext) => [...new Set((await ctx.loaders.labels.load(n.id)).map((l) => l.category))].sort(),
    balance: async (n: NodeView, _: unknown, ctx: ApiContext) => {
      const s = await ctx.loaders.address.load(n.id);
      const asset = nativeAsset(chainOfId(n.id));
      return amountView(s?.totals.find((t) => t.asset === asset)?.balance ?? 0n, asset);
    },
    cluster: (n: NodeView, _: unknown, ctx: ApiContext) => ctx.app.clusters.clusterOf(n.id)?.id ?? null,
    risk: (n: NodeView, _: unknown, ctx: ApiContext) => ctx.loaders.screeningRisk.load(n.id),
  },
  SubgraphEdge: {
    amount: (e: SubgraphEdgeData) => amountView(e.amount, e.asset),
    transactionCount: (e: SubgraphEdgeData) => e.txIds.length,
    transactions: (e: SubgraphEdgeData) => e.txIds.slice(0, 10),
  },
};

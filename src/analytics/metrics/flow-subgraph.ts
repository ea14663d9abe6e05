/**
 * Flow subgraphs: the small directed, value-weighted address graphs the graph metrics run on.
 *
 * - `neighbourhoodSubgraph`: the k-hop neighbourhood (ego network) of one address: every address within
 *   `radius` hops, counting an edge in either direction (who paid it, whom it paid), and the edges among
 *   them (the induced subgraph).
 * - `clusterSubgraph`: the members of one entity cluster and the edges among them.
 * - `inducedSubgraph`: any given set of addresses and the edges among them.
 *
 * Nodes are addresses of one chain. An edge u -> v aggregates every value edge (value-edges.ts) from u to
 * v of the subgraph's ASSET (default: the chain's native asset; account chains can ask for a token id)
 * over the transactions read: `value` is the exact bigint sum of the known values, `transactions` how
 * many transactions carried it, `unvaluedTransactions` how many of those had an unknown value (a UTXO input
 * whose prevout is not ingested, in a transaction with several input addresses).
 *
 * Like hopDistance, the neighbourhood does not pass THROUGH addresses labelled with a stop category
 * (default: exchange): they join the subgraph but their own counterparties are not read, since a
 * service's counterparties are its customers, not the subject's. The edges of the neighbourhood are read
 * from every member that is not a stop address, so the only edges that can be missing are those between two
 * stop addresses. Cluster and address-set subgraphs read every member (no stop categories).
 *
 * Budgets: `maxNodes` (addresses in the subgraph) and `maxTransactions` (distinct transactions read). With
 * `onLimit: 'truncate'` a neighbourhood level that does not fit is cut to its first addresses in id order
 * and a read that would pass the transaction budget is skipped; the result says so in `truncated`. With
 * `onLimit: 'error'` either limit throws LIMIT_EXCEEDED. Deterministic: nodes and edges are sorted by id.
 *
 * [Reference]: ego networks as the unit of local structural analysis: Everett and Borgatti, "Ego network
 * betweenness", Social Networks 27(1), 2005.
 */
import { invalidInput, limitExceeded, notFound } from '../../errors.js';
import { chainOfId, type AddressId, type TxId } from '../../model/address.js';
import { chainInfo, type ChainKey } from '../../model/chain.js';
import { CATEGORIES, type Category } from '../../model/label.js';
import type { AssetId, Transaction } from '../../model/transaction.js';
import type { GraphReader } from '../../store/graph-store.js';
import { valueEdges, type ValueEdge } from './value-edges.js';

export interface SubgraphOptions {
  /** Neighbourhood radius in hops (default 2). */
  radius: number;
  /** The configured ceiling for `radius`; asking for more is LIMIT_EXCEEDED (default 4). */
  radiusLimit: number;
  /** Most addresses in the subgraph (default 500). */
  maxNodes: number;
  /** Work budget: most distinct transactions read (default 5,000). */
  maxTransactions: number;
  /** The neighbourhood is not expanded through addresses with these categories (default exchange). */
  stopAtCategories: readonly Category[];
  /** Asset whose edges make the graph; default the chain's native asset. */
  asset: AssetId | undefined;
  /** Smallest edge value per transaction, base units (default 1). */
  minValue: bigint;
  /** What a budget does when it runs out: 'truncate' (default) or 'error' (LIMIT_EXCEEDED). */
  onLimit: 'truncate' | 'error';
  /** Addresses per getFlows call when reading a cluster or address set (default 500). */
  batchSize: number;
}

export const DEFAULTS: SubgraphOptions = {
  radius: 2,
  radiusLimit: 4,
  maxNodes: 500,
  maxTransactions: 5_000,
  stopAtCategories: ['exchange'],
  asset: undefined,
  minValue: 1n,
  onLimit: 'truncate',
  batchSize: 500,
};

export interface SubgraphNode {
  address: AddressId;
  /** Hops from the centre (neighbourhood); null for cluster and address-set subgraphs. */
  level: number | null;
  /** Carries a stop category: its own counterparties were not read. */
  stopped: boolean;
}

export interface FlowEdge {
  from: AddressId;
  to: AddressId;
  /** Exact sum of the known values, base units of the subgraph's asset. */
  value: bigint;
  /** Transactions that carried value from `from` to `to`. */
  transactions: number;
  /** Of those, how many had an unknown value (not in `value`). */
  unvaluedTransactions: number;
}

export interface FlowSubgraph {
  kind: 'neighbourhood' | 'cluster' | 'addresses';
  /** The ego of a neighbourhood. */
  centre: AddressId | null;
  clusterId: string | null;
  chain: ChainKey;
  asset: AssetId;
  /** Sorted by address id. */
  nodes: SubgraphNode[];
  /** Sorted by (from, to). */
  edges: FlowEdge[];
  /** Distinct transactions read. */
  transactionsRead: number;
  /** Transactions with an edge of unknown value inside the subgraph, sorted. */
  unvaluedTransactions: TxId[];
  truncated: { reason: 'max-nodes' | 'budget'; detail: string } | null;
}

/** What clusterSubgraph needs from a cluster index (ClusterIndex has it). */
export interface ClusterMembers {
  size(clusterId: string): number;
  members(clusterId: string, page?: { offset?: number; limit?: number }): { items: AddressId[]; nextOffset: number | null };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function checkOptions(o: SubgraphOptions): void {
  if (!Number.isSafeInteger(o.radius) || o.radius < 0) throw invalidInput(`invalid radius ${String(o.radius)}: expected an integer >= 0`);
  if (o.radius > o.radiusLimit) throw limitExceeded(`radius ${o.radius} is above the configured limit of ${o.radiusLimit}`);
  if (!Number.isSafeInteger(o.maxNodes) || o.maxNodes < 1) throw invalidInput(`invalid maxNodes ${String(o.maxNodes)}: expected an integer >= 1`);
  if (!Number.isSafeInteger(o.maxTransactions) || o.maxTransactions < 1) throw invalidInput(`invalid maxTransactions ${String(o.maxTransactions)}: expected an integer >= 1`);
  if (!Number.isSafeInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > 10_000) throw invalidInput(`invalid batchSize ${String(o.batchSize)}: expected an integer between 1 and 10000`);
  if (typeof o.minValue !== 'bigint' || o.minValue < 1n) throw invalidInput(`invalid minValue ${String(o.minValue)}: expected a bigint >= 1 in base units`);
  if (o.onLimit !== 'truncate' && o.onLimit !== 'error') throw invalidInput(`invalid onLimit ${JSON.stringify(o.onLimit)}: expected "truncate" or "error"`);
  for (const c of o.stopAtCategories) {
    if (!(CATEGORIES as readonly string[]).includes(c)) throw invalidInput(`unknown category ${JSON.stringify(c)}: expected one of ${CATEGORIES.join(', ')}`);
  }
}

/** Reads flows and transactions of addresses, once each, within the transaction budget. */
class FlowReader {
  readonly txs = new Map<TxId, Transaction>();
  /** Address -> ids of its transactions (only for addresses read). */
  readonly txIdsOf = new Map<AddressId, TxId[]>();
  truncated: FlowSubgraph['truncated'] = null;

  constructor(
    private readonly graph: GraphReader,
    private readonly o: SubgraphOptions,
  ) {}

  /** Reads the addresses not read yet, in batches; false when the budget refused a batch (that batch and the later ones are not added). */
  async read(addresses: readonly AddressId[]): Promise<boolean> {
    const todo = [...new Set(addresses)].filter((a) => !this.txIdsOf.has(a)).sort(cmp);
    for (let i = 0; i < todo.length; i += this.o.batchSize) {
      const batch = todo.slice(i, i + this.o.batchSize);
      const flows = await this.graph.getFlows(batch, { side: 'both' });
      const ids = new Map<AddressId, TxId[]>();
      const missing = new Set<TxId>();
      for (const a of batch) {
        const list = [...new Set((flows.get(a) ?? []).map((f) => f.txId))];
        ids.set(a, list);
        for (const id of list) if (!this.txs.has(id)) missing.add(id);
      }
      if (this.txs.size + missing.size > this.o.maxTransactions) {
        const detail = `reading ${batch.length} more address(es) would read ${this.txs.size + missing.size} transactions, more than maxTransactions ${this.o.maxTransactions}`;
        if (this.o.onLimit === 'error') throw limitExceeded(detail, { limit: this.o.maxTransactions });
        this.truncated ??= { reason: 'budget', detail };
        return false;
      }
      if (missing.size > 0) for (const [id, tx] of await this.graph.getTransactions([...missing].sort(cmp))) this.txs.set(id, tx);
      for (const [a, list] of ids) this.txIdsOf.set(a, list);
    }
    return true;
  }

  /** Value edges of the asset in the transactions of `address` that touch it. */
  incident(address: AddressId, asset: AssetId): ValueEdge[] {
    const out: ValueEdge[] = [];
    for (const id of this.txIdsOf.get(address) ?? []) {
      const tx = this.txs.get(id);
      if (!tx) continue;
      for (const e of valueEdges(tx, this.o.minValue)) if (e.asset === asset && (e.from === address || e.to === address)) out.push(e);
    }
    return out;
  }
}

async function stopSet(graph: GraphReader, addresses: readonly AddressId[], categories: readonly Category[]): Promise<Set<AddressId>> {
  const stopped = new Set<AddressId>();
  if (addresses.length === 0 || categories.length === 0) return stopped;
  const wanted = new Set<string>(categories);
  const labels = await graph.getLabels(addresses);
  for (const a of addresses) if ((labels.get(a) ?? []).some((l) => wanted.has(l.category))) stopped.add(a);
  return stopped;
}

function assemble(
  reader: FlowReader,
  minValue: bigint,
  base: Pick<FlowSubgraph, 'kind' | 'centre' | 'clusterId' | 'chain' | 'asset'>,
  nodes: SubgraphNode[],
  truncated: FlowSubgraph['truncated'],
): FlowSubgraph {
  const inside = new Set(nodes.map((n) => n.address));
  const byPair = new Map<string, FlowEdge>();
  const seen = new Set<string>();
  const unvalued = new Set<TxId>();
  for (const tx of reader.txs.values()) {
    for (const e of valueEdges(tx, minValue)) {
      if (e.asset !== base.asset || !inside.has(e.from) || !inside.has(e.to)) continue;
      const key = `${e.from}\n${e.to}`;
      const txKey = `${key}\n${e.txId}`;
      if (seen.has(txKey)) continue;
      seen.add(txKey);
      const edge = byPair.get(key) ?? { from: e.from, to: e.to, value: 0n, transactions: 0, unvaluedTransactions: 0 };
      byPair.set(key, edge);
      edge.transactions += 1;
      if (e.value === null) {
        edge.unvaluedTransactions += 1;
        unvalued.add(e.txId);
      } else edge.value += e.value;
    }
  }
  return {
    ...base,
    nodes: [...nodes].sort((a, b) => cmp(a.address, b.address)),
    edges: [...byPair.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to)),
    transactionsRead: reader.txs.size,
    unvaluedTransactions: [...unvalued].sort(cmp),
    truncated: truncated ?? reader.truncated,
  };
}

/**
 * The `radius`-hop neighbourhood of `address` and the edges among its addresses. Cost: one getFlows and
 * one getTransactions call per level (per `batchSize` addresses), one getLabels call per level, plus one
 * more read for the edges among the outermost level. Errors: NOT_FOUND (unknown address), INVALID_INPUT,
 * LIMIT_EXCEEDED (radius above its limit; a budget with onLimit 'error').
 */
export async function neighbourhoodSubgraph(graph: GraphReader, input: { address: AddressId }, options: Partial<SubgraphOptions> = {}): Promise<FlowSubgraph> {
  const o: SubgraphOptions = { ...DEFAULTS, ...options };
  checkOptions(o);
  const centre = input.address;
  const chain = chainOfId(centre);
  if (!(await graph.getAddresses([centre])).has(centre)) throw notFound(`address ${centre} is not in the graph`, { address: centre });
  const asset = o.asset ?? chainInfo(chain).nativeAsset;
  const reader = new FlowReader(graph, o);
  const level = new Map<AddressId, number>([[centre, 0]]);
  const stopped = await stopSet(graph, [centre], o.stopAtCategories);
  let truncated: FlowSubgraph['truncated'] = null;

  let frontier: AddressId[] = [centre];
  for (let d = 0; d < o.radius && frontier.length > 0; d++) {
    // The centre is always expanded, even when it is itself a stop address.
    const expand = frontier.filter((a) => a === centre || !stopped.has(a));
    if (!(await reader.read(expand))) break;
    const fresh = new Set<AddressId>();
    for (const a of expand) {
      for (const e of reader.incident(a, asset)) {
        const other = e.from === a ? e.to : e.from;
        if (!level.has(other)) fresh.add(other);
      }
    }
    let next = [...fresh].sort(cmp);
    if (level.size + next.length > o.maxNodes) {
      const detail = `the ${d + 1}-hop level adds ${next.length} addresses to ${level.size}, more than maxNodes ${o.maxNodes}`;
      if (o.onLimit === 'error') throw limitExceeded(detail, { limit: o.maxNodes });
      next = next.slice(0, o.maxNodes - level.size);
      truncated = { reason: 'max-nodes', detail: `${detail}: kept the first ${next.length} by id` };
    }
    for (const a of next) level.set(a, d + 1);
    for (const a of await stopSet(graph, next, o.stopAtCategories)) stopped.add(a);
    frontier = next;
    if (truncated) break;
  }
  // The outermost level's own transactions hold the edges among its addresses.
  await reader.read([...level.keys()].filter((a) => a === centre || !stopped.has(a)));

  const nodes = [...level.entries()].map(([address, l]) => ({ address, level: l, stopped: stopped.has(address) }));
  return assemble(reader, o.minValue, { kind: 'neighbourhood', centre, clusterId: null, chain, asset }, nodes, truncated);
}

/**
 * The given addresses (one chain) and the edges among them. Cost: one getFlows and one getTransactions
 * call per `batchSize` addresses. Errors: INVALID_INPUT (empty list, several chains), LIMIT_EXCEEDED.
 */
export async function inducedSubgraph(graph: GraphReader, input: { addresses: readonly AddressId[] }, options: Partial<SubgraphOptions> = {}): Promise<FlowSubgraph> {
  return induced(graph, input.addresses, { kind: 'addresses', clusterId: null }, { ...DEFAULTS, ...options });
}

/**
 * The members of cluster `clusterId` (at most maxNodes, in id order) and the edges among them.
 * Errors: NOT_FOUND (unknown cluster, from the index), INVALID_INPUT, LIMIT_EXCEEDED.
 */
export async function clusterSubgraph(
  graph: GraphReader,
  input: { clusters: ClusterMembers; clusterId: string },
  options: Partial<SubgraphOptions> = {},
): Promise<FlowSubgraph> {
  const o: SubgraphOptions = { ...DEFAULTS, ...options };
  checkOptions(o);
  const { clusters, clusterId } = input;
  const size = clusters.size(clusterId);
  let truncated: FlowSubgraph['truncated'] = null;
  if (size > o.maxNodes) {
    const detail = `cluster ${clusterId} has ${size} addresses, more than maxNodes ${o.maxNodes}`;
    if (o.onLimit === 'error') throw limitExceeded(detail, { clusterId, size, limit: o.maxNodes });
    truncated = { reason: 'max-nodes', detail: `${detail}: kept the first ${o.maxNodes} by id` };
  }
  const members: AddressId[] = [];
  let offset: number | null = 0;
  while (offset !== null && members.length < Math.min(size, o.maxNodes)) {
    const page: { items: AddressId[]; nextOffset: number | null } = clusters.members(clusterId, { offset, limit: Math.min(o.batchSize, o.maxNodes - members.length) });
    members.push(...page.items);
    offset = page.nextOffset;
  }
  const result = await induced(graph, members, { kind: 'cluster', clusterId }, o);
  return truncated ? { ...result, truncated } : result;
}

async function induced(
  graph: GraphReader,
  addresses: readonly AddressId[],
  base: Pick<FlowSubgraph, 'kind' | 'clusterId'>,
  o: SubgraphOptions,
): Promise<FlowSubgraph> {
  checkOptions(o);
  const list = [...new Set(addresses)].sort(cmp);
  if (list.length === 0) throw invalidInput('no addresses for the subgraph: expected at least one address id');
  const chains = new Set(list.map((a) => chainOfId(a)));
  if (chains.size > 1) throw invalidInput(`subgraph addresses span several chains (${[...chains].join(', ')}): expected one chain`);
  if (list.length > o.maxNodes) {
    if (o.onLimit === 'error') throw limitExceeded(`${list.length} addresses, more than maxNodes ${o.maxNodes}`, { limit: o.maxNodes });
  }
  const kept = list.slice(0, o.maxNodes);
  const chain = [...chains][0]!;
  const asset = o.asset ?? chainInfo(chain).nativeAsset;
  // Every member is read, services included: the edges among an entity's own addresses are the point.
  const reader = new FlowReader(graph, o);
  await reader.read(kept);
  const truncated: FlowSubgraph['truncated'] =
    list.length > kept.length ? { reason: 'max-nodes', detail: `${list.length} addresses, more than maxNodes ${o.maxNodes}: kept the first ${kept.length} by id` } : null;
  const nodes = kept.map((address) => ({ address, level: null, stopped: false }));
  return assemble(reader, o.minValue, { ...base, centre: null, chain, asset }, nodes, truncated);
}

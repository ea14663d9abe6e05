/**
 * Cluster ids in Neo4j: the entity clusters of ClusterIndex (src/analytics/clustering/cluster-index.ts)
 * written back to the graph, so that Cypher (and anyone querying Neo4j) sees them:
 *
 *   (:Address {clusterId})   the cluster id: the smallest address id of the cluster, as ClusterIndex.clusterOf
 *   (:Cluster {id, size})    one node per cluster (singletons included)
 *
 * Why write-back from the same union-find, not clusters maintained per batch in Cypher:
 * - one definition: the multi-input rule with BlockSci's CoinJoin exclusion (coinjoin.ts: most common output
 *   value, participant count, dust values, an unknown input counted as one more address), the opt-in change
 *   merges with their size guard, and Ethereum deposit reuse (value and height windows, exchange labels) live
 *   in TypeScript with their tests; a Cypher copy would be a second implementation to keep equal;
 * - evidence: ClusterIndex records, for every union, the transaction and reason (a spanning tree per
 *   cluster); per-batch Cypher merges (relabel the smaller cluster) would not keep it without the same code;
 * - incremental and exact: the union-find already follows the store block by block (pending inputs resolved
 *   by later blocks, labels that arrive later), so the write-back only has to copy what changed;
 * - cost: a union-find merge is near-constant time in memory, while relabelling a cluster in Cypher rewrites
 *   every member of the smaller side per merge; the write-back rewrites only the clusters a block touched.
 *
 * Keeping in step: `followClusterIds` writes, after each block the index has applied, the clusters of the
 * addresses the block touched (a merge always involves one of them: an input of the block's transactions,
 * an address resolved by it, or the sender or deposit address of its transfers); after a label change that
 * merged clusters (deposit reuse) it rewrites everything. Cluster ids are written, never computed, here.
 */
import type { AddressId } from '../../../model/address.js';
import type { ClusterId, ClusterIndex, ClusterRef, Page, PageOf } from '../../../analytics/clustering/index.js';
import { invalidInput } from '../../../errors.js';
import type { GraphStore } from '../../graph-store.js';
import { readCypher, writeCypher, type Neo4jAnalyticsContext } from './connection.js';

const DEFAULT_BATCH = 5_000;
const MAX_PAGE = 10_000;

export interface ClusterWriteResult {
  /** Addresses whose cluster id was written. */
  addresses: number;
  /** Clusters written. */
  clusters: number;
  /** :Cluster nodes deleted (clusters merged away). */
  deleted: number;
}

/**
 * Writes the cluster id of every stored address (null for one no fed transaction mentions) and one
 * :Cluster node per cluster, in UNWIND batches of `batchSize` addresses (default 5,000), then deletes the
 * :Cluster nodes of clusters that no longer exist. Idempotent. Cost: one read and one write per batch.
 */
export async function writeClusterIds(ctx: Neo4jAnalyticsContext, index: ClusterIndex, options: { batchSize?: number } = {}): Promise<ClusterWriteResult> {
  const batchSize = checkBatch(options.batchSize);
  const stamp = newStamp();
  let after: string | null = null;
  let addresses = 0;
  const clusters = new Set<ClusterId>();
  for (;;) {
    const page: { id: AddressId }[] = await readCypher<{ id: AddressId }>(ctx, 'cluster-ids-addresses', { after, limit: batchSize });
    if (page.length === 0) break;
    const members = page.map((r) => ({ id: r.id, clusterId: index.clusterOf(r.id)?.id ?? null }));
    const refs = new Map<ClusterId, number>();
    for (const r of page) {
      const ref = index.clusterOf(r.id);
      if (ref) refs.set(ref.id, ref.size);
    }
    await writeCypher(ctx, 'cluster-ids-write', { members, clusters: [...refs].map(([id, size]) => ({ id, size })), stamp });
    for (const id of refs.keys()) clusters.add(id);
    addresses += page.length;
    after = page[page.length - 1]!.id;
  }
  const deleted = (await writeCypher<{ deleted: number }>(ctx, 'cluster-ids-drop-stale', { stamp }))[0]?.deleted ?? 0;
  return { addresses, clusters: clusters.size, deleted };
}

/**
 * Rewrites the clusters the given addresses belong to now (every member of each), clears the cluster id of
 * given addresses the index does not know, and deletes the :Cluster nodes of the members' former clusters
 * that were merged away. The incremental step after a block. Cost: one read and one write per 5,000 members.
 */
export async function writeClustersOf(ctx: Neo4jAnalyticsContext, index: ClusterIndex, addresses: readonly AddressId[]): Promise<ClusterWriteResult> {
  const roots = new Map<ClusterId, number>();
  const unknown: AddressId[] = [];
  for (const a of new Set(addresses)) {
    const ref = index.clusterOf(a);
    if (ref) roots.set(ref.id, ref.size);
    else unknown.push(a);
  }
  const members: { id: AddressId; clusterId: ClusterId | null }[] = unknown.map((id) => ({ id, clusterId: null }));
  for (const root of roots.keys()) {
    for (let offset: number | null = 0; offset !== null; ) {
      const page: PageOf<AddressId> = index.members(root, { offset, limit: MAX_PAGE });
      for (const id of page.items) members.push({ id, clusterId: root });
      offset = page.nextOffset;
    }
  }
  const before = await neo4jClusterOf(ctx, members.map((m) => m.id));
  const stale = new Set<ClusterId>();
  for (const ref of before.values()) if (ref && index.clusterOf(ref.id)?.id !== ref.id) stale.add(ref.id);
  const stamp = newStamp();
  const clusters = [...roots].map(([id, size]) => ({ id, size }));
  for (let i = 0; i < Math.max(members.length, 1); i += DEFAULT_BATCH) {
    await writeCypher(ctx, 'cluster-ids-write', { members: members.slice(i, i + DEFAULT_BATCH), clusters: i === 0 ? clusters : [], stamp });
  }
  const deleted = stale.size > 0 ? ((await writeCypher<{ deleted: number }>(ctx, 'cluster-ids-delete', { ids: [...stale] }))[0]?.deleted ?? 0) : 0;
  return { addresses: members.length, clusters: clusters.length, deleted };
}

/**
 * The written cluster of each address ({ id, size }), null when none is written; addresses the graph does
 * not know are absent. One query per 5,000 addresses.
 */
export async function neo4jClusterOf(ctx: Neo4jAnalyticsContext, addresses: readonly AddressId[]): Promise<Map<AddressId, ClusterRef | null>> {
  const out = new Map<AddressId, ClusterRef | null>();
  const unique = [...new Set(addresses)];
  for (let i = 0; i < unique.length; i += DEFAULT_BATCH) {
    type Row = { id: AddressId; clusterId: ClusterId | null; size: number | null };
    for (const r of await readCypher<Row>(ctx, 'cluster-of', { ids: unique.slice(i, i + DEFAULT_BATCH) })) {
      out.set(r.id, r.clusterId === null ? null : { id: r.clusterId, size: r.size ?? 0 });
    }
  }
  return out;
}

/** Members of a written cluster in ascending address order (limit 1..10,000, default 100), from Neo4j. */
export async function neo4jClusterMembers(ctx: Neo4jAnalyticsContext, clusterId: ClusterId, page: Page = {}): Promise<AddressId[]> {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? 100;
  if (!Number.isInteger(offset) || offset < 0) throw invalidInput(`page offset must be an integer >= 0, got ${String(offset)}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw invalidInput(`page limit must be an integer between 1 and ${MAX_PAGE}, got ${String(limit)}`);
  return (await readCypher<{ id: AddressId }>(ctx, 'cluster-members', { clusterId, offset, limit })).map((r) => r.id);
}

export interface ClusterIdFollower {
  /** Resolves when every change received so far is written; rethrows a failed write. */
  idle(): Promise<void>;
  /** Stops following the store. */
  close(): void;
}

/**
 * Keeps the written cluster ids in step with an index that follows the same store (`index.follow(store)`):
 * after the index has applied a block, the clusters of its touched addresses are rewritten; after a label
 * change that merged clusters, everything is. Call after a first `writeClusterIds`.
 */
export function followClusterIds(ctx: Neo4jAnalyticsContext, index: ClusterIndex, store: Pick<GraphStore, 'onChange'>): ClusterIdFollower {
  let queue: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  let clusters = index.stats().clusters;
  const unsubscribe = store.onChange((change) => {
    queue = queue
      .then(async () => {
        // Listeners run in turn when the store emits, so the index has this change queued by now.
        await index.idle();
        if (change.kind === 'block') await writeClustersOf(ctx, index, change.addresses);
        else if (index.stats().clusters !== clusters) await writeClusterIds(ctx, index);
        clusters = index.stats().clusters;
      })
      .catch((err: unknown) => {
        failure ??= err;
      });
  });
  return {
    async idle() {
      let seen: Promise<void>;
      do {
        seen = queue;
        await seen;
      } while (seen !== queue);
      if (failure) {
        const err = failure;
        failure = null;
        throw err;
      }
    },
    close: unsubscribe,
  };
}

function checkBatch(batchSize: number | undefined): number {
  const n = batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(n) || n < 1 || n > 50_000) throw invalidInput(`batchSize must be an integer between 1 and 50000, got ${String(n)}`);
  return n;
}

function newStamp(): string {
  return `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Per-request context: who is asking (the API key's principal), the app, and per-request DataLoaders, so
 * that one request's lookups are batched into one store call per kind and tick, and nothing is cached
 * across requests. `reader` is a GraphReader whose reads go through those loaders: analytics run inside a
 * request (cluster labels, hop distance, risk) batch with each other and with the resolvers around them.
 */
import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { App } from '../app.js';
import type { AddressId, TxId } from '../model/address.js';
import type { Category, StoredLabel } from '../model/label.js';
import type { Transaction } from '../model/transaction.js';
import type { AddressSummary, Flow, FlowQuery, GraphReader, GraphStats, GraphStore } from '../store/graph-store.js';
import type { ApiKeyStore } from './auth/api-key-store.js';
import type { Principal } from './auth/api-keys.js';
import { fromMap } from './batch.js';
import { createComplianceLoaders, type ComplianceAccess } from './compliance-access.js';
import { fullRisk, screeningRisk, type RiskView } from './risk.js';

export interface Loaders {
  address: DataLoader<AddressId, AddressSummary | null>;
  transaction: DataLoader<TxId, Transaction | null>;
  labels: DataLoader<AddressId, StoredLabel[]>;
  /** Keyed by `flowKey(address, query)`: one store call per distinct query per tick. */
  flows: DataLoader<string, Flow[]>;
  /** The address's cluster and the label categories of its members, itself included (null: in no transaction). */
  clusterFacts: DataLoader<AddressId, ClusterFacts | null>;
  /** The full risk assessment of an address (risk.ts), once per request. */
  risk: DataLoader<AddressId, RiskView>;
  /** The screening risk assessment of an address (risk.ts), once per request. */
  screeningRisk: DataLoader<AddressId, RiskView>;
}

export interface ClusterFacts {
  id: string;
  size: number;
  categories: Category[];
}

export interface ApiContext {
  app: App;
  store: GraphStore;
  /** A GraphReader over this request's loaders. */
  reader: GraphReader;
  loaders: Loaders;
  /** Null only for requests that touch nothing but introspection. */
  principal: Principal | null;
  keys: ApiKeyStore;
  /** Logged with internal errors and written in audit entries. */
  requestId: string;
  /** The compliance domain with this request's actor, when the app has one and a key was presented. */
  compliance: ComplianceAccess | null;
  /** Drops every cached read (after a mutation, so that later fields see its effect). */
  clearLoaders(): void;
  log: (line: string) => void;
}

const QUERY_FIELDS = ['side', 'minHeight', 'maxHeight', 'minTime', 'maxTime', 'minValue'] as const;

/** The loader key of an address's flows under a query. */
export function flowKey(address: AddressId, query: FlowQuery = {}): string {
  const parts = QUERY_FIELDS.map((f) => (query[f] === undefined ? '' : String(query[f])));
  return `${parts.join(',')}\n${address}`;
}

function parseFlowKey(key: string): { address: AddressId; queryKey: string; query: FlowQuery } {
  const nl = key.indexOf('\n');
  const queryKey = key.slice(0, nl);
  const parts = queryKey.split(',');
  const query: FlowQuery = {};
  if (parts[0]) query.side = parts[0] as FlowQuery['side'];
  const num = (i: number): number | undefined => (parts[i] ? Number(parts[i]) : undefined);
  if (parts[1]) query.minHeight = num(1);
  if (parts[2]) query.maxHeight = num(2);
  if (parts[3]) query.minTime = num(3);
  if (parts[4]) query.maxTime = num(4);
  if (parts[5]) query.minValue = BigInt(parts[5]);
  return { address: key.slice(nl + 1), queryKey, query };
}

async function loadAll<K, V>(loader: DataLoader<K, V>, keys: readonly K[]): Promise<V[]> {
  const values = await loader.loadMany(keys);
  for (const v of values) if (v instanceof Error) throw v;
  return values as V[];
}

/** A GraphReader whose batched reads go through the request's loaders (and share their cache). */
function loaderReader(store: GraphStore, loaders: Loaders): GraphReader {
  const toMap = async <K, V>(loader: DataLoader<K, V | null>, ids: readonly K[]): Promise<Map<K, V>> => {
    const unique = [...new Set(ids)];
    const values = await loadAll(loader, unique);
    const map = new Map<K, V>();
    unique.forEach((id, i) => {
      const v = values[i];
      if (v !== null && v !== undefined) map.set(id, v as V);
    });
    return map;
  };
  const byCategory = new Map<string, Promise<AddressId[]>>();
  let stats: Promise<GraphStats> | null = null;
  return {
    getTransactions: (ids) => toMap(loaders.transaction, ids),
    getAddresses: (ids) => toMap(loaders.address, ids),
    async getLabels(ids) {
      const unique = [...new Set(ids)];
      const values = await loadAll(loaders.labels, unique);
      const map = new Map<AddressId, StoredLabel[]>();
      unique.forEach((id, i) => {
        if (values[i]!.length > 0) map.set(id, values[i]!);
      });
      return map;
    },
    async getFlows(ids, query) {
      const unique = [...new Set(ids)];
      const values = await loadAll(loaders.flows, unique.map((a) => flowKey(a, query)));
      const map = new Map<AddressId, Flow[]>();
      unique.forEach((id, i) => {
        if (values[i]!.length > 0) map.set(id, values[i]!);
      });
      return map;
    },
    findAddressesByCategory(categories: readonly Category[]) {
      const key = [...categories].sort().join(',');
      let p = byCategory.get(key);
      if (!p) byCategory.set(key, (p = store.findAddressesByCategory(categories)));
      return p;
    },
    blockHeight: (chain, hash) => store.blockHeight(chain, hash),
    findTransactionsByHeight: (chain, from, to) => store.findTransactionsByHeight(chain, from, to),
    stats: () => (stats ??= store.stats()),
  };
}

export interface ContextOptions {
  app: App;
  keys: ApiKeyStore;
  principal: Principal | null;
  log?: (line: string) => void;
  requestId?: string;
}

export function createContext(options: ContextOptions): ApiContext {
  const { app, keys, principal } = options;
  const { store } = app;
  const log = options.log ?? console.error;
  const requestId = options.requestId ?? randomUUID();

  const makeLoaders = (): Loaders => {
    const loaders = {} as Loaders;
    loaders.address = new DataLoader(fromMap((ids) => store.getAddresses(ids), null));
    loaders.transaction = new DataLoader(fromMap((ids) => store.getTransactions(ids), null));
    loaders.labels = new DataLoader(fromMap((ids) => store.getLabels(ids), [] as StoredLabel[]));
    loaders.flows = new DataLoader(async (keys: readonly string[]) => {
      const groups = new Map<string, { query: FlowQuery; addresses: AddressId[] }>();
      const parsed = keys.map(parseFlowKey);
      for (const p of parsed) {
        const g = groups.get(p.queryKey);
        if (g) g.addresses.push(p.address);
        else groups.set(p.queryKey, { query: p.query, addresses: [p.address] });
      }
      const results = new Map<string, Map<AddressId, Flow[]>>();
      await Promise.all([...groups].map(async ([qk, g]) => results.set(qk, await store.getFlows(g.addresses, g.query))));
      return parsed.map((p) => results.get(p.queryKey)!.get(p.address) ?? []);
    });
    // The cluster index keeps each cluster's label categories: no read of the members' labels, whatever the size.
    loaders.clusterFacts = new DataLoader(async (ids: readonly AddressId[]) => {
      // Label changes already committed are applied first (their failures stay for ClusterIndex.idle).
      await app.clusters.drained();
      return ids.map((id) => {
        const ref = app.clusters.clusterOf(id);
        return ref ? { id: ref.id, size: ref.size, categories: app.clusters.labelCategories(ref.id) } : null;
      });
    });
    // One failing address yields an Error for its key only, not for the whole batch.
    const each = (score: (ctx: ApiContext, id: AddressId) => Promise<RiskView>) => async (ids: readonly AddressId[]) =>
      Promise.all(ids.map((id) => score(ctx, id).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))));
    loaders.risk = new DataLoader(each(fullRisk));
    loaders.screeningRisk = new DataLoader(each(screeningRisk));
    return loaders;
  };

  // The loaders' batch functions read `ctx` when they run (risk scores), never while being built.
  const loaders = makeLoaders();
  const ctx: ApiContext = {
    app,
    store,
    reader: loaderReader(store, loaders),
    loaders,
    principal,
    keys,
    requestId,
    compliance: createComplianceLoaders(app, principal, requestId),
    log,
    clearLoaders() {
      ctx.loaders = makeLoaders();
      ctx.reader = loaderReader(store, ctx.loaders);
      ctx.compliance?.clear();
    },
  };
  return ctx;
}

/**
 * The composition root: opens the store and builds the in-memory analytics indexes that follow it (entity
 * clusters; the screening distance index joins here). The service, the CLI and the benchmarks all assemble
 * Ariadne through `createApp`, so that they run the same thing.
 */
import { ClusterIndex } from './analytics/clustering/index.js';
import { ProximityIndex } from './analytics/proximity/index.js';
import { createComplianceService, type ComplianceService } from './compliance/compliance-service.js';
import type { Config } from './config.js';
import type { TxId } from './model/address.js';
import type { ChainKey } from './model/chain.js';
import type { ComplianceStore } from './store/compliance-store.js';
import { openComplianceStore, openStore } from './store/open-store.js';
import type { GraphStore } from './store/graph-store.js';

export interface App {
  config: Config;
  store: GraphStore;
  clusters: ClusterIndex;
  /** Distance of every address to the nearest sanctioned one, kept in step with the store: screening. */
  proximity: ProximityIndex;
  /** KYC customers, monitoring rules, alerts, reports and the audit trail, in the same database. */
  compliance: ComplianceService;
  complianceStore: ComplianceStore;
  close(): Promise<void>;
}

export interface AppOptions {
  log?: (line: string) => void;
  /** Use this store instead of opening the configured one (tests). */
  store?: GraphStore;
}

/** Every stored transaction id, chain by chain, in chain order. */
export async function allTransactionIds(store: GraphStore): Promise<TxId[]> {
  const stats = await store.stats();
  const ids: TxId[] = [];
  for (const chain of Object.keys(stats.perChain)) {
    if (stats.perChain[chain]!.transactions === 0) continue;
    // A loop, not push(...list): spreading a million ids overflows the call stack.
    for (const id of await store.findTransactionsByHeight(chain as ChainKey, 0, Number.MAX_SAFE_INTEGER)) ids.push(id);
  }
  return ids;
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? (() => {});
  const store = options.store ?? (await openStore(config));
  // Whatever was started is stopped again if a later step fails, so a failed start leaks nothing.
  const undo: (() => Promise<void> | void)[] = [() => store.close()];
  const unwind = async () => {
    for (const step of undo.reverse()) await Promise.resolve(step()).catch(() => {});
  };
  try {
    const started = performance.now();
    const clusters = await ClusterIndex.build(store, await allTransactionIds(store));
    const unfollow = clusters.follow(store);
    undo.push(async () => {
      unfollow();
      await clusters.idle().catch(() => {});
    });
    log(`ariadne: cluster index built in ${((performance.now() - started) / 1000).toFixed(1)} s (${clusters.stats().clusters} clusters)`);
    const proximityStarted = performance.now();
    // A failed update is logged (to stderr without a log) and rebuilt in the background; screening says it is stale meanwhile.
    const proximity = await ProximityIndex.build(store, { maxHops: config.limits.maxHops, maxHopsLimit: config.limits.maxHops, ...(options.log ? { log: options.log } : {}) });
    undo.push(async () => {
      await proximity.idle().catch(() => {});
      proximity.close();
    });
    log(`ariadne: screening index built in ${((performance.now() - proximityStarted) / 1000).toFixed(1)} s`);
    const complianceStore = await openComplianceStore(store);
    const compliance = await createComplianceService(store, complianceStore);
    // Monitoring rules run on every new block touching a customer's addresses; failures are logged, never fatal.
    const detach = compliance.attach(store, { onError: (err) => log(`ariadne: monitoring failed: ${err instanceof Error ? err.message : String(err)}`) });
    undo.push(detach);
    return { config, store, clusters, proximity, compliance, complianceStore, close: unwind };
  } catch (err) {
    await unwind();
    throw err;
  }
}

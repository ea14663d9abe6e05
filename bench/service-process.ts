/**
 * The service side of the benchmarks, run as a child process (bench/index.ts forks it) so that its memory
 * is the service's alone: it assembles Ariadne with `createApp` over an existing store (the store, the
 * cluster index and the screening index, as `npm start` does), then answers the parent's requests over
 * IPC: in-process latency runs (screening, trace, taint, peel chains), the GraphQL service on a loopback
 * port for the HTTP load run, and its peak and current RSS.
 *
 * Protocol: the parent sends `{ id, cmd, args }`; the child answers `{ id, ok: true, result }` or
 * `{ id, ok: false, error }`. Commands: open, screen, analytics, http, memory, close.
 */
import { hopDistance } from '../src/analytics/proximity/index.js';
import { scanPeelChains } from '../src/analytics/peel-chain/index.js';
import { propagateTaint } from '../src/analytics/taint/index.js';
import { createApiKey, openApiKeyStore } from '../src/api/auth/api-keys.js';
import { shortestEvidence } from '../src/api/graph/shortest-evidence.js';
import { API_LIMITS } from '../src/api/limits.js';
import { startService, type RunningService } from '../src/api/server.js';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { AddressId, TxId } from '../src/model/address.js';
import { openEmbeddedStore } from '../src/store/embedded/embedded-store.js';
import type { GraphStore } from '../src/store/graph-store.js';
import { memoryFigures, summarize, type LatencySummary } from './stats.js';

export interface OpenArgs {
  engine: 'embedded' | 'neo4j';
  dataDir: string;
  neo4j?: { uri: string; user: string; password: string; database: string };
}

export interface OpenResult {
  openMs: number;
  appMs: number;
  proximity: { addresses: number; edges: number; targets: number; stops: number };
  memory: ReturnType<typeof memoryFigures>;
}

export interface ScreenArgs {
  /** Addresses screened one per call. */
  singles: AddressId[];
  /** Batches screened one batch per call. */
  batches: AddressId[][];
  maxHops: number;
  /** How many of `singles` also get a fresh store traversal (hopDistance), the pre-index way. */
  freshSamples: number;
  /** How many of `batches` also go through the API's batch evidence (src/api/graph/shortest-evidence.ts). */
  apiBatches: number;
}

export interface ScreenResult {
  single: LatencySummary;
  /** Mean cost of the O(1) distance lookup (decision without evidence), ms. */
  distanceMeanMs: number;
  /** A batch's decisions only: one index lookup per address. */
  batchDecisions: LatencySummary;
  /** A batch with evidence, ProximityIndex.screen per address (its link cache warm or not). */
  batch: LatencySummary;
  /** A batch with evidence as the API computes it (shortestEvidence for the whole batch). */
  apiBatch: LatencySummary | null;
  fresh: LatencySummary | null;
  /** Distance of each single, in order (for the cross-check against the baseline). */
  distances: (number | null)[];
  /** Distances seen (null = none within maxHops): how many singles at each. */
  histogram: Record<string, number>;
  /** This process's memory after the singles and the per-address batches (before apiBatch and fresh). */
  memory: ReturnType<typeof memoryFigures>;
}

export interface AnalyticsArgs {
  taintSources: TxId[];
  traceSources: TxId[];
  maxHops: number;
  peelWindows: { fromHeight: number; toHeight: number }[];
}

export interface AnalyticsResult {
  taint: LatencySummary;
  taintTruncated: number;
  taintTransactions: number;
  trace: LatencySummary;
  traceTruncated: number;
  traceTransactions: number;
  peel: LatencySummary;
  peelChains: number;
  peelTransactions: number;
  memory: ReturnType<typeof memoryFigures>;
}

let app: App | null = null;
let service: RunningService | null = null;

async function open(args: OpenArgs): Promise<OpenResult> {
  const t0 = performance.now();
  const env: NodeJS.ProcessEnv = { ARIADNE_DATA_DIR: args.dataDir, ARIADNE_SEED_DEMO: 'false', ARIADNE_STORE: args.engine };
  if (args.neo4j) Object.assign(env, { NEO4J_URI: args.neo4j.uri, NEO4J_USER: args.neo4j.user, NEO4J_PASSWORD: args.neo4j.password, NEO4J_DATABASE: args.neo4j.database });
  const config = loadConfig(env);
  let store: GraphStore;
  if (args.engine === 'embedded') store = await openEmbeddedStore({ dir: args.dataDir });
  else {
    const { openNeo4jStore } = await import('../src/store/neo4j/neo4j-store.js');
    store = await openNeo4jStore(config.neo4j);
  }
  const t1 = performance.now();
  app = await createApp(config, { store });
  const t2 = performance.now();
  return { openMs: t1 - t0, appMs: t2 - t1, proximity: app.proximity.stats(), memory: memoryFigures() };
}

async function screen(args: ScreenArgs): Promise<ScreenResult> {
  const a = app!;
  const options = { direction: 'both' as const, maxHops: args.maxHops };
  // Warm-up: JIT and caches, not recorded.
  for (const address of args.singles.slice(0, 50)) await a.proximity.screen(address, options);

  const single: number[] = [];
  const distances: (number | null)[] = [];
  for (const address of args.singles) {
    const t = performance.now();
    const r = await a.proximity.screen(address, options);
    single.push(performance.now() - t);
    distances.push(r.distance);
  }

  const rounds = 200;
  const t0 = performance.now();
  let sink = 0;
  for (let r = 0; r < rounds; r++) for (const address of args.singles) sink += a.proximity.distance(address, 'both') ?? 0;
  const distanceMeanMs = (performance.now() - t0) / (rounds * args.singles.length);
  if (sink < 0) throw new Error('unreachable');

  const batchDecisions: number[] = [];
  for (const list of args.batches) {
    const t = performance.now();
    await a.proximity.idle();
    let reached = 0;
    for (const address of list) if ((a.proximity.distance(address, 'both') ?? Infinity) <= args.maxHops) reached++;
    batchDecisions.push(performance.now() - t);
    if (reached < 0) throw new Error('unreachable');
  }
  const batch: number[] = [];
  for (const list of args.batches) {
    const t = performance.now();
    for (const address of list) await a.proximity.screen(address, options);
    batch.push(performance.now() - t);
  }
  // Memory of screening proper, before the heavier batch evidence and fresh traversals below.
  const memory = memoryFigures();
  // A batch as the API screens it: the index's distances, then the evidence of the whole batch at once.
  const apiBatch: number[] = [];
  for (const list of args.batches.slice(0, args.apiBatches)) {
    const t = performance.now();
    await a.proximity.idle();
    const sources = list.map((address) => {
      const d = a.proximity.distance(address, 'both');
      return { address, distance: d !== null && d <= args.maxHops ? d : null };
    });
    await shortestEvidence(a.store, sources, {
      direction: 'both',
      categories: a.proximity.options.categories,
      stopAtCategories: a.proximity.options.stopAtCategories,
      minValue: a.proximity.options.minValue,
      maxPaths: API_LIMITS.maxPaths,
      distanceOf: (x) => a.proximity.distance(x, 'both'),
    });
    apiBatch.push(performance.now() - t);
  }

  let fresh: LatencySummary | null = null;
  if (args.freshSamples > 0) {
    const times: number[] = [];
    for (const address of args.singles.slice(0, args.freshSamples)) {
      const t = performance.now();
      await hopDistance(a.store, address, { direction: 'both', maxHops: args.maxHops });
      times.push(performance.now() - t);
    }
    fresh = summarize(times);
  }

  const histogram: Record<string, number> = {};
  for (const d of distances) histogram[String(d)] = (histogram[String(d)] ?? 0) + 1;
  return {
    single: summarize(single),
    distanceMeanMs,
    batchDecisions: summarize(batchDecisions),
    batch: summarize(batch),
    apiBatch: apiBatch.length > 0 ? summarize(apiBatch) : null,
    fresh,
    distances,
    histogram,
    memory,
  };
}

async function analytics(args: AnalyticsArgs): Promise<AnalyticsResult> {
  const a = app!;
  const cap = a.config.limits.maxHops;
  const budget = API_LIMITS.defaultTraceTransactions;
  const taint: number[] = [];
  let taintTruncated = 0;
  let taintTransactions = 0;
  for (const txId of args.taintSources) {
    const t = performance.now();
    const r = await propagateTaint(a.store, { txId }, { model: 'haircut', direction: 'forward', maxHops: args.maxHops, maxHopsLimit: cap, maxTransactions: budget });
    taint.push(performance.now() - t);
    if (r.truncated?.reason === 'budget') taintTruncated++;
    taintTransactions += r.transactions.length;
  }
  // `trace` as the API runs it: the poison model, stopping at exchanges.
  const trace: number[] = [];
  let traceTruncated = 0;
  let traceTransactions = 0;
  for (const txId of args.traceSources) {
    const t = performance.now();
    const r = await propagateTaint(a.store, { txId }, { model: 'poison', direction: 'forward', maxHops: args.maxHops, maxHopsLimit: cap, stopAtCategories: ['exchange'], maxTransactions: budget });
    trace.push(performance.now() - t);
    if (r.truncated?.reason === 'budget') traceTruncated++;
    traceTransactions += r.transactions.length;
  }
  const peel: number[] = [];
  let peelChains = 0;
  let peelTransactions = 0;
  for (const w of args.peelWindows) {
    const t = performance.now();
    const r = await scanPeelChains(a.store, { chain: 'btc', fromHeight: w.fromHeight, toHeight: w.toHeight }, { onBudget: 'truncate' });
    peel.push(performance.now() - t);
    peelChains += r.chains.length;
    peelTransactions += r.transactionsRead;
  }
  return {
    taint: summarize(taint),
    taintTruncated,
    taintTransactions,
    trace: summarize(trace),
    traceTruncated,
    traceTransactions,
    peel: summarize(peel),
    peelChains,
    peelTransactions,
    memory: memoryFigures(),
  };
}

async function http(): Promise<{ url: string; key: string }> {
  const a = app!;
  const keys = openApiKeyStore(a);
  const { key } = await createApiKey(keys, 'screening', { name: 'benchmark' });
  service = await startService({ app: a, host: '127.0.0.1', port: 0, keys, log: () => {}, onDevelopmentKey: () => {} });
  return { url: service.graphqlUrl, key };
}

async function close(): Promise<void> {
  await service?.close();
  await app?.close();
  service = null;
  app = null;
}

const commands: Record<string, (args: never) => Promise<unknown>> = {
  open,
  screen,
  analytics,
  http,
  memory: async () => memoryFigures(),
  close,
};

process.on('message', (message: { id: number; cmd: string; args: unknown }) => {
  const run = commands[message.cmd];
  const reply = (body: object): void => {
    process.send!({ id: message.id, ...body });
  };
  if (!run) {
    reply({ ok: false, error: `unknown command ${message.cmd}` });
    return;
  }
  run(message.args as never).then(
    (result) => reply({ ok: true, result }),
    (err: unknown) => reply({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
process.send?.({ ready: true });

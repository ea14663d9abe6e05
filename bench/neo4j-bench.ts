/**
 * The Neo4j half of the benchmarks: the same generated chain written through the Neo4j store, then the
 * service assembled over it (createApp in a child process, as for the embedded engine) for screening,
 * trace, taint and peel-chain latencies, and the naive baseline: one plain `shortestPath` Cypher query per
 * screened address to any sanctioned address (6 address hops = 12 INPUT/OUTPUT relationships, undirected).
 *
 * Runs when NEO4J_URI is set (NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE as for the service) or with
 * `--neo4j`, which starts the test server of test/neo4j-server (Java 17+ and Maven) with the JVM settings of
 * a bulk load (BENCH_JVM_OPTS; extra JVM options in ARIADNE_NEO4J_JAVA_OPTS are appended). Otherwise it
 * returns `{ skipped }` with the reason, which the table prints.
 *
 * Ingest is measured on a warm JVM, as a long bulk load runs: on the test server, a small chain of another
 * seed is first written and deleted (its rate, JIT compilation and Cypher planning included, is printed in
 * the notes as the cold figure). Against NEO4J_URI there is no warm-up: nothing is ever deleted there.
 */
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import type { AddressId } from '../src/model/address.js';
import type { GraphStore } from '../src/store/graph-store.js';
import { ChainGenerator } from './generator.js';
import type { AnalyticsResult, OpenResult, ScreenResult } from './service-process.js';
import { rate, summarize, type LatencySummary, type MemoryFigures } from './stats.js';
import { dirBytes } from './disk.js';

export interface Neo4jFigures {
  uri: string;
  ingest: { blocks: number; transactions: number; inputs: number; transfers: number; wallS: number; cpuS: number; labelsS: number } | null;
  open: OpenResult | null;
  screen: ScreenResult | null;
  analytics: AnalyticsResult | null;
  http: null | { requestsPerSecond: number; latencyMs: { p99: number } };
  baseline: { single: LatencySummary; batch: LatencySummary | null; timeouts: number; timeoutMs: number } | null;
  /** Node service process. */
  memory: MemoryFigures | null;
  /** The Neo4j server's peak RSS, when it runs on this machine. */
  serverPeakRss: number | null;
  diskBytes: number | null;
  notes: string[];
}

export interface Neo4jBenchOptions {
  gen: ChainGenerator;
  flagged: boolean;
  singles: AddressId[];
  batches: AddressId[][];
  maxHops: number;
  baselineSamples: number;
  /** Extra node flags of the service process (see bench/index.ts). */
  serviceArgs: string[];
  log: (line: string) => void;
  ingest: (store: GraphStore, gen: ChainGenerator, progress: (line: string) => void) => Promise<NonNullable<Neo4jFigures['ingest']>>;
}

/**
 * JVM settings of the test server for the benchmark (the launcher's defaults suit tests: 1 GiB heap, serial
 * GC, 64 MiB page cache): a 2 GiB heap with the parallel collector for batches of thousands of transactions,
 * and a page cache that holds a 100,000-address store. Measured at 100,000 addresses on a warm JVM: about
 * 15-30% more transfers/s than with the test defaults, mostly shorter commits.
 */
const BENCH_JVM_OPTS = ['-Xmx2g', '-XX:+UseParallelGC', '-XX:+ExitOnOutOfMemoryError', '-XX:-OmitStackTraceInFastThrow', '-Dariadne.neo4j.pagecache.mib=512'];

/** Addresses of the warm-up chain (about 3 transfers each). */
const WARM_UP_SIZE = 20_000;

// Deletes every node in batches; constraints and indexes stay. IN TRANSACTIONS needs an auto-commit query.
const WIPE = 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS';

const BASELINE_QUERY = `
MATCH (a:Address {id: $id})
MATCH (s:Address)-[:HAS_LABEL]->(l:Label {category: 'sanctioned'})
WHERE l.removedAt IS NULL
MATCH p = shortestPath((a)-[:INPUT|OUTPUT*..${2 * 6}]-(s))
RETURN length(p) / 2 AS hops
ORDER BY hops
LIMIT 1`;

async function wipe(config: { uri: string; user: string; password: string; database: string }): Promise<void> {
  const driver = neo4j.driver(config.uri, config.user ? neo4j.auth.basic(config.user, config.password) : undefined);
  const session = driver.session({ database: config.database });
  try {
    await session.run(WIPE);
  } finally {
    await session.close();
    await driver.close();
  }
}

function peakRssOf(pid: number): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export async function neo4jBenchmarks(o: Neo4jBenchOptions): Promise<Neo4jFigures | { skipped: string }> {
  let config = process.env.NEO4J_URI
    ? { uri: process.env.NEO4J_URI, user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '', database: process.env.NEO4J_DATABASE ?? 'neo4j' }
    : null;
  let server: { stop: () => Promise<void>; pid: number } | null = null;
  let serverDir: string | null = null;
  if (!config) {
    if (!o.flagged) return { skipped: 'no --neo4j flag and no NEO4J_URI' };
    const launcher = (await import(new URL('../test/neo4j-server/launcher.mjs', import.meta.url).href)) as {
      startNeo4j: (options: object) => Promise<{ skipped?: boolean; reason?: string; uri: string; pid: number; stop: () => Promise<void> }>;
    };
    serverDir = path.join(os.tmpdir(), `ariadne-bench-neo4j-${process.pid}`);
    rmSync(serverDir, { recursive: true, force: true });
    mkdirSync(serverDir, { recursive: true });
    o.log('neo4j: starting the test server (test/neo4j-server)');
    let started: Awaited<ReturnType<typeof launcher.startNeo4j>>;
    try {
      started = await launcher.startNeo4j({ log: (line: string) => o.log(`neo4j: ${line}`), dataDir: serverDir, jvmOpts: BENCH_JVM_OPTS });
    } catch (err) {
      return { skipped: `the test server did not start: ${(err as Error).message.split('\n')[0]}` };
    }
    if (started.skipped) return { skipped: started.reason ?? 'the test server is not available' };
    server = started;
    config = { uri: started.uri, user: '', password: '', database: 'neo4j' };
  }
  const figures: Neo4jFigures = { uri: config.uri, ingest: null, open: null, screen: null, analytics: null, http: null, baseline: null, memory: null, serverPeakRss: null, diskBytes: null, notes: [] };
  try {
    let openNeo4jStore: typeof import('../src/store/neo4j/neo4j-store.js').openNeo4jStore;
    try {
      ({ openNeo4jStore } = await import('../src/store/neo4j/neo4j-store.js'));
    } catch (err) {
      return { skipped: `the Neo4j store does not load: ${(err as Error).message}` };
    }
    const store = await openNeo4jStore(config);
    try {
      const stats = await store.stats();
      if (stats.transactions > 0) {
        figures.notes.push(`the database already held ${stats.transactions} transactions: ingest not measured (use an empty database)`);
      } else {
        if (server) {
          o.log(`neo4j: warming up (a ${WARM_UP_SIZE.toLocaleString('en-US')}-address chain, then deleted)`);
          const warm = await o.ingest(store, new ChainGenerator({ size: WARM_UP_SIZE, seed: 0x3a3a }), () => undefined);
          await wipe(config);
          const note = `ingest measured on a warm JVM; the warm-up chain (${warm.transfers.toLocaleString('en-US')} transfers, written on the cold JVM and deleted) went at ${rate(warm.transfers / warm.wallS)}`;
          figures.notes.push(note);
          o.log(`neo4j: ${note}`);
        }
        o.log('neo4j: ingesting');
        figures.ingest = await o.ingest(store, o.gen, (line) => o.log(`neo4j ingest: ${line}`));
        o.log(`neo4j: ingested in ${figures.ingest.wallS.toFixed(1)} s`);
      }
    } finally {
      await store.close();
    }

    // The service over Neo4j, in its own process.
    const child = fork(path.join(import.meta.dirname, 'service-process.ts'), [], { execArgv: [...o.serviceArgs, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, NODE_OPTIONS: '' } });
    let next = 1;
    const pending = new Map<number, (m: { ok: boolean; result?: unknown; error?: string }) => void>();
    child.on('message', (m: { id?: number; ok: boolean; result?: unknown; error?: string }) => {
      if (m.id !== undefined) pending.get(m.id)?.(m);
    });
    const call = <T>(cmd: string, args: unknown = {}): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        pending.set(id, (m) => (m.ok ? resolve(m.result as T) : reject(new Error(m.error))));
        child.send({ id, cmd, args });
      });
    try {
      o.log('neo4j: building the app over Neo4j');
      figures.open = await call<OpenResult>('open', { engine: 'neo4j', dataDir: path.join(os.tmpdir(), 'ariadne-bench-neo4j-service'), neo4j: config });
      o.log(`neo4j: app ready in ${(figures.open.appMs / 1000).toFixed(1)} s; screening`);
      figures.screen = await call<ScreenResult>('screen', { singles: o.singles, batches: o.batches.slice(0, 3), maxHops: o.maxHops, freshSamples: 0, apiBatches: 1 });
      figures.memory = await call<MemoryFigures>('memory');
    } catch (err) {
      figures.notes.push(`service over Neo4j: ${(err as Error).message.split('\n')[0]}`);
    } finally {
      await call('close').catch(() => undefined);
      child.kill();
    }

    // Naive: a plain shortestPath query per address.
    o.log('neo4j: naive shortestPath baseline');
    const driver = neo4j.driver(config.uri, config.user ? neo4j.auth.basic(config.user, config.password) : undefined, { disableLosslessIntegers: true });
    const timeoutMs = 10_000;
    let timeouts = 0;
    try {
      const single: number[] = [];
      for (const id of o.singles.slice(0, Math.min(o.baselineSamples, 100))) {
        const session = driver.session({ database: config.database, defaultAccessMode: neo4j.session.READ });
        const t = performance.now();
        try {
          await session.executeRead((tx) => tx.run(BASELINE_QUERY, { id }), { timeout: timeoutMs });
          single.push(performance.now() - t);
        } catch {
          timeouts++;
          single.push(timeoutMs);
        } finally {
          await session.close();
        }
      }
      figures.baseline = { single: summarize(single), batch: null, timeouts, timeoutMs };
    } finally {
      await driver.close();
    }
  } finally {
    if (server) {
      figures.serverPeakRss = peakRssOf(server.pid);
      await server.stop();
      if (serverDir) {
        figures.diskBytes = dirBytes(serverDir);
        rmSync(serverDir, { recursive: true, force: true });
      }
    }
  }
  return figures;
}

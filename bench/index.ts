/**
 * `npm run bench -- --size 1000000`: generates a chain graph (bench/generator.ts), ingests it, and prints
 * one table of figures measured side by side in this run: ingest throughput, screening latency against the
 * naive baselines, trace / taint / peel-chain latency, GraphQL `screen` throughput over HTTP, the service's
 * peak RSS and the store's size on disk. Figures only: nothing is asserted; targets (issue 7) are printed
 * beside the figures. The Neo4j part runs with `--neo4j` (starts the test server) or NEO4J_URI, and is
 * skipped with a reason otherwise. docs/performance.md records the results and the profile findings.
 *
 * Flags: --size N (addresses, default 100000), --seed, --samples (single screenings, default 1000),
 * --batches (batches of --batch-size addresses, default 30 x 1000), --baseline-samples (default 200),
 * --baseline-batches (default 2), --fresh-samples (fresh store traversals, default 50), --analytics-samples
 * (taint and trace sources, default 100), --http-duration (s, default 20), --connections (default 64),
 * --api-batches (batches also screened through the API's batch evidence, default 2), --service-heap MiB
 * (--max-old-space-size of the service process; default: node's own), --service-flags='F ...' (more node
 * flags of the service process, e.g. --trace-gc), --data-dir, --reuse (keep an
 * ingested data dir of the same size and seed), --no-http, --no-baseline, --neo4j, --json FILE.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AddressId, TxId } from '../src/model/address.js';
import { BULK_LOAD_CACHE_MIB, openEmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { benchAddress, benchTxId, ChainGenerator, type ChainFacts } from './generator.js';
import { runHttpLoad, type HttpLoadResult } from './http-load.js';
import { NaiveBaseline } from './naive-baseline.js';
import type { AnalyticsResult, OpenResult, ScreenResult } from './service-process.js';
import { memoryFigures, mib, ms, rate, summarize, type LatencySummary, type MemoryFigures } from './stats.js';
import { dirBytes } from './disk.js';
import { Random } from './random.js';
import { neo4jBenchmarks, type Neo4jFigures } from './neo4j-bench.js';
import { ingest, type IngestFigures } from './ingest.js';

const MAX_HOPS = 6;
const GIB = 2 ** 30;

const { values: flags } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    samples: { type: 'string', default: '1000' },
    batches: { type: 'string', default: '30' },
    'batch-size': { type: 'string', default: '1000' },
    'baseline-samples': { type: 'string', default: '200' },
    'baseline-batches': { type: 'string', default: '2' },
    'fresh-samples': { type: 'string', default: '50' },
    'api-batches': { type: 'string', default: '2' },
    'service-heap': { type: 'string', default: '0' },
    'service-flags': { type: 'string', default: '' },
    'analytics-samples': { type: 'string', default: '100' },
    'http-duration': { type: 'string', default: '20' },
    connections: { type: 'string', default: '64' },
    'data-dir': { type: 'string' },
    reuse: { type: 'boolean', default: false },
    'no-http': { type: 'boolean', default: false },
    'no-baseline': { type: 'boolean', default: false },
    neo4j: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
  allowPositionals: false,
});

const int = (name: keyof typeof flags): number => {
  const v = Number(flags[name]);
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer, got ${String(flags[name])}`);
  return v;
};

const size = int('size');
const seed = int('seed');
const dataDir = path.resolve(flags['data-dir'] ?? path.join(os.tmpdir(), `ariadne-bench-${size}-${seed}`));
const log = (line: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

interface Row {
  section: string;
  measure: string;
  embedded: string;
  neo4j: string;
  target: string;
  verdict: string;
}

interface Results {
  machine: Record<string, string | number>;
  command: string;
  facts: Omit<ChainFacts, 'peelStarts' | 'cashouts' | 'sanctioned' | 'exchanges' | 'mixers' | 'miners'> & { sanctioned: number; exchanges: number; mixers: number; peelChains: number; cashouts: number };
  ingest: IngestFigures;
  diskBytes: number;
  service: { open: OpenResult; screen: ScreenResult; analytics: AnalyticsResult; http: HttpLoadResult | { skipped: string }; memoryEnd: MemoryFigures } | null;
  baseline: { build: { s: number; nodes: number; edges: number }; single: LatencySummary; batch: LatencySummary | null; agreement: { same: number; of: number; firstMismatch: string | null } } | { skipped: string };
  neo4j: Neo4jFigures | { skipped: string };
  rows: Row[];
  /** Extra flags of the service process, and why. */
  serviceArgs: string[];
}

function machine(): Record<string, string | number> {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpu)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model,
    cores: os.availableParallelism(),
    memory: `${(os.totalmem() / GIB).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

/** Writes every generated block and the labels into the embedded store; times the store calls only. */
async function ingestEmbedded(gen: ChainGenerator): Promise<IngestFigures> {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  // As `ariadne ingest` opens it: a bulk load's page cache.
  const store = await openEmbeddedStore({ dir: dataDir, cacheMiB: BULK_LOAD_CACHE_MIB });
  const figures = await ingest(store, gen, (line) => log(`embedded ingest: ${line}`));
  await store.close();
  return figures;
}

/** A forked service process and a promise-returning call into it. */
class ServiceProcess {
  private readonly child: ChildProcess;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;

  constructor(execArgv: string[] = []) {
    this.child = fork(path.join(import.meta.dirname, 'service-process.ts'), [], {
      execArgv: [...execArgv, '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let markReady: () => void = () => {};
    this.ready = new Promise((resolve) => (markReady = resolve));
    this.child.on('message', (m: { ready?: boolean; id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (m.ready) return markReady();
      const p = this.pending.get(m.id!);
      if (!p) return;
      this.pending.delete(m.id!);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`service process: ${m.error}`));
    });
    this.child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`service process exited (${code})`));
      this.pending.clear();
    });
  }

  call<T>(cmd: string, args: unknown = {}): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, cmd, args });
    });
  }

  async stop(): Promise<void> {
    await this.call('close').catch(() => undefined);
    this.child.kill();
  }
}

/** Deterministic samples of ordinary addresses (the screening traffic). */
function sampleAddresses(gen: ChainGenerator, facts: ChainFacts, count: number, salt: number): AddressId[] {
  const rnd = new Random(seed ^ salt);
  const lo = gen.firstOrdinaryAddress;
  const out: AddressId[] = [];
  for (let i = 0; i < count; i++) out.push(benchAddress(seed, lo + rnd.int(facts.addresses - lo)));
  return out;
}

function sampleOf<T>(list: readonly T[], count: number, salt: number): T[] {
  if (list.length <= count) return [...list];
  const rnd = new Random(seed ^ salt);
  const out: T[] = [];
  for (let i = 0; i < count; i++) out.push(list[rnd.int(list.length)]!);
  return out;
}

function latencyCell(s: LatencySummary | null | undefined): string {
  return s ? `p50 ${ms(s.p50)} / p95 ${ms(s.p95)} / p99 ${ms(s.p99)} (n=${s.n})` : 'n/a';
}

function printTable(rows: Row[]): void {
  const headers: (keyof Row)[] = ['section', 'measure', 'embedded', 'neo4j', 'target', 'verdict'];
  const width = headers.map((h) => Math.max(h.length, ...rows.map((r) => r[h].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(width[i]!)).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(headers.map((h) => r[h])));
}

async function main(): Promise<void> {
  const results: Partial<Results> = { machine: machine(), command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim() };
  log(`size ${size.toLocaleString('en-US')} addresses, seed ${seed}, data dir ${dataDir}`);
  const gen = new ChainGenerator({ size, seed });

  // ------------------------------------------------------------------ ingest (embedded)
  const marker = path.join(dataDir, 'bench-run.json');
  let facts: ChainFacts;
  let ingestFigures: IngestFigures;
  if (flags.reuse && existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as { facts: ChainFacts; ingest: IngestFigures; size: number; seed: number };
    if (saved.size !== size || saved.seed !== seed) throw new Error(`--reuse: ${dataDir} holds size ${saved.size} seed ${saved.seed}`);
    facts = saved.facts;
    ingestFigures = saved.ingest;
    log('reusing the ingested store (ingest figures are from the run that wrote it)');
  } else {
    log('generating and ingesting into the embedded store');
    ingestFigures = await ingestEmbedded(gen);
    facts = gen.facts!;
    writeFileSync(marker, JSON.stringify({ size, seed, facts, ingest: ingestFigures }));
  }
  results.ingest = ingestFigures;
  const { peelStarts: _starts, cashouts: _cashouts, miners: _miners, ...counts } = facts;
  results.facts = {
    ...counts,
    sanctioned: facts.sanctioned.length,
    exchanges: facts.exchanges.length,
    mixers: facts.mixers.length,
    peelChains: facts.peelStarts.length,
    cashouts: facts.cashouts.length,
  } as Results['facts'];
  results.diskBytes = dirBytes(dataDir) - statSync(marker).size;
  log(`ingested ${facts.transactions.toLocaleString('en-US')} transactions, ${facts.transfers.toLocaleString('en-US')} transfers in ${ingestFigures.wallS.toFixed(1)} s; store ${mib(results.diskBytes)}`);

  const singles = sampleAddresses(gen, facts, int('samples'), 0x51);
  const batches = Array.from({ length: int('batches') }, (_, b) => sampleAddresses(gen, facts, int('batch-size'), 0x1000 + b));
  const taintSources = sampleOf(facts.cashouts, int('analytics-samples'), 0x7a);
  const traceRnd = new Random(seed ^ 0x7c);
  const traceSources: TxId[] = Array.from({ length: int('analytics-samples') }, () => benchTxId(seed, 1 + traceRnd.int(facts.transactions - 1)));
  const windows = 8;
  const span = Math.max(1, Math.floor((facts.toHeight - facts.fromHeight + 1) / windows));
  const peelWindows = Array.from({ length: windows }, (_, w) => {
    const from = Math.min(facts.toHeight, facts.fromHeight + w * span);
    return { fromHeight: from, toHeight: Math.min(facts.toHeight, from + Math.min(9, span - 1)) };
  });

  // ------------------------------------------------------------------ the service (embedded)
  // A cap on V8's old generation (MiB): the service collects garbage before its heap grows past it.
  // The young generation of `npm run start:prod`, unless --service-flags sets one.
  const serviceArgs = int('service-heap') > 0 ? [`--max-old-space-size=${int('service-heap')}`] : [];
  const extra = flags['service-flags']!.split(' ').filter(Boolean);
  if (!extra.some((f) => f.startsWith('--max-semi-space-size'))) serviceArgs.push('--max-semi-space-size=64');
  serviceArgs.push(...extra);
  if (serviceArgs.length > 0) log(`service process runs with ${serviceArgs.join(' ')}`);
  results.serviceArgs = serviceArgs;
  log('starting the service process (createApp over the store)');
  const svc = new ServiceProcess(serviceArgs);
  await svc.ready;
  try {
    const open = await svc.call<OpenResult>('open', { engine: 'embedded', dataDir });
    log(`app ready: store opened in ${(open.openMs / 1000).toFixed(1)} s, indexes built in ${(open.appMs / 1000).toFixed(1)} s, RSS ${mib(open.memory.rss)}`);
    log(`screening: ${singles.length} single addresses, ${batches.length} batches`);
    const screen = await svc.call<ScreenResult>('screen', { singles, batches, maxHops: MAX_HOPS, freshSamples: int('fresh-samples'), apiBatches: int('api-batches') });
    log(`trace, taint, peel-chain scans`);
    const analytics = await svc.call<AnalyticsResult>('analytics', { taintSources, traceSources, maxHops: 4, peelWindows });
    let http: HttpLoadResult | { skipped: string };
    if (flags['no-http']) http = { skipped: '--no-http' };
    else {
      const { url, key } = await svc.call<{ url: string; key: string }>('http');
      log(`GraphQL screen load: ${int('connections')} connections for ${int('http-duration')} s on ${url}`);
      try {
        http = await runHttpLoad({ url, apiKey: key, addresses: singles, connections: int('connections'), durationS: int('http-duration'), selection: 'addressId distance decision' });
      } catch (err) {
        http = { skipped: (err as Error).message };
      }
    }
    const memoryEnd = await svc.call<MemoryFigures>('memory');
    results.service = { open, screen, analytics, http, memoryEnd };
  } finally {
    await svc.stop();
  }

  // ------------------------------------------------------------------ the naive baseline (embedded)
  if (flags['no-baseline']) results.baseline = { skipped: '--no-baseline' };
  else {
    log('naive baseline: building the graphology address graph');
    const t0 = performance.now();
    const baseline = new NaiveBaseline();
    baseline.addBlocks(gen.blocks());
    baseline.finish(facts.sanctioned, facts.exchanges);
    const buildS = (performance.now() - t0) / 1000;
    log(`baseline graph: ${baseline.nodes.toLocaleString('en-US')} nodes, ${baseline.edges.toLocaleString('en-US')} edges in ${buildS.toFixed(1)} s (parent RSS ${mib(memoryFigures().rss)})`);
    const baseSingles = singles.slice(0, int('baseline-samples'));
    for (const a of baseSingles.slice(0, 5)) baseline.bidirectional(a);
    const single: number[] = [];
    for (const a of baseSingles) {
      const t = performance.now();
      baseline.bidirectional(a);
      single.push(performance.now() - t);
    }
    const batch: number[] = [];
    for (const list of batches.slice(0, int('baseline-batches'))) {
      const t = performance.now();
      for (const a of list) baseline.bidirectional(a);
      batch.push(performance.now() - t);
    }
    // Cross-check: the index's distance for every single against a same-rules BFS.
    const distances = results.service!.screen.distances;
    let same = 0;
    let firstMismatch: string | null = null;
    singles.forEach((a, i) => {
      const expected = baseline.sameRules(a, MAX_HOPS);
      if (expected === distances[i]) same++;
      else firstMismatch ??= `${a}: index ${String(distances[i])}, same-rules BFS ${String(expected)}`;
    });
    results.baseline = {
      build: { s: buildS, nodes: baseline.nodes, edges: baseline.edges },
      single: summarize(single),
      batch: batch.length ? summarize(batch) : null,
      agreement: { same, of: singles.length, firstMismatch },
    };
  }

  // ------------------------------------------------------------------ Neo4j
  results.neo4j = await neo4jBenchmarks({ gen, flagged: flags.neo4j, singles, batches, log, ingest, maxHops: MAX_HOPS, baselineSamples: int('baseline-samples'), serviceArgs });

  results.machine!.loadAverageAtEnd = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  results.rows = rows(results as Results);
  console.log();
  console.log(`Ariadne benchmark: ${size.toLocaleString('en-US')} addresses, ${facts.transfers.toLocaleString('en-US')} transfers, ${facts.transactions.toLocaleString('en-US')} transactions, seed ${seed}`);
  console.log(`machine: ${results.machine!.cpu}, ${results.machine!.cores} cores, ${results.machine!.memory}, node ${results.machine!.node}; load average ${results.machine!.loadAverageAtStart} -> ${results.machine!.loadAverageAtEnd}`);
  console.log();
  printTable(results.rows);
  if (flags.json) writeFileSync(flags.json, JSON.stringify(results, null, 2));
}

function rows(r: Results): Row[] {
  const out: Row[] = [];
  const add = (section: string, measure: string, embedded: string, neo4j: string, target = '', verdict = ''): void => {
    out.push({ section, measure, embedded, neo4j, target, verdict });
  };
  const neo = 'skipped' in r.neo4j ? null : r.neo4j;
  const neoSkip = 'skipped' in r.neo4j ? `skipped: ${r.neo4j.skipped}` : '';
  const met = (ok: boolean | null): string => (ok === null ? 'n/a' : ok ? 'met' : 'MISSED');
  const both = (e: boolean | null, n: boolean | null): string => `embedded ${met(e)}, neo4j ${met(n)}`;

  const ig = r.ingest;
  const eTps = ig.transfers / ig.wallS;
  const nTps = neo?.ingest ? neo.ingest.transfers / neo.ingest.wallS : null;
  add('ingest', 'transactions/s', rate(ig.transactions / ig.wallS), neo?.ingest ? rate(neo.ingest.transactions / neo.ingest.wallS) : neoSkip);
  add('ingest', 'transfers/s (outputs)', rate(eTps), nTps === null ? neoSkip : rate(nTps), 'embedded >= 50,000; neo4j >= 10,000', both(eTps >= 50_000, nTps === null ? null : nTps >= 10_000));
  add('ingest', 'edges/s (inputs + outputs)', rate((ig.inputs + ig.transfers) / ig.wallS), neo?.ingest ? rate((neo.ingest.inputs + neo.ingest.transfers) / neo.ingest.wallS) : neoSkip);
  add('ingest', 'store time (wall / CPU)', `${ig.wallS.toFixed(1)} s / ${ig.cpuS.toFixed(1)} s`, neo?.ingest ? `${neo.ingest.wallS.toFixed(1)} s / ${neo.ingest.cpuS.toFixed(1)} s (client CPU)` : neoSkip);

  const s = r.service;
  const base = 'skipped' in r.baseline ? null : r.baseline;
  if (s) {
    const sc = s.screen;
    const eP99 = sc.single.p99;
    const speedup = base ? base.single.p50 / sc.single.p50 : null;
    const decisionSpeedup = base ? base.single.mean / sc.distanceMeanMs : null;
    const nP99 = neo?.screen?.single.p99 ?? null;
    const nSpeed = neo?.screen && neo.baseline ? neo.baseline.single.p50 / neo.screen.single.p50 : null;
    add('screening', 'single address, <= 6 hops, with evidence', latencyCell(sc.single), neo?.screen ? latencyCell(neo.screen.single) : neoSkip, 'p99 embedded <= 2 ms; neo4j <= 25 ms', both(eP99 <= 2, nP99 === null ? null : nP99 <= 25));
    add('screening', 'decision only (index lookup), mean', ms(sc.distanceMeanMs), neo?.screen ? ms(neo.screen.distanceMeanMs) : neoSkip);
    add('screening', 'batch of 1,000, decisions only', latencyCell(sc.batchDecisions), neo?.screen ? latencyCell(neo.screen.batchDecisions) : neoSkip);
    add('screening', 'batch of 1,000, with evidence (screen per address)', latencyCell(sc.batch), neo?.screen ? latencyCell(neo.screen.batch) : neoSkip);
    add('screening', 'batch of 1,000, with evidence (API shortestEvidence)', latencyCell(sc.apiBatch), neo?.screen ? latencyCell(neo.screen.apiBatch) : neoSkip);
    add('screening', 'naive: fresh BFS per call (single)', base ? `${latencyCell(base.single)} [graphology bidirectional]` : 'skipped', neo?.baseline ? `${latencyCell(neo.baseline.single)} [Cypher shortestPath]` : neoSkip);
    add('screening', 'naive: batch of 1,000', base?.batch ? latencyCell(base.batch) : 'skipped', neo?.baseline?.batch ? latencyCell(neo.baseline.batch) : neoSkip);
    add(
      'screening',
      'speed-up over naive (p50 / p50)',
      speedup === null ? 'n/a' : `${speedup.toFixed(0)}x (p99/p99 ${base ? (base.single.p99 / sc.single.p99).toFixed(0) : 'n/a'}x)`,
      nSpeed === null ? neoSkip : `${nSpeed.toFixed(0)}x`,
      'embedded >= 100x; neo4j >= 10x',
      both(speedup === null ? null : speedup >= 100, nSpeed === null ? null : nSpeed >= 10),
    );
    add('screening', 'speed-up, decision only (naive mean / lookup mean)', decisionSpeedup === null ? 'n/a' : `${Math.round(decisionSpeedup).toLocaleString('en-US')}x`, neo?.screen && neo.baseline ? `${Math.round(neo.baseline.single.mean / neo.screen.distanceMeanMs).toLocaleString('en-US')}x` : neoSkip);
    if (sc.fresh) add('screening', 'fresh hopDistance via the store (single)', latencyCell(sc.fresh), '');
    if (base) add('screening', 'index vs same-rules BFS: equal distances', `${base.agreement.same} / ${base.agreement.of}${base.agreement.firstMismatch ? ` (first: ${base.agreement.firstMismatch})` : ''}`, '');
    add('screening', 'distances of the singles', Object.entries(sc.histogram).map(([d, n]) => `${d}: ${n}`).join(', '), '');

    const an = s.analytics;
    add('analytics', 'taint, haircut, 4 hops, from a sanctioned cash-out', `${latencyCell(an.taint)}; ${an.taintTruncated} hit the 1,000-tx budget`, neo?.analytics ? latencyCell(neo.analytics.taint) : neoSkip);
    add('analytics', 'trace (poison), 4 hops, from a random tx', `${latencyCell(an.trace)}; ${an.traceTruncated} hit the budget`, neo?.analytics ? latencyCell(neo.analytics.trace) : neoSkip);
    add('analytics', 'peel-chain scan of 10 blocks (~10,000 txs)', `${latencyCell(an.peel)}; ${an.peelChains} chains`, neo?.analytics ? latencyCell(neo.analytics.peel) : neoSkip);

    if ('skipped' in s.http) add('graphql', 'screen over HTTP', `skipped: ${s.http.skipped}`, '');
    else {
      const h = s.http;
      const ok = h.requestsPerSecond >= 2_000 && h.latencyMs.p99 <= 25 && h.non2xx === 0 && h.errors === 0;
      add('graphql', `screen over HTTP, ${h.connections} connections`, `${rate(h.requestsPerSecond)}, p50 ${h.latencyMs.p50} ms, p99 ${h.latencyMs.p99} ms (${h.requests} requests, ${h.non2xx} non-2xx, ${h.errors} errors)`, neo?.http ? `${rate(neo.http.requestsPerSecond)}, p99 ${neo.http.latencyMs.p99} ms` : neoSkip, '>= 2,000 req/s, p99 <= 25 ms', `embedded ${met(ok)}`);
    }
    const peak = Math.max(s.memoryEnd.peakRss, s.open.memory.peakRss);
    add('memory', 'service peak RSS (after indexes, screening and HTTP load)', `${mib(peak)} (after build ${mib(s.open.memory.rss)})`, neo?.memory ? mib(neo.memory.peakRss) : neoSkip, '<= 2 GiB', `embedded ${met(peak <= 2 * GIB)}`);
    add('memory', 'service RSS: peak after screening / after analytics / at the end', `${mib(s.screen.memory.peakRss)} / ${mib(s.analytics.memory.peakRss)} / ${mib(s.memoryEnd.peakRss)}`, '');
    add('memory', 'index build at start (clusters + screening)', `${(s.open.appMs / 1000).toFixed(1)} s; ${s.open.proximity.edges.toLocaleString('en-US')} address edges`, neo?.open ? `${(neo.open.appMs / 1000).toFixed(1)} s` : neoSkip);
  }
  add('disk', 'store size on disk', mib(r.diskBytes), neo?.diskBytes ? mib(neo.diskBytes) : neoSkip);
  return out;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

/**
 * `npx tsx bench/http-only.ts`: GraphQL `screen` throughput over HTTP alone, on a small generated graph, for
 * profiling the HTTP/GraphQL layer (the screening decision itself is an index lookup; what this measures is
 * the per-request cost around it). It generates --size addresses (bench/generator.ts) into an embedded store
 * in a temporary directory, assembles the app with `createApp`, starts the service on a loopback port with a
 * `screening` key, and runs bench/http-load.ts for --duration seconds with --connections connections, one
 * address per request, the query bench/index.ts sends. The load generator runs in a child process unless
 * --in-process is given. Figures only, nothing asserted.
 *
 * Flags: --size (default 20000), --seed (1), --duration (s, 15), --warmup (s of the same load first, not
 * recorded, 3), --connections (64), --samples (addresses screened round-robin, 1000), --in-process. The
 * service's CPU time per request is printed too: steadier than the rates when other work shares the machine.
 * To profile the service: `node --import tsx --cpu-prof --cpu-prof-dir=DIR bench/http-only.ts` (the
 * profile is this process's: the service, and the setup before the load).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApiKey, openApiKeyStore } from '../src/api/auth/api-keys.js';
import { startService } from '../src/api/server.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { AddressId } from '../src/model/address.js';
import { openEmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { benchAddress, ChainGenerator } from './generator.js';
import { runHttpLoad, runHttpLoadForked } from './http-load.js';
import { Random } from './random.js';

const { values: flags } = parseArgs({
  options: {
    size: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '64' },
    samples: { type: 'string', default: '1000' },
    'in-process': { type: 'boolean', default: false },
  },
  allowPositionals: false,
});
const int = (name: keyof typeof flags): number => Number.parseInt(String(flags[name]), 10);
const log = (line: string): void => console.error(`[http-only] ${line}`);

async function main(): Promise<void> {
  const size = int('size');
  const seed = int('seed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ariadne-http-only-'));
  try {
    const t0 = performance.now();
    const gen = new ChainGenerator({ size, seed });
    const store = await openEmbeddedStore({ dir });
    for (const { source, labels } of gen.labels()) await store.importLabels(source, labels);
    for (const block of gen.blocks()) await store.writeBlock(block);
    const app = await createApp(loadConfig({ ARIADNE_DATA_DIR: dir, ARIADNE_SEED_DEMO: 'false' }), { store });
    log(`${size.toLocaleString('en-US')} addresses generated, ingested and indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const keys = openApiKeyStore(app);
    const { key } = await createApiKey(keys, 'screening', { name: 'http-only benchmark' });
    const service = await startService({ app, host: '127.0.0.1', port: 0, keys, log: () => {}, onDevelopmentKey: () => {} });
    const rnd = new Random(seed ^ 0x51);
    const lo = gen.firstOrdinaryAddress;
    const addresses: AddressId[] = Array.from({ length: int('samples') }, () => benchAddress(seed, lo + rnd.int(size - lo)));
    const forked = !flags['in-process'];
    log(`screen over HTTP: ${int('connections')} connections for ${int('duration')} s after ${int('warmup')} s not recorded, on ${service.graphqlUrl}, load generator ${forked ? 'in a child process' : 'in this process'}`);
    const load = forked ? runHttpLoadForked : runHttpLoad;
    const options = { url: service.graphqlUrl, apiKey: key, addresses, connections: int('connections'), selection: 'addressId distance decision' };
    if (int('warmup') > 0) await load({ ...options, durationS: int('warmup') });
    const cpu = process.cpuUsage();
    const r = await load({ ...options, durationS: int('duration') });
    const used = process.cpuUsage(cpu);
    const perRequest = (used.user + used.system) / r.requests;
    console.log(
      `screen over HTTP, ${r.connections} connections, ${r.durationS} s: ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} req/s, p50 ${r.latencyMs.p50} ms, p90 ${r.latencyMs.p90} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms (${r.requests} requests, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts; service CPU ${Math.round(perRequest)} µs a request${forked ? '' : ' with the load generator'}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')})`,
    );
    await service.close();
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

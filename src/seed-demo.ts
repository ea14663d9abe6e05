/**
 * The demo data `npm start` loads into an empty store: the real public files in seed/data (Bitcoin blocks
 * 1-255 and 413,567 with its prevouts, two Ethereum mainnet blocks, the OFAC lists, GraphSense TagPacks) and
 * the synthetic scenario seed/demo-laundering.json.
 */
import path from 'node:path';
import { ingestFiles } from './ingest/ingest-files.js';
import { importLabelFiles } from './ingest/import-labels.js';
import { readScenarioFile } from './ingest/scenario/load-scenario.js';
import type { App } from './app.js';

const seedDir = path.resolve(import.meta.dirname, '../seed');
const data = (...parts: string[]) => path.join(seedDir, 'data', ...parts);

export interface SeedReport {
  seconds: number;
  failures: string[];
}

/** The audit actor of everything the demo seed does. */
const SEED_ACTOR = { actor: 'system:seed-demo', purpose: 'load the demo data' };

export async function seedDemo(app: App, options: { log?: (line: string) => void } = {}): Promise<SeedReport> {
  const { store } = app;
  const log = options.log ?? (() => {});
  const started = performance.now();
  const failures: string[] = [];
  const steps: [string, () => Promise<{ failures: { file: string; message: string }[] }>][] = [
    ['bitcoin blocks 1-255', () => ingestFiles(store, 'bitcoin', [data('bitcoin', 'blocks1-255.framed.bz2')])],
    ['bitcoin block 413,567 with prevouts', () => ingestFiles(store, 'bitcoin', [data('bitcoin', 'block413567.raw')], { prevouts: data('bitcoin', 'block413567-prevouts.csv') })],
    ['ethereum blocks 14,151,203 and 15,571,241', () => ingestFiles(store, 'ethereum', [data('ethereum', 'block-14151203.json'), data('ethereum', 'block-15571241.json')])],
    ['OFAC SDN lists', () => importLabelFiles(store, 'ofac', [data('ofac', 'sanctioned_addresses_XBT.txt'), data('ofac', 'sanctioned_addresses_ETH.txt'), data('ofac', 'sdn-digital-currency-addresses-2025-11-19.csv')])],
    [
      'GraphSense TagPacks',
      () =>
        importLabelFiles(store, 'tagpack', ['tornado_cash.yaml', 'hacks.yaml', 'mixing_fc2021.yaml', 'exchange-wallets-huobi.yaml', 'exchange-wallets-binance.yaml'].map((f) => data('tagpacks', f))),
    ],
    [
      'synthetic scenario demo-laundering',
      async () => {
        const scenario = await readScenarioFile(path.join(seedDir, 'demo-laundering.json'));
        // One store transaction for all of the scenario's blocks: on Neo4j a commit per block dominated.
        await store.writeBlocks(scenario.blocks);
        await store.importLabels(`seed:${scenario.name}`, scenario.labels);
        await app.proximity.settled();
        await app.clusters.idle();
        // The scenario's customers are onboarded (screened, rated) and their history monitored.
        for (const c of scenario.customers) {
          const { note: _n, ...input } = c;
          await app.compliance.onboardCustomer(input, SEED_ACTOR);
        }
        if (scenario.customers.length > 0) await app.compliance.runMonitoring({ customerIds: scenario.customers.map((c) => c.id) }, SEED_ACTOR);
        return { failures: [] };
      },
    ],
  ];
  for (const [name, run] of steps) {
    const t = performance.now();
    const result = await run();
    for (const f of result.failures) failures.push(`${name}: ${path.basename(f.file)}: ${f.message}`);
    log(`  ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s${result.failures.length ? `, ${result.failures.length} problem(s)` : ''}`);
  }
  for (const f of failures) log(`  ${f}`);
  return { seconds: (performance.now() - started) / 1000, failures };
}

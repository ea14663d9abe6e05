/**
 * The `ariadne` command line. Every command prints a human summary, or one JSON object with --json, and
 * exits non-zero when anything failed.
 */
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../config.js';
import { AriadneError, isAriadneError } from '../errors.js';
import { ingestFiles, type ChainFileKind } from '../ingest/ingest-files.js';
import { formatSummary, summaryToJson } from '../ingest/ingest-summary.js';
import { formatLabelSummary, importLabelFiles } from '../ingest/import-labels.js';
import { openStore } from '../store/open-store.js';
import type { GraphStore } from '../store/graph-store.js';
import { registerAnalyticsCommands } from './analytics-commands.js';
import { defaultComplianceDeps, registerComplianceCommands } from './compliance-commands.js';
import { registerKeyCommands } from './key-commands.js';
import { progressBar } from './progress.js';

const program = new Command();
program.name('ariadne').description('Fund-flow tracing and sanctions screening for Bitcoin and EVM chains.').showHelpAfterError();

function positiveInt(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError(`expected a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

async function withStore<T>(run: (store: GraphStore) => Promise<T>, purpose: 'serve' | 'bulk-load' = 'serve'): Promise<T> {
  const store = await openStore(loadConfig(), purpose);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
}

program
  .command('ingest')
  .description('load raw/framed/JSON Bitcoin blocks or eth_getBlockByNumber JSON into the store')
  .addArgument(new Command().createArgument('<chain>', 'bitcoin or ethereum').choices(['bitcoin', 'ethereum']))
  .argument('<files...>', 'block files')
  .option('--prevouts <csv>', 'bitcoin: CSV of the outputs the blocks spend (prev_txid,prev_vout,height,is_coinbase,value_sats,script_pubkey_hex)')
  .option('--receipts <file>', 'ethereum: receipts (JSON array or JSON lines)')
  .option('--chain-id <id>', 'ethereum: EVM chain id when transactions do not carry one', positiveInt)
  .option('--json', 'print the summary as one JSON object')
  .action(async (chain: ChainFileKind, files: string[], opts: { prevouts?: string; receipts?: string; chainId?: number; json?: boolean }) => {
    const bar = progressBar();
    const summary = await withStore((store) =>
      ingestFiles(store, chain, files, {
        prevouts: opts.prevouts,
        receipts: opts.receipts,
        chainId: opts.chainId,
        onProgress: (p) => bar.update(p.blocks, p.totalBlocks, `${path.basename(p.file)} (${p.fileIndex + 1}/${p.files})`),
      }),
      'bulk-load',
    ).finally(() => bar.stop());
    if (opts.json) printJson(summaryToJson(summary));
    else process.stdout.write(`${formatSummary(summary)}\n`);
    if (summary.failures.length > 0) process.exitCode = 1;
  });

program
  .command('labels')
  .description('import address labels: OFAC SDN lists (txt or CSV) or GraphSense TagPacks (YAML)')
  .addArgument(new Command().createArgument('<kind>', 'ofac or tagpack').choices(['ofac', 'tagpack']))
  .argument('<files...>', 'label files')
  .option('--json', 'print the summary as one JSON object')
  .action(async (kind: 'ofac' | 'tagpack', files: string[], opts: { json?: boolean }) => {
    const summary = await withStore((store) => importLabelFiles(store, kind, files));
    if (opts.json) printJson(summary);
    else process.stdout.write(`${formatLabelSummary(summary)}\n`);
    if (summary.failures.length > 0) process.exitCode = 1;
  });

program
  .command('stats')
  .description('what the store holds, per chain')
  .option('--json', 'print as JSON')
  .action(async (opts: { json?: boolean }) => {
    const stats = await withStore((store) => store.stats());
    if (opts.json) return printJson(stats);
    const rows = Object.entries(stats.perChain).map(([chain, c]) => `${chain.padEnd(10)} ${String(c.blocks).padStart(8)} blocks ${String(c.transactions).padStart(10)} txs ${String(c.addresses).padStart(10)} addresses  fees ${c.fees} base units`);
    process.stdout.write(`${rows.join('\n')}\n${stats.labels} active labels\n`);
  });

registerAnalyticsCommands(program, { config: () => loadConfig(), withStore, print: printJson });
registerComplianceCommands(program, defaultComplianceDeps());
registerKeyCommands(program, { config: () => loadConfig(), withStore, print: printJson });

program
  .command('serve')
  .description('start the GraphQL service (same as npm start)')
  .addOption(new Option('--no-seed', 'do not load the demo data into an empty store'))
  .action(async (opts: { seed: boolean }) => {
    const { main } = await import('../main.js');
    await main({ seed: opts.seed });
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (isAriadneError(err)) {
    process.stderr.write(`ariadne: ${err.code}: ${(err as AriadneError).describe()}\n`);
  } else {
    process.stderr.write(`ariadne: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exitCode = process.exitCode || 2;
});

/**
 * `npm start`: opens the configured store, loads the demo data into an empty store (first run), and starts
 * the GraphQL service, printing where it listens.
 */
import { pathToFileURL } from 'node:url';
import { loadConfig } from './config.js';
import { isAriadneError } from './errors.js';
import { startService } from './api/server.js';
import { seedDemo } from './seed-demo.js';
import { createApp } from './app.js';
import { openStore } from './store/open-store.js';

export async function main(options: { seed?: boolean } = {}): Promise<void> {
  const config = loadConfig();
  const store = await openStore(config);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const app = await createApp(config, { store, log });
  if ((options.seed ?? config.seedDemo) && (await store.stats()).transactions === 0) {
    log(`ariadne: empty ${config.store} store${config.store === 'embedded' ? ` at ${config.dataDir}` : ''}: loading the demo data (first run only)...`);
    const report = await seedDemo(app, { log });
    log(`ariadne: demo data loaded in ${report.seconds.toFixed(1)} s`);
  }
  const service = await startService({ app, host: config.host, port: config.port, log });
  const stats = await store.stats();
  log(`ariadne: ${config.store} store holds ${stats.transactions} transactions, ${stats.addresses} addresses, ${stats.labels} labels`);
  process.stdout.write(`Ariadne is running: GraphQL endpoint ${service.graphqlUrl} (landing page ${service.url})\n`);
  const shutdown = async (signal: string) => {
    log(`ariadne: ${signal}, shutting down`);
    await service.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`ariadne: cannot start: ${isAriadneError(err) ? `${err.code}: ${err.describe()}` : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}

/**
 * `npx tsx bench/ingest-only.ts --size N [--batch TXS] [--dir D]`: generates the benchmark chain and writes it
 * into a fresh embedded store, printing transfers/s (store time). For profiling ingest alone
 * (`node --cpu-prof --import tsx bench/ingest-only.ts ...`); `npm run bench` measures it beside the rest.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BULK_LOAD_CACHE_MIB, openEmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { ChainGenerator } from './generator.js';
import { ingest } from './ingest.js';

const { values } = parseArgs({ options: { size: { type: 'string', default: '100000' }, batch: { type: 'string', default: '0' }, dir: { type: 'string', default: '/tmp/ariadne-ingest-only' } } });
const dir = values.dir!;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const store = await openEmbeddedStore({ dir, cacheMiB: BULK_LOAD_CACHE_MIB });
const gen = new ChainGenerator({ size: Number(values.size) });
const f = await ingest(store, gen, (line) => console.log(line), Number(values.batch));
await store.close();
console.log(`${f.transfers} transfers, ${f.transactions} transactions in ${f.wallS.toFixed(1)} s (CPU ${f.cpuS.toFixed(1)} s): ${Math.round(f.transfers / f.wallS)} transfers/s`);

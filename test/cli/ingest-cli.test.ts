/**
 * The `ariadne` CLI end to end, as a user runs it: real files from ../shared/data, a real data directory,
 * exit statuses. Expected counts are the data README's own figures.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';

const root = path.resolve(import.meta.dirname, '../..');
const data = path.resolve(root, '../shared/data');
const bin = path.join(root, 'bin/ariadne.js');
const block = path.join(data, 'bitcoin/block413567.raw');
const prevouts = path.join(data, 'bitcoin/block413567-prevouts.csv');
const framed = path.join(data, 'bitcoin/blocks1-255.framed.bz2');

const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ariadne-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function ariadne(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ARIADNE_DATA_DIR: dataDir }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

async function statsOf(dataDir: string) {
  const store = await openEmbeddedStore({ dir: dataDir });
  try {
    return await store.stats();
  } finally {
    await store.close();
  }
}

describe('ariadne ingest', () => {
  it('loads block 413,567 with its prevouts to the published counts, and a second run changes nothing', async () => {
    const dir = freshDir();
    const first = ariadne(dir, 'ingest', 'bitcoin', block, '--prevouts', prevouts, '--json');
    expect(first.status).toBe(0);
    // Data README: 1,557 transactions, 4,886 spent outputs, 31,310,238 sat of fees; 3,581 outputs by count.
    expect(first.json().chains.btc).toMatchObject({ blocks: 1, transactions: 1557, inputs: 4886, resolvedInputs: 4886, outputs: 3581, fees: '31310238' });
    const before = await statsOf(dir);
    const second = ariadne(dir, 'ingest', 'bitcoin', block, '--prevouts', prevouts, '--json');
    expect(second.status).toBe(0);
    expect(second.json().chains.btc).toMatchObject({ blocks: 0, skippedBlocks: 1, transactions: 0 });
    expect(await statsOf(dir)).toEqual(before);
  });

  it('refuses a corrupted copy of the block, writes nothing of it, and still loads the good file of the same run', async () => {
    const dir = freshDir();
    const bad = path.join(dir, 'truncated.raw');
    const bytes = readFileSync(block);
    writeFileSync(bad, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const run = ariadne(dir, 'ingest', 'bitcoin', bad, framed, '--json');
    expect(run.status).toBe(1);
    const summary = run.json();
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0].file).toBe(bad);
    expect(summary.failures[0].message).toMatch(/truncated|end of|short|length/i);
    // blocks1-255: 255 blocks (data README); nothing of block 413,567.
    expect(summary.chains.btc.blocks).toBe(255);
    const stats = await statsOf(dir);
    expect(stats.perChain.btc!.blocks).toBe(255);
    expect(stats.perChain.btc!.fees).toBe(0n);
  });

  it('names the file and exits non-zero for a file of the wrong kind', () => {
    const dir = freshDir();
    const eth = path.join(data, 'ethereum/block-14151203.json');
    const run = ariadne(dir, 'ingest', 'bitcoin', eth);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`FAILED ${eth}`);
  });

  it('leaves a consistent store when killed mid-ingest, and a re-run completes it', async () => {
    const dir = freshDir();
    const copy = path.join(dir, 'blocks.bz2');
    copyFileSync(framed, copy);
    const child = spawn(process.execPath, [bin, 'ingest', 'bitcoin', copy, block, '--prevouts', prevouts], { env: { ...process.env, ARIADNE_DATA_DIR: dir }, stdio: 'ignore' });
    // Kill once some blocks have been written (the store file exists and holds blocks), before the end.
    const deadline = Date.now() + 30_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      let blocks = 0;
      try {
        const { default: Database } = await import('better-sqlite3');
        const db = new Database(path.join(dir, 'ariadne.sqlite'), { readonly: true, fileMustExist: true });
        blocks = (db.prepare('SELECT COUNT(*) AS n FROM blocks').get() as { n: number }).n;
        db.close();
      } catch {
        // not created yet
      }
      if (blocks > 20 || Date.now() > deadline || child.exitCode !== null) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    // Every stored block is whole: its transaction count matches what was recorded for it.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(dir, 'ariadne.sqlite'));
    const partial = db.prepare('SELECT b.hash FROM blocks b WHERE b.tx_count != (SELECT COUNT(*) FROM txs t WHERE t.block_hash = b.hash)').all();
    db.close();
    expect(partial).toEqual([]);
    const rerun = ariadne(dir, 'ingest', 'bitcoin', copy, block, '--prevouts', prevouts, '--json');
    expect(rerun.status).toBe(0);
    const stats = await statsOf(dir);
    // 255 framed blocks + block 413,567; fees only in 413,567 (blocks 1-255 pay none: data README facts).
    expect(stats.perChain.btc!.blocks).toBe(256);
    expect(stats.perChain.btc!.fees).toBe(31_310_238n);
    expect(stats.perChain.btc!.resolvedInputs).toBe(stats.perChain.btc!.inputs);
  });
});

describe('ariadne labels', () => {
  it('loads the OFAC lists: 434 valid BTC addresses (one Tron address refused by line) and 152 ETH', async () => {
    const dir = freshDir();
    const run = ariadne(dir, 'labels', 'ofac', path.join(data, 'ofac/sanctioned_addresses_XBT.txt'), path.join(data, 'ofac/sanctioned_addresses_ETH.txt'), '--json');
    expect(run.status).toBe(1);
    const summary = run.json();
    const bySource = Object.fromEntries(summary.sources.map((s: { source: string; added: number }) => [s.source, s.added]));
    expect(bySource).toEqual({ 'ofac-sdn-list:XBT': 434, 'ofac-sdn-list:ETH': 152 });
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0].message).toContain('line 355');
    const store = await openEmbeddedStore({ dir });
    const sanctioned = await store.findAddressesByCategory(['sanctioned']);
    await store.close();
    expect(sanctioned.filter((a) => a.startsWith('btc:'))).toHaveLength(434);
    expect(sanctioned.filter((a) => a.startsWith('eth:'))).toHaveLength(152);
  });
});

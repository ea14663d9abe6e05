import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { addr, coinbase, spend, tinyGraph } from '../../ingest/scenario/tiny-graph.js';
import type { Block } from '../../model/transaction.js';
import { openEmbeddedStore, type EmbeddedStore } from './embedded-store.js';
import { SCHEMA_VERSION } from './schema.js';

/** The version 1 layout, as released: inputs and outputs keyed by the transaction id string. */
const V1_SQL = `
CREATE TABLE blocks (chain TEXT NOT NULL, hash TEXT NOT NULL, height INTEGER NOT NULL, time INTEGER NOT NULL, tx_count INTEGER NOT NULL, written_at INTEGER NOT NULL, PRIMARY KEY (chain, hash)) WITHOUT ROWID;
CREATE INDEX blocks_height ON blocks (chain, height);
CREATE TABLE txs (id TEXT PRIMARY KEY, chain TEXT NOT NULL, hash TEXT NOT NULL, block_hash TEXT NOT NULL, height INTEGER NOT NULL, time INTEGER NOT NULL, position INTEGER NOT NULL, coinbase INTEGER NOT NULL, status TEXT NOT NULL, fee TEXT, n_inputs INTEGER NOT NULL, n_outputs INTEGER NOT NULL, unresolved INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX txs_height ON txs (chain, height, position);
CREATE TABLE outputs (tx_id TEXT NOT NULL, idx INTEGER NOT NULL, address TEXT, value TEXT NOT NULL, asset TEXT NOT NULL, script_type TEXT NOT NULL, detail TEXT, PRIMARY KEY (tx_id, idx)) WITHOUT ROWID;
CREATE INDEX outputs_address ON outputs (address) WHERE address IS NOT NULL;
CREATE TABLE inputs (tx_id TEXT NOT NULL, idx INTEGER NOT NULL, address TEXT, value TEXT, asset TEXT NOT NULL, prev_tx_id TEXT, prev_vout INTEGER, address_source TEXT, PRIMARY KEY (tx_id, idx)) WITHOUT ROWID;
CREATE INDEX inputs_address ON inputs (address) WHERE address IS NOT NULL;
CREATE INDEX inputs_prevout ON inputs (prev_tx_id, prev_vout) WHERE prev_tx_id IS NOT NULL;
CREATE TABLE addresses (id TEXT PRIMARY KEY, chain TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE chain_stats (chain TEXT PRIMARY KEY, fees TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE labels (id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT NOT NULL, category TEXT NOT NULL, label TEXT NOT NULL, source TEXT NOT NULL, confidence INTEGER NOT NULL, actor TEXT, detail TEXT, added_at INTEGER NOT NULL, removed_at INTEGER);
`;

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'ariadne-schema-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Heights 1-5: t4 spends c3, t5 spends t4 (blocks[4] is the write after the migration). */
function graph(): Block[] {
  const g = tinyGraph('btc');
  g.tx('c1', { height: 1, inputs: [coinbase()], outputs: [['A', 50n], ['B', 30n]] });
  g.tx('t2', { height: 2, inputs: [spend('c1', 0), spend('c1', 1)], outputs: [['C', 70n], { name: null, value: 0n }] });
  g.tx('c3', { height: 3, inputs: [coinbase()], outputs: [['D', 20n]] });
  g.tx('t4', { height: 4, inputs: [spend('c3', 0)], outputs: [['E', 15n]] });
  g.tx('t5', { height: 5, inputs: [spend('t4', 0)], outputs: [['A', 14n]] });
  return g.blocks();
}

/** Everything a reader can see, in a comparable form. */
async function snapshot(store: EmbeddedStore) {
  const ids = await store.findTransactionsByHeight('btc', 0, 4);
  const flows = await store.getFlows(['A', 'B', 'C', 'D', 'E'].map((n) => addr(n)));
  return { stats: await store.stats(), txs: [...(await store.getTransactions(ids))], flows: [...flows] };
}

describe('embedded schema', () => {
  it('migrates a version 1 data directory to the current layout with every row intact', async () => {
    const blocks = graph();
    // The reference: blocks 1-4 written by this version, block 4 first, so that t4's input waits for c3
    // (an unresolved input, then a backfill).
    const refDir = fresh();
    const ref = await openEmbeddedStore({ dir: refDir });
    await ref.writeBlock(blocks[3]!);
    await ref.writeBlocks(blocks.slice(0, 3));
    await ref.importLabels('test', [{ address: addr('A'), category: 'exchange', label: 'Ex', source: 'test', confidence: 90, actor: null }]);
    const expected = await snapshot(ref);
    await ref.close();

    // The same rows in the version 1 layout.
    const oldDir = fresh();
    const v1 = new Database(path.join(oldDir, 'ariadne.sqlite'));
    v1.exec(V1_SQL);
    v1.exec(`ATTACH '${path.join(refDir, 'ariadne.sqlite')}' AS ref`);
    v1.exec(`
      INSERT INTO blocks SELECT * FROM ref.blocks;
      INSERT INTO txs SELECT id, chain, hash, block_hash, height, time, position, coinbase, status, fee, n_inputs, n_outputs, unresolved FROM ref.txs;
      INSERT INTO inputs SELECT t.id, i.idx, i.address, i.value, i.asset, i.prev_tx_id, i.prev_vout, i.address_source FROM ref.inputs i JOIN ref.txs t ON t.seq = i.tx;
      INSERT INTO outputs SELECT t.id, o.idx, o.address, o.value, o.asset, o.script_type, o.detail FROM ref.outputs o JOIN ref.txs t ON t.seq = o.tx;
      INSERT INTO addresses SELECT * FROM ref.addresses;
      INSERT INTO chain_stats SELECT * FROM ref.chain_stats;
      INSERT INTO labels SELECT * FROM ref.labels;
    `);
    v1.exec('DETACH ref');
    v1.pragma('user_version = 1');
    v1.close();

    const migrated = await openEmbeddedStore({ dir: oldDir });
    expect(await snapshot(migrated)).toEqual(expected);
    expect(migrated.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = migrated.db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%_v1' OR name IN ('inputs_address', 'outputs_address', 'inputs_prevout')").all();
    expect(tables).toEqual([]);
    // The migrated store goes on: stored blocks are skipped, and t5's input is resolved from t4's output.
    const again = await migrated.writeBlocks(blocks);
    expect(again.map((r) => r.written)).toEqual([false, false, false, false, true]);
    expect(again[4]).toMatchObject({ resolvedInputs: 1, fees: 1n });
    await migrated.close();
  });

  it('refuses a data directory written by a newer version, naming both versions', async () => {
    const dir = fresh();
    const db = new Database(path.join(dir, 'ariadne.sqlite'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(openEmbeddedStore({ dir })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringContaining(`schema ${SCHEMA_VERSION + 1}, this one reads ${SCHEMA_VERSION}`),
    });
  });
});

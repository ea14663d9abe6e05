/**
 * SQLite schema of the embedded store. Amounts are TEXT decimal strings (wei exceed SQLite's 64-bit
 * INTEGER); sums happen in JS with bigint. `user_version` versions the schema; `migrateSchema` brings an
 * older data directory up to date when the store opens.
 *
 * Layout for write speed (docs/performance.md, "Embedded ingest"): a transaction id is a random 68-byte
 * string, and a B-tree keyed by random strings costs a page miss per insert once it outgrows the cache.
 * So each transaction gets a sequence number (`txs.seq`, the rowid, in write order) and its inputs and
 * outputs are keyed by (seq, idx): those two large tables grow at their end. Only `txs.id` stays random.
 * Address look-ups are served by the memory index, which is why inputs and outputs carry no address index,
 * and `addresses` holds only the addresses known without flows (through a label; a data directory of
 * version 1 also has a row for every other address, which is harmless). `inputs_awaiting` holds only the
 * inputs whose spent output is unknown.
 */
import type Database from 'better-sqlite3';

export const SCHEMA_VERSION = 2;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS blocks (
  chain      TEXT    NOT NULL,
  hash       TEXT    NOT NULL,
  height     INTEGER NOT NULL,
  time       INTEGER NOT NULL,
  tx_count   INTEGER NOT NULL,
  written_at INTEGER NOT NULL,
  PRIMARY KEY (chain, hash)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS blocks_height ON blocks (chain, height);

CREATE TABLE IF NOT EXISTS txs (
  seq         INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL UNIQUE,
  chain       TEXT    NOT NULL,
  hash        TEXT    NOT NULL,
  block_hash  TEXT    NOT NULL,
  height      INTEGER NOT NULL,
  time        INTEGER NOT NULL,
  position    INTEGER NOT NULL,
  coinbase    INTEGER NOT NULL,
  status      TEXT    NOT NULL,
  fee         TEXT,
  n_inputs    INTEGER NOT NULL,
  n_outputs   INTEGER NOT NULL,
  unresolved  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS txs_height ON txs (chain, height, position);

CREATE TABLE IF NOT EXISTS outputs (
  tx          INTEGER NOT NULL,
  idx         INTEGER NOT NULL,
  address     TEXT,
  value       TEXT    NOT NULL,
  asset       TEXT    NOT NULL,
  script_type TEXT    NOT NULL,
  detail      TEXT,
  PRIMARY KEY (tx, idx)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS inputs (
  tx             INTEGER NOT NULL,
  idx            INTEGER NOT NULL,
  address        TEXT,
  value          TEXT,
  asset          TEXT    NOT NULL,
  prev_tx_id     TEXT,
  prev_vout      INTEGER,
  address_source TEXT,
  PRIMARY KEY (tx, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS inputs_awaiting ON inputs (prev_tx_id) WHERE value IS NULL AND prev_tx_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS addresses (
  id     TEXT PRIMARY KEY,
  chain  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS chain_stats (
  chain  TEXT PRIMARY KEY,
  fees   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS labels (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  address    TEXT    NOT NULL,
  category   TEXT    NOT NULL,
  label      TEXT    NOT NULL,
  source     TEXT    NOT NULL,
  confidence INTEGER NOT NULL,
  actor      TEXT,
  detail     TEXT,
  added_at   INTEGER NOT NULL,
  removed_at INTEGER
);
CREATE INDEX IF NOT EXISTS labels_address ON labels (address);
CREATE INDEX IF NOT EXISTS labels_source ON labels (source) WHERE removed_at IS NULL;
CREATE INDEX IF NOT EXISTS labels_category ON labels (category) WHERE removed_at IS NULL;
`;

/**
 * Version 1 keyed inputs and outputs by the transaction id string and indexed them by address. The
 * transactions are renumbered in chain order and their inputs and outputs copied across, in one
 * transaction: a crash leaves version 1 intact, and the next open migrates again.
 */
const FROM_V1_SQL = `
ALTER TABLE txs RENAME TO txs_v1;
ALTER TABLE inputs RENAME TO inputs_v1;
ALTER TABLE outputs RENAME TO outputs_v1;
DROP INDEX IF EXISTS txs_height;
DROP INDEX IF EXISTS inputs_address;
DROP INDEX IF EXISTS inputs_prevout;
DROP INDEX IF EXISTS outputs_address;
${SCHEMA_SQL}
INSERT INTO txs (id, chain, hash, block_hash, height, time, position, coinbase, status, fee, n_inputs, n_outputs, unresolved)
  SELECT id, chain, hash, block_hash, height, time, position, coinbase, status, fee, n_inputs, n_outputs, unresolved
  FROM txs_v1 ORDER BY chain, height, position, id;
INSERT INTO inputs (tx, idx, address, value, asset, prev_tx_id, prev_vout, address_source)
  SELECT t.seq, i.idx, i.address, i.value, i.asset, i.prev_tx_id, i.prev_vout, i.address_source
  FROM inputs_v1 i JOIN txs t ON t.id = i.tx_id ORDER BY t.seq, i.idx;
INSERT INTO outputs (tx, idx, address, value, asset, script_type, detail)
  SELECT t.seq, o.idx, o.address, o.value, o.asset, o.script_type, o.detail
  FROM outputs_v1 o JOIN txs t ON t.id = o.tx_id ORDER BY t.seq, o.idx;
DROP TABLE inputs_v1;
DROP TABLE outputs_v1;
DROP TABLE txs_v1;
`;

/** Creates the schema in a new store, or migrates an older one to SCHEMA_VERSION. */
export function migrateSchema(db: Database.Database, version: number): void {
  db.transaction(() => {
    const hasTables = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'txs'").get() !== undefined;
    if (hasTables && version === 1) db.exec(FROM_V1_SQL);
    else db.exec(SCHEMA_SQL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/**
 * SQLite schema of the embedded store. Amounts are TEXT decimal strings (wei exceed SQLite's 64-bit
 * INTEGER); sums happen in JS with bigint. `user_version` versions the schema.
 */
export const SCHEMA_VERSION = 1;

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
  id          TEXT    PRIMARY KEY,
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
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS txs_height ON txs (chain, height, position);

CREATE TABLE IF NOT EXISTS outputs (
  tx_id       TEXT    NOT NULL,
  idx         INTEGER NOT NULL,
  address     TEXT,
  value       TEXT    NOT NULL,
  asset       TEXT    NOT NULL,
  script_type TEXT    NOT NULL,
  detail      TEXT,
  PRIMARY KEY (tx_id, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS outputs_address ON outputs (address) WHERE address IS NOT NULL;

CREATE TABLE IF NOT EXISTS inputs (
  tx_id          TEXT    NOT NULL,
  idx            INTEGER NOT NULL,
  address        TEXT,
  value          TEXT,
  asset          TEXT    NOT NULL,
  prev_tx_id     TEXT,
  prev_vout      INTEGER,
  address_source TEXT,
  PRIMARY KEY (tx_id, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS inputs_address ON inputs (address) WHERE address IS NOT NULL;
CREATE INDEX IF NOT EXISTS inputs_prevout ON inputs (prev_tx_id, prev_vout) WHERE prev_tx_id IS NOT NULL;

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

/**
 * SQLite tables of the compliance port, in the embedded store's database (same file as the graph, so a
 * customer's addresses and an alert's evidence join the graph's `addresses` and `txs` by id). Records are
 * JSON documents beside the columns that are queried. The audit trail is append-only: triggers refuse
 * UPDATE and DELETE, and the head (last seq and hash) is kept in its own row.
 */
export const COMPLIANCE_SCHEMA_VERSION = 1;

export const COMPLIANCE_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS cmp_meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cmp_customers (
  id          TEXT    PRIMARY KEY,
  type        TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  country     TEXT    NOT NULL,
  risk_level  TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL,
  record      TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cmp_customer_addresses (
  address      TEXT NOT NULL,
  customer_id  TEXT NOT NULL REFERENCES cmp_customers (id),
  PRIMARY KEY (address, customer_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cmp_customer_addresses_customer ON cmp_customer_addresses (customer_id);

CREATE TABLE IF NOT EXISTS cmp_edd_tasks (
  id           TEXT    PRIMARY KEY,
  customer_id  TEXT    NOT NULL REFERENCES cmp_customers (id),
  status       TEXT    NOT NULL,
  opened_at    INTEGER NOT NULL,
  version      INTEGER NOT NULL,
  record       TEXT    NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS cmp_edd_one_open ON cmp_edd_tasks (customer_id) WHERE status = 'OPEN';

CREATE TABLE IF NOT EXISTS cmp_alerts (
  id           TEXT    PRIMARY KEY,
  dedup_key    TEXT    NOT NULL UNIQUE,
  rule_id      TEXT    NOT NULL,
  customer_id  TEXT,
  status       TEXT    NOT NULL,
  assignee     TEXT,
  created_at   INTEGER NOT NULL,
  version      INTEGER NOT NULL,
  record       TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cmp_alerts_customer ON cmp_alerts (customer_id);
CREATE INDEX IF NOT EXISTS cmp_alerts_status ON cmp_alerts (status, created_at);

CREATE TABLE IF NOT EXISTS cmp_alert_addresses (
  address   TEXT NOT NULL,
  alert_id  TEXT NOT NULL REFERENCES cmp_alerts (id),
  PRIMARY KEY (address, alert_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cmp_alert_txs (
  tx_id     TEXT NOT NULL,
  alert_id  TEXT NOT NULL REFERENCES cmp_alerts (id),
  PRIMARY KEY (tx_id, alert_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cmp_reports (
  id           TEXT    PRIMARY KEY,
  kind         TEXT    NOT NULL,
  status       TEXT    NOT NULL,
  customer_id  TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  version      INTEGER NOT NULL,
  record       TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cmp_report_alerts (
  alert_id   TEXT NOT NULL,
  report_id  TEXT NOT NULL REFERENCES cmp_reports (id),
  PRIMARY KEY (alert_id, report_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cmp_audit (
  seq        INTEGER PRIMARY KEY,
  at         INTEGER NOT NULL,
  actor      TEXT    NOT NULL,
  action     TEXT    NOT NULL,
  subject    TEXT    NOT NULL,
  details    TEXT    NOT NULL,
  prev_hash  TEXT    NOT NULL,
  hash       TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS cmp_audit_subject ON cmp_audit (subject, seq);

CREATE TABLE IF NOT EXISTS cmp_audit_head (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  seq   INTEGER NOT NULL,
  hash  TEXT    NOT NULL
);

CREATE TRIGGER IF NOT EXISTS cmp_audit_no_update BEFORE UPDATE ON cmp_audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be updated'); END;
CREATE TRIGGER IF NOT EXISTS cmp_audit_no_delete BEFORE DELETE ON cmp_audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be deleted'); END;
`;

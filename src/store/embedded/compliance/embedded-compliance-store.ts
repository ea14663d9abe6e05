/**
 * The compliance port on the embedded store's SQLite database (compliance-schema.ts). It shares the graph's
 * `Database` (EmbeddedStore.db), so customers, alerts and the graph live in one file and one backup.
 *
 * Guarantees (the port's contract): every batch runs in one SQLite transaction together with its audit
 * entries; versions are compared and set inside that transaction (compare-and-set); the audit trail is
 * appended under the transaction's write lock, so seq has no gap and each entry links to the one before.
 * better-sqlite3 is synchronous: a transaction cannot interleave with another call of this process.
 */
import type Database from 'better-sqlite3';
import { AriadneError, invalidInput, notFound } from '../../../errors.js';
import type { AddressId, TxId } from '../../../model/address.js';
import {
  GENESIS_HASH,
  assertAuditContext,
  assertAuditNotes,
  auditEntryHash,
  canonicalJson,
  type Alert,
  type AlertQuery,
  type AuditContext,
  type AuditEntry,
  type AuditNote,
  type ComplianceStore,
  type CreateResult,
  type Customer,
  type CustomerQuery,
  type CustomerSummary,
  type EddTask,
  type JsonObject,
  type Report,
  type ReportQuery,
  type ReportSummary,
  type Update,
  type Write,
} from '../../compliance-store.js';
import { COMPLIANCE_SCHEMA_SQL, COMPLIANCE_SCHEMA_VERSION } from './compliance-schema.js';

export interface EmbeddedComplianceOptions {
  /** Clock for audit timestamps, unix ms (tests pin it). */
  now?: () => number;
}

interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
}

const conflict = (message: string, context: Record<string, unknown> = {}) => new AriadneError('CONFLICT', message, context);
const MAX_AUDIT_PAGE = 10_000;
const MAX_LIST = 10_000;

export class EmbeddedComplianceStore implements ComplianceStore {
  readonly engine = 'embedded' as const;
  private readonly now: () => number;

  constructor(
    readonly db: Database.Database,
    options: EmbeddedComplianceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    try {
      db.exec(COMPLIANCE_SCHEMA_SQL);
      const row = db.prepare<[], { value: string }>("SELECT value FROM cmp_meta WHERE key = 'schema_version'").get();
      if (row && Number(row.value) > COMPLIANCE_SCHEMA_VERSION) {
        throw new AriadneError('STORE_UNAVAILABLE', `the compliance tables were written by a newer Ariadne (schema ${row.value}, this one reads ${COMPLIANCE_SCHEMA_VERSION})`);
      }
      if (!row) db.prepare("INSERT INTO cmp_meta (key, value) VALUES ('schema_version', ?)").run(String(COMPLIANCE_SCHEMA_VERSION));
    } catch (err) {
      if (err instanceof AriadneError) throw err;
      throw new AriadneError('STORE_UNAVAILABLE', `cannot prepare the compliance tables: ${(err as Error).message}`, {}, { cause: err });
    }
  }

  // ---------------------------------------------------------------- audit (inside transactions)

  private append(ctx: AuditContext, subject: string, notes: readonly AuditNote[]): AuditEntry[] {
    const head = this.db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM cmp_audit_head WHERE id = 1').get();
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const insert = this.db.prepare('INSERT INTO cmp_audit (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const out: AuditEntry[] = [];
    for (const note of notes) {
      seq++;
      const details = (note.details ?? {}) as JsonObject;
      const content = { seq, at: this.now(), actor: ctx.actor, action: note.action, subject, details: JSON.parse(canonicalJson(details)) as JsonObject, prevHash };
      const hash = auditEntryHash(content);
      insert.run(content.seq, content.at, content.actor, content.action, content.subject, canonicalJson(content.details), prevHash, hash);
      out.push({ ...content, hash });
      prevHash = hash;
    }
    if (out.length > 0) {
      this.db.prepare('INSERT INTO cmp_audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash').run(seq, prevHash);
    }
    return out;
  }

  private run<T>(work: () => T): T {
    try {
      return this.db.transaction(work)();
    } catch (err) {
      if (err instanceof AriadneError) throw err;
      throw new AriadneError('STORE_UNAVAILABLE', `compliance store write failed: ${(err as Error).message}`, {}, { cause: err });
    }
  }

  async appendAudit(items: readonly (AuditNote & { subject: string })[], ctx: AuditContext): Promise<AuditEntry[]> {
    assertAuditContext(ctx);
    for (const i of items) {
      if (typeof i.subject !== 'string' || i.subject === '') throw invalidInput('audit entry: expected a non-empty subject');
      assertAuditNotes(i.subject, [i]);
    }
    return this.run(() => items.flatMap((i) => this.append(ctx, i.subject, [{ action: i.action, details: i.details }])));
  }

  async readAudit(query: { fromSeq?: number; limit?: number; subject?: string } = {}): Promise<AuditEntry[]> {
    const from = query.fromSeq ?? 1;
    const limit = Math.min(query.limit ?? 1000, MAX_AUDIT_PAGE);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(limit) || limit < 1) throw invalidInput(`audit page: expected integers fromSeq and limit >= 1, got ${from} and ${limit}`);
    const rows =
      query.subject === undefined
        ? this.db.prepare<[number, number], AuditRow>('SELECT * FROM cmp_audit WHERE seq >= ? ORDER BY seq LIMIT ?').all(from, limit)
        : this.db.prepare<[string, number, number], AuditRow>('SELECT * FROM cmp_audit WHERE subject = ? AND seq >= ? ORDER BY seq LIMIT ?').all(query.subject, from, limit);
    return rows.map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: JSON.parse(r.details) as JsonObject, prevHash: r.prev_hash, hash: r.hash }));
  }

  async auditHead(): Promise<{ seq: number; hash: string } | null> {
    return this.db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM cmp_audit_head WHERE id = 1').get() ?? null;
  }

  // ---------------------------------------------------------------- customers

  async createCustomers(items: readonly Write<Customer>[], ctx: AuditContext): Promise<Customer[]> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    return this.run(() =>
      items.map(({ record, audit }) => {
        if (this.db.prepare('SELECT 1 FROM cmp_customers WHERE id = ?').get(record.id)) throw conflict(`customer ${record.id} already exists`, { customer: record.id });
        const stored: Customer = { ...record, version: 1 };
        this.db
          .prepare('INSERT INTO cmp_customers (id, type, status, country, risk_level, created_at, updated_at, version, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(stored.id, stored.type, stored.status, stored.country, stored.risk?.level ?? null, stored.createdAt, stored.updatedAt, 1, JSON.stringify(stored));
        this.linkAddresses(stored.id, stored.addresses);
        this.append(ctx, stored.id, audit);
        return stored;
      }),
    );
  }

  async updateCustomers(items: readonly Update<Customer>[], ctx: AuditContext): Promise<Customer[]> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    return this.run(() =>
      items.map(({ record, audit, expectedVersion }) => {
        const row = this.db.prepare<[string], { version: number }>('SELECT version FROM cmp_customers WHERE id = ?').get(record.id);
        if (!row) throw notFound(`customer ${record.id} does not exist`, { customer: record.id });
        if (row.version !== expectedVersion) throw conflict(`customer ${record.id} changed meanwhile: expected version ${expectedVersion}, stored ${row.version}`, { customer: record.id });
        const stored: Customer = { ...record, version: expectedVersion + 1 };
        this.db
          .prepare('UPDATE cmp_customers SET type = ?, status = ?, country = ?, risk_level = ?, updated_at = ?, version = ?, record = ? WHERE id = ?')
          .run(stored.type, stored.status, stored.country, stored.risk?.level ?? null, stored.updatedAt, stored.version, JSON.stringify(stored), stored.id);
        this.db.prepare('DELETE FROM cmp_customer_addresses WHERE customer_id = ?').run(stored.id);
        this.linkAddresses(stored.id, stored.addresses);
        this.append(ctx, stored.id, audit);
        return stored;
      }),
    );
  }

  private linkAddresses(customerId: string, addresses: readonly AddressId[]): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO cmp_customer_addresses (address, customer_id) VALUES (?, ?)');
    for (const a of addresses) insert.run(a, customerId);
  }

  async readCustomers(ids: readonly string[], ctx: AuditContext): Promise<Map<string, Customer>> {
    assertAuditContext(ctx);
    const out = new Map<string, Customer>();
    const unique = [...new Set(ids)];
    this.run(() => {
      const get = this.db.prepare<[string], { record: string }>('SELECT record FROM cmp_customers WHERE id = ?');
      for (const id of unique) {
        const row = get.get(id);
        if (row) out.set(id, JSON.parse(row.record) as Customer);
        this.append(ctx, id, [{ action: 'customer.read', details: { found: row !== undefined, ...(ctx.purpose ? { purpose: ctx.purpose } : {}) } }]);
      }
    });
    return out;
  }

  async listCustomers(query: CustomerQuery, ctx: AuditContext): Promise<CustomerSummary[]> {
    assertAuditContext(ctx);
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.status) (where.push('status = ?'), params.push(query.status));
    if (query.riskLevel) (where.push('risk_level = ?'), params.push(query.riskLevel));
    if (query.after) (where.push('id > ?'), params.push(query.after));
    const limit = Math.min(query.limit ?? 100, MAX_LIST);
    const sql = `SELECT c.id, c.type, c.status, c.country, c.risk_level, c.created_at, (SELECT COUNT(*) FROM cmp_customer_addresses a WHERE a.customer_id = c.id) AS n
      FROM cmp_customers c ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id LIMIT ?`;
    return this.run(() => {
      const rows = this.db.prepare(sql).all(...params, limit) as { id: string; type: string; status: string; country: string; risk_level: string | null; created_at: number; n: number }[];
      const summaries = rows.map((r) => ({
        id: r.id,
        type: r.type as CustomerSummary['type'],
        status: r.status as CustomerSummary['status'],
        country: r.country,
        riskLevel: r.risk_level as CustomerSummary['riskLevel'],
        addressCount: r.n,
        createdAt: r.created_at,
      }));
      this.append(ctx, '*', [{ action: 'customer.list', details: { query: JSON.parse(canonicalJson(query)) as JsonObject, count: summaries.length } }]);
      return summaries;
    });
  }

  async linkedCustomers(addresses: readonly AddressId[]): Promise<Map<AddressId, string[]>> {
    const out = new Map<AddressId, string[]>();
    const q = this.db.prepare<[string], { customer_id: string }>('SELECT customer_id FROM cmp_customer_addresses WHERE address = ? ORDER BY customer_id');
    for (const a of new Set(addresses)) {
      const ids = q.all(a).map((r) => r.customer_id);
      if (ids.length > 0) out.set(a, ids);
    }
    return out;
  }

  async linkedAddresses(customerIds: readonly string[]): Promise<Map<string, AddressId[]>> {
    const out = new Map<string, AddressId[]>();
    const exists = this.db.prepare('SELECT 1 FROM cmp_customers WHERE id = ?');
    const q = this.db.prepare<[string], { address: string }>('SELECT address FROM cmp_customer_addresses WHERE customer_id = ? ORDER BY address');
    for (const id of new Set(customerIds)) if (exists.get(id)) out.set(id, q.all(id).map((r) => r.address));
    return out;
  }

  // ---------------------------------------------------------------- EDD

  async openEddTasks(items: readonly Write<EddTask>[], ctx: AuditContext): Promise<CreateResult<EddTask>> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    return this.run(() => {
      const result: CreateResult<EddTask> = { created: [], existing: [] };
      for (const { record, audit } of items) {
        if (!this.db.prepare('SELECT 1 FROM cmp_customers WHERE id = ?').get(record.customerId)) throw notFound(`customer ${record.customerId} does not exist`, { customer: record.customerId });
        const open = this.db.prepare<[string], { record: string }>("SELECT record FROM cmp_edd_tasks WHERE customer_id = ? AND status = 'OPEN'").get(record.customerId);
        if (open) {
          result.existing.push(JSON.parse(open.record) as EddTask);
          continue;
        }
        if (this.db.prepare('SELECT 1 FROM cmp_edd_tasks WHERE id = ?').get(record.id)) throw conflict(`EDD task ${record.id} already exists`);
        const stored: EddTask = { ...record, status: 'OPEN', version: 1 };
        this.db.prepare('INSERT INTO cmp_edd_tasks (id, customer_id, status, opened_at, version, record) VALUES (?, ?, ?, ?, ?, ?)').run(stored.id, stored.customerId, stored.status, stored.openedAt, 1, JSON.stringify(stored));
        this.append(ctx, stored.id, audit);
        result.created.push(stored);
      }
      return result;
    });
  }

  async updateEddTasks(items: readonly Update<EddTask>[], ctx: AuditContext): Promise<EddTask[]> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    return this.run(() =>
      items.map(({ record, audit, expectedVersion }) => {
        const row = this.db.prepare<[string], { version: number; customer_id: string }>('SELECT version, customer_id FROM cmp_edd_tasks WHERE id = ?').get(record.id);
        if (!row) throw notFound(`EDD task ${record.id} does not exist`);
        if (row.version !== expectedVersion) throw conflict(`EDD task ${record.id} changed meanwhile: expected version ${expectedVersion}, stored ${row.version}`);
        if (record.customerId !== row.customer_id) throw invalidInput(`EDD task ${record.id} belongs to ${row.customer_id}: its customer cannot change`);
        const stored: EddTask = { ...record, version: expectedVersion + 1 };
        this.db.prepare('UPDATE cmp_edd_tasks SET status = ?, version = ?, record = ? WHERE id = ?').run(stored.status, stored.version, JSON.stringify(stored), stored.id);
        this.append(ctx, stored.id, audit);
        return stored;
      }),
    );
  }

  async findEddTasks(query: { customerId?: string; status?: EddTask['status'] }): Promise<EddTask[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (query.customerId) (where.push('customer_id = ?'), params.push(query.customerId));
    if (query.status) (where.push('status = ?'), params.push(query.status));
    const rows = this.db.prepare(`SELECT record FROM cmp_edd_tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY opened_at, id`).all(...params) as { record: string }[];
    return rows.map((r) => JSON.parse(r.record) as EddTask);
  }

  // ---------------------------------------------------------------- alerts

  async createAlerts(items: readonly Write<Alert>[], ctx: AuditContext): Promise<CreateResult<Alert>> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    return this.run(() => {
      const result: CreateResult<Alert> = { created: [], existing: [] };
      const byKey = this.db.prepare<[string], { record: string }>('SELECT record FROM cmp_alerts WHERE dedup_key = ?');
      for (const { record, audit } of items) {
        const dup = byKey.get(record.dedupKey);
        if (dup) {
          result.existing.push(JSON.parse(dup.record) as Alert);
          continue;
        }
        if (this.db.prepare('SELECT 1 FROM cmp_alerts WHERE id = ?').get(record.id)) throw conflict(`alert ${record.id} already exists`, { alert: record.id });
        const stored: Alert = { ...record, version: 1 };
        this.db
          .prepare('INSERT INTO cmp_alerts (id, dedup_key, rule_id, customer_id, status, assignee, created_at, version, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(stored.id, stored.dedupKey, stored.ruleId, stored.customerId, stored.status, stored.assignee, stored.createdAt, 1, JSON.stringify(stored));
        this.indexAlert(stored);
        this.append(ctx, stored.id, audit);
        result.created.push(stored);
      }
      return result;
    });
  }

  private indexAlert(alert: Alert): void {
    this.db.prepare('DELETE FROM cmp_alert_addresses WHERE alert_id = ?').run(alert.id);
    this.db.prepare('DELETE FROM cmp_alert_txs WHERE alert_id = ?').run(alert.id);
    const addr = this.db.prepare('INSERT OR IGNORE INTO cmp_alert_addresses (address, alert_id) VALUES (?, ?)');
    const tx = this.db.prepare('INSERT OR IGNORE INTO cmp_alert_txs (tx_id, alert_id) VALUES (?, ?)');
    for (const a of alert.evidence.addresses) addr.run(a, alert.id);
    for (const p of alert.evidence.paths) for (const a of p.addresses) addr.run(a, alert.id);
    for (const t of alert.evidence.transactions) tx.run(t.txId, alert.id);
    for (const p of alert.evidence.paths) for (const t of p.txIds) tx.run(t, alert.id);
  }

  async updateAlerts(items: readonly Update<Alert>[], ctx: AuditContext): Promise<Alert[]> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    return this.run(() =>
      items.map(({ record, audit, expectedVersion }) => {
        const row = this.db.prepare<[string], { version: number; dedup_key: string }>('SELECT version, dedup_key FROM cmp_alerts WHERE id = ?').get(record.id);
        if (!row) throw notFound(`alert ${record.id} does not exist`, { alert: record.id });
        if (row.version !== expectedVersion) throw conflict(`alert ${record.id} changed meanwhile: expected version ${expectedVersion}, stored ${row.version}`, { alert: record.id });
        if (row.dedup_key !== record.dedupKey) throw invalidInput(`alert ${record.id}: its dedupKey cannot change`);
        const stored: Alert = { ...record, version: expectedVersion + 1 };
        this.db
          .prepare('UPDATE cmp_alerts SET rule_id = ?, customer_id = ?, status = ?, assignee = ?, version = ?, record = ? WHERE id = ?')
          .run(stored.ruleId, stored.customerId, stored.status, stored.assignee, stored.version, JSON.stringify(stored), stored.id);
        this.indexAlert(stored);
        this.append(ctx, stored.id, audit);
        return stored;
      }),
    );
  }

  async getAlerts(ids: readonly string[]): Promise<Map<string, Alert>> {
    const out = new Map<string, Alert>();
    const get = this.db.prepare<[string], { record: string }>('SELECT record FROM cmp_alerts WHERE id = ?');
    for (const id of new Set(ids)) {
      const row = get.get(id);
      if (row) out.set(id, JSON.parse(row.record) as Alert);
    }
    return out;
  }

  async findAlerts(query: AlertQuery): Promise<Alert[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.status && query.status.length > 0) (where.push(`status IN (${query.status.map(() => '?').join(', ')})`), params.push(...query.status));
    if (query.customerId) (where.push('customer_id = ?'), params.push(query.customerId));
    if (query.ruleId) (where.push('rule_id = ?'), params.push(query.ruleId));
    if (query.assignee) (where.push('assignee = ?'), params.push(query.assignee));
    const limit = Math.min(query.limit ?? 100, MAX_LIST);
    const offset = Math.max(0, query.offset ?? 0);
    const rows = this.db
      .prepare(`SELECT record FROM cmp_alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as { record: string }[];
    return rows.map((r) => JSON.parse(r.record) as Alert);
  }

  async alertIdsByAddress(addresses: readonly AddressId[]): Promise<Map<AddressId, string[]>> {
    const out = new Map<AddressId, string[]>();
    const q = this.db.prepare<[string], { alert_id: string }>('SELECT alert_id FROM cmp_alert_addresses WHERE address = ? ORDER BY alert_id');
    for (const a of new Set(addresses)) {
      const ids = q.all(a).map((r) => r.alert_id);
      if (ids.length > 0) out.set(a, ids);
    }
    return out;
  }

  async alertIdsByTransaction(txIds: readonly TxId[]): Promise<Map<TxId, string[]>> {
    const out = new Map<TxId, string[]>();
    const q = this.db.prepare<[string], { alert_id: string }>('SELECT alert_id FROM cmp_alert_txs WHERE tx_id = ? ORDER BY alert_id');
    for (const t of new Set(txIds)) {
      const ids = q.all(t).map((r) => r.alert_id);
      if (ids.length > 0) out.set(t, ids);
    }
    return out;
  }

  // ---------------------------------------------------------------- reports

  async createReports(items: readonly Write<Report>[], ctx: AuditContext): Promise<Report[]> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    return this.run(() =>
      items.map(({ record, audit }) => {
        if (this.db.prepare('SELECT 1 FROM cmp_reports WHERE id = ?').get(record.id)) throw conflict(`report ${record.id} already exists`, { report: record.id });
        const stored: Report = { ...record, version: 1 };
        this.db
          .prepare('INSERT INTO cmp_reports (id, kind, status, customer_id, created_at, version, record) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(stored.id, stored.kind, stored.status, stored.customerId, stored.createdAt, 1, JSON.stringify(stored));
        const link = this.db.prepare('INSERT OR IGNORE INTO cmp_report_alerts (alert_id, report_id) VALUES (?, ?)');
        for (const a of stored.alertIds) link.run(a, stored.id);
        this.append(ctx, stored.id, audit);
        return stored;
      }),
    );
  }

  async updateReports(items: readonly Update<Report>[], ctx: AuditContext): Promise<Report[]> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    return this.run(() =>
      items.map(({ record, audit, expectedVersion }) => {
        const row = this.db.prepare<[string], { version: number; kind: string; customer_id: string }>('SELECT version, kind, customer_id FROM cmp_reports WHERE id = ?').get(record.id);
        if (!row) throw notFound(`report ${record.id} does not exist`, { report: record.id });
        if (row.version !== expectedVersion) throw conflict(`report ${record.id} changed meanwhile: expected version ${expectedVersion}, stored ${row.version}`, { report: record.id });
        if (row.kind !== record.kind || row.customer_id !== record.customerId) throw invalidInput(`report ${record.id}: its kind and customer cannot change`);
        const stored: Report = { ...record, version: expectedVersion + 1 };
        this.db.prepare('UPDATE cmp_reports SET status = ?, version = ?, record = ? WHERE id = ?').run(stored.status, stored.version, JSON.stringify(stored), stored.id);
        this.db.prepare('DELETE FROM cmp_report_alerts WHERE report_id = ?').run(stored.id);
        const link = this.db.prepare('INSERT OR IGNORE INTO cmp_report_alerts (alert_id, report_id) VALUES (?, ?)');
        for (const a of stored.alertIds) link.run(a, stored.id);
        this.append(ctx, stored.id, audit);
        return stored;
      }),
    );
  }

  async readReports(ids: readonly string[], ctx: AuditContext): Promise<Map<string, Report>> {
    assertAuditContext(ctx);
    const out = new Map<string, Report>();
    this.run(() => {
      const get = this.db.prepare<[string], { record: string }>('SELECT record FROM cmp_reports WHERE id = ?');
      for (const id of new Set(ids)) {
        const row = get.get(id);
        if (row) out.set(id, JSON.parse(row.record) as Report);
        this.append(ctx, id, [{ action: 'report.read', details: { found: row !== undefined, ...(ctx.purpose ? { purpose: ctx.purpose } : {}) } }]);
      }
    });
    return out;
  }

  async listReports(query: ReportQuery): Promise<ReportSummary[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (query.kind) (where.push('r.kind = ?'), params.push(query.kind));
    if (query.customerId) (where.push('r.customer_id = ?'), params.push(query.customerId));
    if (query.status) (where.push('r.status = ?'), params.push(query.status));
    if (query.alertId) (where.push('r.id IN (SELECT report_id FROM cmp_report_alerts WHERE alert_id = ?)'), params.push(query.alertId));
    const rows = this.db.prepare(`SELECT r.record FROM cmp_reports r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at, r.id`).all(...params) as { record: string }[];
    return rows.map((r) => {
      const rep = JSON.parse(r.record) as Report;
      return { id: rep.id, kind: rep.kind, status: rep.status, customerId: rep.customerId, alertIds: rep.alertIds, title: rep.title, createdAt: rep.createdAt };
    });
  }
}

/**
 * The compliance port (src/store/compliance-store.ts) on Neo4j, in the same database as the graph, through
 * the Neo4j store's driver, sessions, retries and error translation. It behaves exactly as the embedded
 * engine (src/store/embedded/compliance/embedded-compliance-store.ts): same results, same errors, same audit
 * entries; test/contract/compliance.contract.ts runs on both. Every query is a file cypher/compliance-*.cypher.
 *
 * Graph (records are JSON text in `record`, beside the properties that queries filter on):
 *   (:Customer {id, type, status, country, riskLevel, createdAt, updatedAt, version, record})
 *       -[:OWNS]-> (:Address)                 a wallet address the customer declared
 *   (:Alert {id, dedupKey, ruleId, customerId, status, assignee, createdAt, version, record})
 *       -[:CONCERNS]-> (:Address | :Transaction)   what its evidence names (transactions and path hops)
 *       -[:ABOUT]-> (:Customer)
 *   (:EddTask {id, customerId, status, openedAt, version, record}) -[:ABOUT]-> (:Customer)
 *   (:Report {id, kind, status, customerId, alertIds, createdAt, version, record})
 *       -[:ABOUT]-> (:Customer), -[:COVERS]-> (:Alert)
 *   (:AuditEntry {seq, at, actor, action, subject, details, prevHash, hash})   details: canonical JSON text
 *   (:AuditHead {id: 'audit', seq, hash}), (:ComplianceMeta {name: 'schema', version})
 * So an investigator goes from a customer to the fund flows and back in one Cypher pattern:
 *   (:Customer {id: $id})-[:OWNS]->(:Address)-[:INPUT|OUTPUT]-(:Transaction)<-[:CONCERNS]-(:Alert)
 *
 * Addresses and transactions the graph does not hold yet: a customer may declare a wallet before any block
 * mentions it, and evidence may name a transaction of a chain not ingested here. Creating an :Address or
 * :Transaction for them would change the graph port's answers (getAddresses would "know" the address,
 * stats would count it, a :Transaction would lack its fields), so the link goes to a stand-in,
 * (:PendingAddress {id}) or (:PendingTransaction {id}). The graph linker hands the links over to the graph's
 * node when it arrives: after each block or label write of this process (GraphStore.onChange), and at
 * start for what other processes wrote meanwhile. Lookups by id (linkedCustomers, alertIdsByAddress,
 * alertIdsByTransaction) read both, so they never depend on the linker.
 *
 * Consistency: one Neo4j transaction per port call, audit entries included. Its first query locks the
 * audit chain head (compliance-audit-lock.cypher), so compliance writes run one at a time, like SQLite's
 * single writer: the checks (existing ids, versions for compare-and-set, dedup keys, one OPEN EDD task per
 * customer) then the writes, then the entries (seq gap-free, hashed in TypeScript with auditEntryHash) and
 * the new head. A refused item throws inside the transaction: nothing of the batch is committed. The driver
 * re-runs a transaction whole on transient errors (deadlocks), checks and clock included. Uniqueness
 * constraints back the checks (cypher/compliance-schema.cypher); the trail is append-only because this store
 * never updates or deletes an entry (Neo4j Community has no triggers to refuse it: the hash chain and the
 * head detect it, verifyAuditChain).
 */
import type { ManagedTransaction } from 'neo4j-driver';
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
import type { GraphChange, GraphStore } from '../../graph-store.js';
import { loadCypherStatements } from '../cypher-loader.js';
import { Neo4jStore, cypherRows, runCypher } from '../neo4j-store.js';

/** Version of the compliance nodes' layout; a database written by a newer layout is refused. */
export const NEO4J_COMPLIANCE_SCHEMA_VERSION = 1;

export interface Neo4jComplianceOptions {
  /** Clock for audit timestamps, unix ms (tests pin it). */
  now?: () => number;
  /** Where a failed background link is reported (default: stderr). */
  log?: (line: string) => void;
}

const conflict = (message: string, context: Record<string, unknown> = {}) => new AriadneError('CONFLICT', message, context);
const MAX_AUDIT_PAGE = 10_000;
const MAX_LIST = 10_000;
/** Ids per graph-linker transaction. */
const LINK_CHUNK = 5_000;

interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  details: string;
  prevHash: string;
  hash: string;
}

/**
 * The audit entries of one transaction: starts at the head read under the lock, hashes each entry as it is
 * appended (in the order of the port call's items, as the embedded engine does), and writes them all with the
 * new head at the end of the transaction.
 */
class AuditAppender {
  private readonly entries: AuditEntry[] = [];

  constructor(
    private seq: number,
    private prevHash: string,
    private readonly now: () => number,
  ) {}

  append(ctx: AuditContext, subject: string, notes: readonly AuditNote[]): AuditEntry[] {
    const out: AuditEntry[] = [];
    for (const note of notes) {
      this.seq++;
      const details = (note.details ?? {}) as JsonObject;
      const content = { seq: this.seq, at: this.now(), actor: ctx.actor, action: note.action, subject, details: JSON.parse(canonicalJson(details)) as JsonObject, prevHash: this.prevHash };
      const hash = auditEntryHash(content);
      out.push({ ...content, hash });
      this.prevHash = hash;
    }
    this.entries.push(...out);
    return out;
  }

  async flush(tx: ManagedTransaction): Promise<void> {
    if (this.entries.length === 0) return;
    await runCypher(tx, 'compliance-audit-append', {
      entries: this.entries.map((e) => ({ ...e, details: canonicalJson(e.details) })),
      seq: this.seq,
      hash: this.prevHash,
    });
  }
}

export class Neo4jComplianceStore implements ComplianceStore {
  readonly engine = 'neo4j' as const;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly queued = { addresses: new Set<AddressId>(), txIds: new Set<TxId>() };
  private linking: Promise<void> | null = null;

  private constructor(
    readonly graph: Neo4jStore,
    options: Neo4jComplianceOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /**
   * The compliance store in the Neo4j store's database, sharing its driver: creates the missing constraints
   * and indexes (cypher/compliance-schema.cypher), checks the layout version, links the pending addresses and
   * transactions the graph now holds, and follows the graph's writes to link the next ones. Throws INTERNAL
   * for another engine, STORE_UNAVAILABLE for a database written by a newer Ariadne or an unreachable Neo4j.
   */
  static async forStore(graph: GraphStore, options: Neo4jComplianceOptions = {}): Promise<Neo4jComplianceStore> {
    if (!(graph instanceof Neo4jStore)) {
      throw new AriadneError('INTERNAL', `the Neo4j compliance store needs the Neo4j graph store, got the ${graph.engine} engine`);
    }
    const store = new Neo4jComplianceStore(graph, options);
    await store.ensureSchema();
    // Follow first, then sweep: a block written in between is linked by one or the other.
    graph.onChange((change) => store.follow(change));
    await store.linkToGraph();
    return store;
  }

  private async ensureSchema(): Promise<void> {
    for (const statement of loadCypherStatements('compliance-schema')) {
      try {
        await this.graph.write('ensureComplianceSchema', async (tx) => {
          await tx.run(statement);
        });
      } catch (err) {
        // Two processes starting at once may race on IF NOT EXISTS: the rule exists, which is the goal.
        if (!(err instanceof AriadneError && err.context.neo4jCode === 'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists')) throw err;
      }
    }
    const version = await this.graph.write('ensureComplianceSchema', async (tx) => cypherRows<{ version: number }>(await runCypher(tx, 'compliance-meta', { version: NEO4J_COMPLIANCE_SCHEMA_VERSION }))[0]!.version);
    if (version > NEO4J_COMPLIANCE_SCHEMA_VERSION) {
      throw new AriadneError('STORE_UNAVAILABLE', `the compliance nodes were written by a newer Ariadne (schema ${version}, this one reads ${NEO4J_COMPLIANCE_SCHEMA_VERSION})`);
    }
  }

  // ---------------------------------------------------------------- transactions

  /** One write transaction holding the audit head lock; the entries appended by `work` are written at its end. */
  private async transact<T>(operation: string, work: (tx: ManagedTransaction, audit: AuditAppender) => Promise<T>): Promise<T> {
    return this.graph.write(operation, async (tx) => {
      const audit = await lockAudit(tx, this.now);
      const result = await work(tx, audit);
      await audit.flush(tx);
      return result;
    });
  }

  async appendAudit(items: readonly (AuditNote & { subject: string })[], ctx: AuditContext): Promise<AuditEntry[]> {
    assertAuditContext(ctx);
    for (const i of items) {
      if (typeof i.subject !== 'string' || i.subject === '') throw invalidInput('audit entry: expected a non-empty subject');
      assertAuditNotes(i.subject, [i]);
    }
    if (items.length === 0) return [];
    return this.transact('appendAudit', async (_tx, audit) => items.flatMap((i) => audit.append(ctx, i.subject, [{ action: i.action, details: i.details }])));
  }

  async readAudit(query: { fromSeq?: number; limit?: number; subject?: string } = {}): Promise<AuditEntry[]> {
    const from = query.fromSeq ?? 1;
    const limit = Math.min(query.limit ?? 1000, MAX_AUDIT_PAGE);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(limit) || limit < 1) throw invalidInput(`audit page: expected integers fromSeq and limit >= 1, got ${from} and ${limit}`);
    const found = await this.graph.read('readAudit', async (tx) =>
      cypherRows<{ entry: AuditRow }>(
        query.subject === undefined
          ? await runCypher(tx, 'compliance-audit-read', { fromSeq: from, limit })
          : await runCypher(tx, 'compliance-audit-read-subject', { subject: query.subject, fromSeq: from, limit }),
      ),
    );
    return found.map(({ entry: e }) => ({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, details: JSON.parse(e.details) as JsonObject, prevHash: e.prevHash, hash: e.hash }));
  }

  async auditHead(): Promise<{ seq: number; hash: string } | null> {
    const head = await this.graph.read('auditHead', async (tx) => cypherRows<{ seq: number; hash: string }>(await runCypher(tx, 'compliance-audit-head'))[0]);
    return head ? { seq: head.seq, hash: head.hash } : null;
  }

  // ---------------------------------------------------------------- customers

  async createCustomers(items: readonly Write<Customer>[], ctx: AuditContext): Promise<Customer[]> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    if (items.length === 0) return [];
    return this.transact('createCustomers', async (tx, audit) => {
      const known = await versionsOf(tx, 'compliance-customers-versions', items.map((i) => i.record.id));
      const out = items.map(({ record, audit: notes }) => {
        if (known.has(record.id)) throw conflict(`customer ${record.id} already exists`, { customer: record.id });
        const stored: Customer = { ...record, version: 1 };
        known.set(record.id, 1);
        audit.append(ctx, stored.id, notes);
        return stored;
      });
      await writeCustomers(tx, out);
      return out;
    });
  }

  async updateCustomers(items: readonly Update<Customer>[], ctx: AuditContext): Promise<Customer[]> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    if (items.length === 0) return [];
    return this.transact('updateCustomers', async (tx, audit) => {
      const known = await versionsOf(tx, 'compliance-customers-versions', items.map((i) => i.record.id));
      const out = items.map(({ record, audit: notes, expectedVersion }) => {
        const version = known.get(record.id);
        if (version === undefined) throw notFound(`customer ${record.id} does not exist`, { customer: record.id });
        if (version !== expectedVersion) throw conflict(`customer ${record.id} changed meanwhile: expected version ${expectedVersion}, stored ${version}`, { customer: record.id });
        const stored: Customer = { ...record, version: expectedVersion + 1 };
        known.set(record.id, stored.version);
        audit.append(ctx, stored.id, notes);
        return stored;
      });
      await writeCustomers(tx, lastPerId(out));
      return out;
    });
  }

  async readCustomers(ids: readonly string[], ctx: AuditContext): Promise<Map<string, Customer>> {
    assertAuditContext(ctx);
    const unique = [...new Set(ids)];
    const out = new Map<string, Customer>();
    if (unique.length === 0) return out;
    await this.transact('readCustomers', async (tx, audit) => {
      const found = await recordsOf<Customer>(tx, 'compliance-customers-read', unique);
      out.clear();
      for (const id of unique) {
        const customer = found.get(id);
        if (customer) out.set(id, customer);
        audit.append(ctx, id, [{ action: 'customer.read', details: { found: customer !== undefined, ...(ctx.purpose ? { purpose: ctx.purpose } : {}) } }]);
      }
    });
    return out;
  }

  async listCustomers(query: CustomerQuery, ctx: AuditContext): Promise<CustomerSummary[]> {
    assertAuditContext(ctx);
    const params = {
      status: query.status || null,
      riskLevel: query.riskLevel || null,
      after: query.after || null,
      limit: sqlLimit(Math.min(query.limit ?? 100, MAX_LIST)),
    };
    return this.transact('listCustomers', async (tx, audit) => {
      const summaries = cypherRows<CustomerSummary>(await runCypher(tx, 'compliance-customers-list', params)).map((r) => ({
        id: r.id,
        type: r.type,
        status: r.status,
        country: r.country,
        riskLevel: r.riskLevel ?? null,
        addressCount: r.addressCount,
        createdAt: r.createdAt,
      }));
      audit.append(ctx, '*', [{ action: 'customer.list', details: { query: JSON.parse(canonicalJson(query)) as JsonObject, count: summaries.length } }]);
      return summaries;
    });
  }

  async linkedCustomers(addresses: readonly AddressId[]): Promise<Map<AddressId, string[]>> {
    return this.idLists('linkedCustomers', 'compliance-linked-customers', 'addresses', 'customers', addresses);
  }

  async linkedAddresses(customerIds: readonly string[]): Promise<Map<string, AddressId[]>> {
    const unique = [...new Set(customerIds)];
    const out = new Map<string, AddressId[]>();
    if (unique.length === 0) return out;
    const found = await this.graph.read('linkedAddresses', async (tx) => cypherRows<{ id: string; addresses: string[] }>(await runCypher(tx, 'compliance-linked-addresses', { ids: unique })));
    const byId = new Map(found.map((r) => [r.id, r.addresses]));
    for (const id of unique) {
      const list = byId.get(id);
      if (list) out.set(id, [...new Set(list)].sort(compareCodePoints));
    }
    return out;
  }

  // ---------------------------------------------------------------- EDD

  async openEddTasks(items: readonly Write<EddTask>[], ctx: AuditContext): Promise<CreateResult<EddTask>> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    const result: CreateResult<EddTask> = { created: [], existing: [] };
    if (items.length === 0) return result;
    return this.transact('openEddTasks', async (tx, audit) => {
      const out: CreateResult<EddTask> = { created: [], existing: [] };
      const customerIds = [...new Set(items.map((i) => i.record.customerId))];
      const customers = await versionsOf(tx, 'compliance-customers-versions', customerIds);
      const open = await openTasksOf(tx, customerIds);
      const tasks = await eddStateOf(tx, items.map((i) => i.record.id));
      for (const { record, audit: notes } of items) {
        if (!customers.has(record.customerId)) throw notFound(`customer ${record.customerId} does not exist`, { customer: record.customerId });
        const openTask = open.get(record.customerId);
        if (openTask) {
          out.existing.push(copyOf(openTask));
          continue;
        }
        if (tasks.has(record.id)) throw conflict(`EDD task ${record.id} already exists`);
        const stored: EddTask = { ...record, status: 'OPEN', version: 1 };
        open.set(stored.customerId, stored);
        tasks.set(stored.id, { version: 1, customerId: stored.customerId, status: stored.status });
        audit.append(ctx, stored.id, notes);
        out.created.push(stored);
      }
      await writeEddTasks(tx, out.created);
      return out;
    });
  }

  async updateEddTasks(items: readonly Update<EddTask>[], ctx: AuditContext): Promise<EddTask[]> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    if (items.length === 0) return [];
    return this.transact('updateEddTasks', async (tx, audit) => {
      const tasks = await eddStateOf(tx, items.map((i) => i.record.id));
      // customerId -> ids of its OPEN tasks, kept up to date through the batch.
      const openIds = new Map<string, Set<string>>();
      const openOf = (customerId: string): Set<string> => {
        let set = openIds.get(customerId);
        if (!set) openIds.set(customerId, (set = new Set()));
        return set;
      };
      for (const r of cypherRows<{ customerId: string; id: string }>(await runCypher(tx, 'compliance-edd-open', { customerIds: [...new Set([...tasks.values()].map((t) => t.customerId))] }))) {
        openOf(r.customerId).add(r.id);
      }
      const out = items.map(({ record, audit: notes, expectedVersion }) => {
        const row = tasks.get(record.id);
        if (!row) throw notFound(`EDD task ${record.id} does not exist`);
        if (row.version !== expectedVersion) throw conflict(`EDD task ${record.id} changed meanwhile: expected version ${expectedVersion}, stored ${row.version}`);
        if (record.customerId !== row.customerId) throw invalidInput(`EDD task ${record.id} belongs to ${row.customerId}: its customer cannot change`);
        const stored: EddTask = { ...record, version: expectedVersion + 1 };
        // The embedded engine's partial unique index (one OPEN task per customer) refuses this UPDATE there.
        const open = openOf(row.customerId);
        if (stored.status === 'OPEN' && [...open].some((id) => id !== stored.id)) {
          throw new AriadneError('STORE_UNAVAILABLE', `compliance store write failed: customer ${row.customerId} already has an OPEN EDD task, ${record.id} cannot be OPEN too`);
        }
        if (stored.status === 'OPEN') open.add(stored.id);
        else open.delete(stored.id);
        tasks.set(stored.id, { version: stored.version, customerId: stored.customerId, status: stored.status });
        audit.append(ctx, stored.id, notes);
        return stored;
      });
      await writeEddTasks(tx, lastPerId(out));
      return out;
    });
  }

  async findEddTasks(query: { customerId?: string; status?: EddTask['status'] }): Promise<EddTask[]> {
    const params = { customerId: query.customerId || null, status: query.status || null };
    const found = await this.graph.read('findEddTasks', async (tx) => cypherRows<{ record: string }>(await runCypher(tx, 'compliance-edd-find', params)));
    return found.map((r) => JSON.parse(r.record) as EddTask);
  }

  // ---------------------------------------------------------------- alerts

  async createAlerts(items: readonly Write<Alert>[], ctx: AuditContext): Promise<CreateResult<Alert>> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    if (items.length === 0) return { created: [], existing: [] };
    return this.transact('createAlerts', async (tx, audit) => {
      const out: CreateResult<Alert> = { created: [], existing: [] };
      const byKey = new Map<string, Alert>();
      for (const r of cypherRows<{ dedupKey: string; record: string }>(await runCypher(tx, 'compliance-alerts-by-dedup-key', { keys: [...new Set(items.map((i) => i.record.dedupKey))] }))) {
        byKey.set(r.dedupKey, JSON.parse(r.record) as Alert);
      }
      const known = await versionsOf(tx, 'compliance-alerts-versions', items.map((i) => i.record.id));
      for (const { record, audit: notes } of items) {
        const dup = byKey.get(record.dedupKey);
        if (dup) {
          out.existing.push(copyOf(dup));
          continue;
        }
        if (known.has(record.id)) throw conflict(`alert ${record.id} already exists`, { alert: record.id });
        const stored: Alert = { ...record, version: 1 };
        byKey.set(stored.dedupKey, stored);
        known.set(stored.id, 1);
        audit.append(ctx, stored.id, notes);
        out.created.push(stored);
      }
      await writeAlerts(tx, out.created);
      return out;
    });
  }

  async updateAlerts(items: readonly Update<Alert>[], ctx: AuditContext): Promise<Alert[]> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    if (items.length === 0) return [];
    return this.transact('updateAlerts', async (tx, audit) => {
      const known = new Map<string, { version: number; dedupKey: string }>();
      for (const r of cypherRows<{ id: string; version: number; dedupKey: string }>(await runCypher(tx, 'compliance-alerts-versions', { ids: [...new Set(items.map((i) => i.record.id))] }))) {
        known.set(r.id, { version: r.version, dedupKey: r.dedupKey });
      }
      const out = items.map(({ record, audit: notes, expectedVersion }) => {
        const row = known.get(record.id);
        if (!row) throw notFound(`alert ${record.id} does not exist`, { alert: record.id });
        if (row.version !== expectedVersion) throw conflict(`alert ${record.id} changed meanwhile: expected version ${expectedVersion}, stored ${row.version}`, { alert: record.id });
        if (row.dedupKey !== record.dedupKey) throw invalidInput(`alert ${record.id}: its dedupKey cannot change`);
        const stored: Alert = { ...record, version: expectedVersion + 1 };
        row.version = stored.version;
        audit.append(ctx, stored.id, notes);
        return stored;
      });
      await writeAlerts(tx, lastPerId(out));
      return out;
    });
  }

  async getAlerts(ids: readonly string[]): Promise<Map<string, Alert>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, Alert>();
    if (unique.length === 0) return out;
    const found = await this.graph.read('getAlerts', (tx) => recordsOf<Alert>(tx, 'compliance-alerts-get', unique));
    for (const id of unique) {
      const alert = found.get(id);
      if (alert) out.set(id, alert);
    }
    return out;
  }

  async findAlerts(query: AlertQuery): Promise<Alert[]> {
    const params = {
      statuses: query.status && query.status.length > 0 ? [...query.status] : null,
      customerId: query.customerId || null,
      ruleId: query.ruleId || null,
      assignee: query.assignee || null,
      offset: Math.max(0, query.offset ?? 0),
      limit: sqlLimit(Math.min(query.limit ?? 100, MAX_LIST)),
    };
    const found = await this.graph.read('findAlerts', async (tx) => cypherRows<{ record: string }>(await runCypher(tx, 'compliance-alerts-find', params)));
    return found.map((r) => JSON.parse(r.record) as Alert);
  }

  async alertIdsByAddress(addresses: readonly AddressId[]): Promise<Map<AddressId, string[]>> {
    return this.idLists('alertIdsByAddress', 'compliance-alerts-by-address', 'addresses', 'alerts', addresses);
  }

  async alertIdsByTransaction(txIds: readonly TxId[]): Promise<Map<TxId, string[]>> {
    return this.idLists('alertIdsByTransaction', 'compliance-alerts-by-transaction', 'txIds', 'alerts', txIds);
  }

  // ---------------------------------------------------------------- reports

  async createReports(items: readonly Write<Report>[], ctx: AuditContext): Promise<Report[]> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    if (items.length === 0) return [];
    return this.transact('createReports', async (tx, audit) => {
      const known = await versionsOf(tx, 'compliance-reports-versions', items.map((i) => i.record.id));
      const out = items.map(({ record, audit: notes }) => {
        if (known.has(record.id)) throw conflict(`report ${record.id} already exists`, { report: record.id });
        const stored: Report = { ...record, version: 1 };
        known.set(stored.id, 1);
        audit.append(ctx, stored.id, notes);
        return stored;
      });
      await writeReports(tx, out);
      return out;
    });
  }

  async updateReports(items: readonly Update<Report>[], ctx: AuditContext): Promise<Report[]> {
    assertAuditContext(ctx);
    for (const i of items) assertAuditNotes(i.record.id, i.audit);
    if (items.length === 0) return [];
    return this.transact('updateReports', async (tx, audit) => {
      const known = new Map<string, { version: number; kind: string; customerId: string }>();
      for (const r of cypherRows<{ id: string; version: number; kind: string; customerId: string }>(await runCypher(tx, 'compliance-reports-versions', { ids: [...new Set(items.map((i) => i.record.id))] }))) {
        known.set(r.id, r);
      }
      const out = items.map(({ record, audit: notes, expectedVersion }) => {
        const row = known.get(record.id);
        if (!row) throw notFound(`report ${record.id} does not exist`, { report: record.id });
        if (row.version !== expectedVersion) throw conflict(`report ${record.id} changed meanwhile: expected version ${expectedVersion}, stored ${row.version}`, { report: record.id });
        if (row.kind !== record.kind || row.customerId !== record.customerId) throw invalidInput(`report ${record.id}: its kind and customer cannot change`);
        const stored: Report = { ...record, version: expectedVersion + 1 };
        row.version = stored.version;
        audit.append(ctx, stored.id, notes);
        return stored;
      });
      await writeReports(tx, lastPerId(out));
      return out;
    });
  }

  async readReports(ids: readonly string[], ctx: AuditContext): Promise<Map<string, Report>> {
    assertAuditContext(ctx);
    const unique = [...new Set(ids)];
    const out = new Map<string, Report>();
    if (unique.length === 0) return out;
    await this.transact('readReports', async (tx, audit) => {
      const found = await recordsOf<Report>(tx, 'compliance-reports-read', unique);
      out.clear();
      for (const id of unique) {
        const report = found.get(id);
        if (report) out.set(id, report);
        audit.append(ctx, id, [{ action: 'report.read', details: { found: report !== undefined, ...(ctx.purpose ? { purpose: ctx.purpose } : {}) } }]);
      }
    });
    return out;
  }

  async listReports(query: ReportQuery): Promise<ReportSummary[]> {
    const params = { kind: query.kind || null, customerId: query.customerId || null, status: query.status || null, alertId: query.alertId || null };
    const found = await this.graph.read('listReports', async (tx) => cypherRows<{ record: string }>(await runCypher(tx, 'compliance-reports-list', params)));
    return found.map((r) => {
      const rep = JSON.parse(r.record) as Report;
      return { id: rep.id, kind: rep.kind, status: rep.status, customerId: rep.customerId, alertIds: rep.alertIds, title: rep.title, createdAt: rep.createdAt };
    });
  }

  // ---------------------------------------------------------------- graph links

  /**
   * Resolves when the graph linker has handled every graph write seen so far (tests, and a clean shutdown).
   * The links are also made at the next start, so a linker failure loses nothing.
   */
  async idle(): Promise<void> {
    while (this.linking) await this.linking;
  }

  private follow(change: GraphChange): void {
    for (const a of change.addresses) this.queued.addresses.add(a);
    if (change.kind === 'block') for (const t of change.txIds) this.queued.txIds.add(t);
    this.kick();
  }

  private kick(): void {
    if (this.linking || (this.queued.addresses.size === 0 && this.queued.txIds.size === 0)) return;
    this.linking = this.drain().finally(() => {
      this.linking = null;
      // Writes seen after the drain's last look at the queue.
      this.kick();
    });
  }

  /** Links what the queue holds, in chunks, until it is empty (writes arriving meanwhile join the queue). */
  private async drain(): Promise<void> {
    while (this.queued.addresses.size > 0 || this.queued.txIds.size > 0) {
      const addresses = [...this.queued.addresses].slice(0, LINK_CHUNK);
      const txIds = [...this.queued.txIds].slice(0, LINK_CHUNK - addresses.length);
      for (const a of addresses) this.queued.addresses.delete(a);
      for (const t of txIds) this.queued.txIds.delete(t);
      try {
        await this.graph.write('linkToGraph', async (tx) => {
          await lockAudit(tx, this.now);
          await runCypher(tx, 'compliance-graph-link', { addresses, txIds });
        });
      } catch (err) {
        this.log(`neo4j compliance: linking ${addresses.length} addresses and ${txIds.length} transactions to the graph failed (${(err as Error).message}); they are linked at the next start`);
      }
    }
  }

  /**
   * Hands every pending address and transaction the graph now holds over to the graph's node; returns how
   * many were replaced. Runs at start (forStore); call it after another process wrote blocks, to link them
   * without a restart. One transaction; cost: one index lookup per pending node.
   */
  async linkToGraph(): Promise<{ addresses: number; transactions: number }> {
    return this.graph.write('linkToGraph', async (tx) => {
      await lockAudit(tx, this.now);
      const found = cypherRows<{ addresses: string[]; txIds: string[] }>(await runCypher(tx, 'compliance-graph-pending'))[0]!;
      if (found.addresses.length === 0 && found.txIds.length === 0) return { addresses: 0, transactions: 0 };
      return cypherRows<{ addresses: number; transactions: number }>(await runCypher(tx, 'compliance-graph-link', found))[0]!;
    });
  }

  /** Per id (unique, input order), the sorted ids of the records linked to it; ids linked to nothing are absent. */
  private async idLists(operation: string, query: string, param: string, column: string, ids: readonly string[]): Promise<Map<string, string[]>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, string[]>();
    if (unique.length === 0) return out;
    const found = await this.graph.read(operation, async (tx) => cypherRows<Record<string, unknown>>(await runCypher(tx, query, { [param]: unique })));
    const byId = new Map(found.map((r) => [r.id as string, r[column] as string[]]));
    for (const id of unique) {
      const list = byId.get(id);
      if (list && list.length > 0) out.set(id, [...new Set(list)].sort(compareCodePoints));
    }
    return out;
  }
}

// ---------------------------------------------------------------- queries inside a transaction

async function lockAudit(tx: ManagedTransaction, now: () => number): Promise<AuditAppender> {
  const head = cypherRows<{ seq: number; hash: string }>(await runCypher(tx, 'compliance-audit-lock', { genesis: GENESIS_HASH }))[0]!;
  return new AuditAppender(head.seq, head.hash, now);
}

/** id -> stored version, for the ids that exist. */
async function versionsOf(tx: ManagedTransaction, query: string, ids: readonly string[]): Promise<Map<string, number>> {
  const rows = cypherRows<{ id: string; version: number }>(await runCypher(tx, query, { ids: [...new Set(ids)] }));
  return new Map(rows.map((r) => [r.id, r.version]));
}

async function recordsOf<T>(tx: ManagedTransaction, query: string, ids: readonly string[]): Promise<Map<string, T>> {
  const rows = cypherRows<{ id: string; record: string }>(await runCypher(tx, query, { ids }));
  return new Map(rows.map((r) => [r.id, JSON.parse(r.record) as T]));
}

/** customerId -> its OPEN task (the first by id if the data ever held two). */
async function openTasksOf(tx: ManagedTransaction, customerIds: readonly string[]): Promise<Map<string, EddTask>> {
  const out = new Map<string, EddTask>();
  for (const r of cypherRows<{ customerId: string; record: string }>(await runCypher(tx, 'compliance-edd-open', { customerIds }))) {
    if (!out.has(r.customerId)) out.set(r.customerId, JSON.parse(r.record) as EddTask);
  }
  return out;
}

async function eddStateOf(tx: ManagedTransaction, ids: readonly string[]): Promise<Map<string, { version: number; customerId: string; status: string }>> {
  const rows = cypherRows<{ id: string; version: number; customerId: string; status: string }>(await runCypher(tx, 'compliance-edd-versions', { ids: [...new Set(ids)] }));
  return new Map(rows.map((r) => [r.id, { version: r.version, customerId: r.customerId, status: r.status }]));
}

async function writeCustomers(tx: ManagedTransaction, customers: readonly Customer[]): Promise<void> {
  if (customers.length === 0) return;
  await runCypher(tx, 'compliance-customers-write', {
    customers: customers.map((c) => ({
      id: c.id,
      props: { type: c.type, status: c.status, country: c.country, riskLevel: c.risk?.level ?? null, createdAt: c.createdAt, updatedAt: c.updatedAt, version: c.version, record: JSON.stringify(c) },
      addresses: [...new Set(c.addresses)],
    })),
  });
}

async function writeEddTasks(tx: ManagedTransaction, tasks: readonly EddTask[]): Promise<void> {
  if (tasks.length === 0) return;
  await runCypher(tx, 'compliance-edd-write', {
    tasks: tasks.map((t) => ({ id: t.id, props: { customerId: t.customerId, status: t.status, openedAt: t.openedAt, version: t.version, record: JSON.stringify(t) } })),
  });
}

async function writeAlerts(tx: ManagedTransaction, alerts: readonly Alert[]): Promise<void> {
  if (alerts.length === 0) return;
  await runCypher(tx, 'compliance-alerts-write', {
    alerts: alerts.map((a) => ({
      id: a.id,
      props: { dedupKey: a.dedupKey, ruleId: a.ruleId, customerId: a.customerId, status: a.status, assignee: a.assignee, createdAt: a.createdAt, version: a.version, record: JSON.stringify(a) },
      // What the embedded engine indexes: the evidence's addresses and path hops, its transactions and path transactions.
      addresses: [...new Set([...a.evidence.addresses, ...a.evidence.paths.flatMap((p) => p.addresses)])],
      txIds: [...new Set([...a.evidence.transactions.map((t) => t.txId), ...a.evidence.paths.flatMap((p) => p.txIds)])],
    })),
  });
}

async function writeReports(tx: ManagedTransaction, reports: readonly Report[]): Promise<void> {
  if (reports.length === 0) return;
  await runCypher(tx, 'compliance-reports-write', {
    reports: reports.map((r) => ({
      id: r.id,
      props: { kind: r.kind, status: r.status, customerId: r.customerId, alertIds: [...new Set(r.alertIds)], createdAt: r.createdAt, version: r.version, record: JSON.stringify(r) },
    })),
  });
}

// ---------------------------------------------------------------- helpers

/** A record as it reads back from its stored JSON (the embedded engine parses it for every item). */
function copyOf<T>(record: T): T {
  return JSON.parse(JSON.stringify(record)) as T;
}

/** The last item of each id, in the order of first appearance: the state a batch leaves behind. */
function lastPerId<T extends { id: string }>(items: readonly T[]): T[] {
  const last = new Map<string, T>();
  for (const item of items) last.set(item.id, item);
  return [...last.values()];
}

/** SQLite's LIMIT: a negative limit is no limit. */
function sqlLimit(limit: number): number {
  return limit < 0 ? Number.MAX_SAFE_INTEGER : limit;
}

/** Code point order, which is SQLite's binary order of UTF-8 text (the embedded engine's ORDER BY). */
function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The compliance store contract: one suite that every ComplianceStore implementation runs (embedded now,
 * Neo4j later). It pins the port's promises: batches are atomic with their audit entries, versions are
 * compared and set, PII reads are audited with the actor, the audit trail is a gap-free hash chain whose
 * tampering `verifyAuditChain` names by seq. Expected hashes are recomputed in this file with its own
 * canonical JSON and SHA-256, not with the port's helpers.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/compliance/audit/verify-audit-chain.js';
import type {
  Alert,
  AuditContext,
  AuditEntry,
  ComplianceStore,
  Customer,
  EddTask,
  JsonObject,
  Report,
} from '../../src/store/compliance-store.js';
import { addr, tid } from '../fixtures/tiny-graph.js';

export interface ComplianceStoreFactory {
  /** A fresh, empty store whose audit clock is `now`. */
  open(now: () => number): Promise<ComplianceStore>;
  /** Closes the store and opens the same data again (durability). */
  reopen(store: ComplianceStore, now: () => number): Promise<ComplianceStore>;
  close(store: ComplianceStore): Promise<void>;
  /** Engine-level tampering, bypassing the store (what an attacker with database access could do). */
  tamper: {
    /** Replaces the stored details of entry `seq`; with `rehash` the stored hash is recomputed to match (a careful forger). */
    editAuditEntry(store: ComplianceStore, seq: number, details: JsonObject, options?: { rehash?: boolean }): Promise<void>;
    deleteAuditEntry(store: ComplianceStore, seq: number): Promise<void>;
  };
}

const alice: AuditContext = { actor: 'api-key:alice' };
const T0 = 1_735_689_600_000; // 2025-01-01T00:00:00Z

export function customer(id: string, over: Partial<Customer> = {}): Customer {
  return {
    id,
    type: 'individual',
    legalName: `Name of ${id}`,
    aliases: [],
    dateOfBirth: '1980-05-17',
    address: '1 Main Street, Springfield',
    country: 'US',
    nationality: 'US',
    idDocumentNumber: 'P1234567',
    email: `${id}@example.com`,
    occupation: 'teacher',
    occupationCategory: 'standard',
    sourceOfFunds: 'salary',
    sourceOfFundsDetail: '',
    expectedMonthlyVolumeUsd: '2000',
    pep: false,
    identityVerification: 'document_and_biometric',
    beneficialOwners: [],
    addresses: [],
    status: 'ACTIVE',
    screening: null,
    risk: null,
    createdAt: T0,
    updatedAt: T0,
    version: 0,
    ...over,
  };
}

export function alert(id: string, dedupKey: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    dedupKey,
    ruleId: 'structuring',
    ruleName: 'Structuring',
    customerId: 'c1',
    score: 70,
    summary: 'three deposits just below 10,000 USD',
    status: 'OPEN',
    disposition: null,
    assignee: null,
    evidence: {
      transactions: [
        { txId: tid('d1'), height: 10, time: 1_735_689_600, direction: 'in', asset: 'BTC', value: '9999000', usd: '9999.00', counterparties: [addr('S1')], linkedAddresses: [addr('C')] },
      ],
      paths: [{ address: addr('C'), target: addr('MIX'), category: 'mixer', hops: 2, direction: 'in', addresses: [addr('MIX'), addr('X'), addr('C')], txIds: [tid('p1'), tid('p2')] }],
      addresses: [addr('C'), addr('S1')].sort(),
      facts: { count: 3, totalUsd: '29997.00' },
    },
    notes: [],
    history: [{ at: T0, actor: 'system:monitor', action: 'created', from: null, to: 'OPEN' }],
    createdAt: T0,
    updatedAt: T0,
    version: 0,
    ...over,
  };
}

function report(id: string, over: Partial<Report> = {}): Report {
  return {
    id,
    kind: 'SAR',
    status: 'DRAFT',
    customerId: 'c1',
    alertIds: ['a1'],
    title: 'SAR draft: c1',
    narrative: 'WHO: ...',
    data: { subject: { customerId: 'c1' } },
    createdAt: T0,
    createdBy: 'api-key:alice',
    reviewedAt: null,
    reviewedBy: null,
    reviewNote: null,
    version: 0,
    ...over,
  };
}

function edd(id: string, customerId: string, over: Partial<EddTask> = {}): EddTask {
  return { id, customerId, status: 'OPEN', riskLevel: 'HIGH', reasons: ['occupation=pep'], openedAt: T0, dueAt: T0 + 30 * 86_400_000, closedAt: null, closedBy: null, outcome: null, version: 0, ...over };
}

const note = (action: string, details: JsonObject = {}) => [{ action, details }];

// An independent canonical JSON (sorted keys, no spaces) and hash, to check the chain the store wrote.
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function defineComplianceContract(engine: string, factory: ComplianceStoreFactory): void {
  describe(`compliance store contract: ${engine}`, () => {
    let store: ComplianceStore;
    let clock: number;
    const now = () => clock++;
    beforeEach(async () => {
      clock = T0;
      store = await factory.open(now);
    });
    afterEach(async () => {
      await factory.close(store);
    });

    const allAudit = async (): Promise<AuditEntry[]> => store.readAudit({ fromSeq: 1, limit: 10_000 });

    it('creates customers with version 1 and reads them back, one read entry per id naming the actor and purpose', async () => {
      const c1 = customer('c1', { addresses: [addr('C')], aliases: ['Kim Sangman'] });
      const created = await store.createCustomers([{ record: c1, audit: note('customer.create', { type: 'individual' }) }], alice);
      expect(created).toEqual([{ ...c1, version: 1 }]);
      const got = await store.readCustomers(['c1', 'nobody'], { actor: 'cli:bob', purpose: 'alert review' });
      expect([...got.keys()]).toEqual(['c1']);
      expect(got.get('c1')).toEqual({ ...c1, version: 1 });
      const audit = await allAudit();
      expect(audit.map((e) => [e.seq, e.actor, e.action, e.subject, e.details])).toEqual([
        [1, 'api-key:alice', 'customer.create', 'c1', { type: 'individual' }],
        [2, 'cli:bob', 'customer.read', 'c1', { found: true, purpose: 'alert review' }],
        [3, 'cli:bob', 'customer.read', 'nobody', { found: false, purpose: 'alert review' }],
      ]);
      // The store stamps `at` with its own clock, in order.
      expect(audit.map((e) => e.at)).toEqual([T0, T0 + 1, T0 + 2]);
    });

    it('refuses a blank or missing actor before reading or writing anything', async () => {
      await store.createCustomers([{ record: customer('c1'), audit: note('customer.create') }], alice);
      const head = await store.auditHead();
      for (const ctx of [{ actor: '' }, { actor: '   ' }, undefined as unknown as AuditContext]) {
        await expect(store.readCustomers(['c1'], ctx)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        await expect(store.listCustomers({}, ctx)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        await expect(store.createCustomers([{ record: customer('c2'), audit: note('customer.create') }], ctx)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        await expect(store.readReports(['r1'], ctx)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        await expect(store.appendAudit([{ subject: 'x', action: 'screening.name' }], ctx)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      }
      expect(await store.auditHead()).toEqual(head);
      expect((await store.linkedAddresses(['c2'])).size).toBe(0);
    });

    it('refuses a write item without audit notes', async () => {
      await expect(store.createCustomers([{ record: customer('c1'), audit: [] }], alice)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.createAlerts([{ record: alert('a1', 'k1'), audit: [{ action: '' }] }], alice)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await store.auditHead()).toBeNull();
    });

    it('rejects a whole batch when one customer id exists, writing none of it and no audit entry', async () => {
      await store.createCustomers([{ record: customer('c1'), audit: note('customer.create') }], alice);
      const head = await store.auditHead();
      await expect(
        store.createCustomers(
          [
            { record: customer('c2', { addresses: [addr('D')] }), audit: note('customer.create') },
            { record: customer('c1'), audit: note('customer.create') },
          ],
          alice,
        ),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await store.auditHead()).toEqual(head);
      expect((await store.linkedCustomers([addr('D')])).size).toBe(0);
      expect((await store.linkedAddresses(['c2'])).size).toBe(0);
    });

    it('updates a customer only at the expected version, and relinks its addresses', async () => {
      await store.createCustomers([{ record: customer('c1', { addresses: [addr('A'), addr('B')] }), audit: note('customer.create') }], alice);
      const v2 = await store.updateCustomers(
        [{ record: customer('c1', { addresses: [addr('B'), addr('C')], status: 'PENDING_REVIEW' }), expectedVersion: 1, audit: note('customer.update', { fields: ['addresses', 'status'] }) }],
        alice,
      );
      expect(v2[0]!.version).toBe(2);
      await expect(store.updateCustomers([{ record: customer('c1'), expectedVersion: 1, audit: note('customer.update') }], alice)).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(store.updateCustomers([{ record: customer('zz'), expectedVersion: 1, audit: note('customer.update') }], alice)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const links = await store.linkedCustomers([addr('A'), addr('B'), addr('C')]);
      expect(links).toEqual(new Map([[addr('B'), ['c1']], [addr('C'), ['c1']]]));
      expect(await store.linkedAddresses(['c1', 'zz'])).toEqual(new Map([['c1', [addr('B'), addr('C')].sort()]]));
      const got = await store.readCustomers(['c1'], alice);
      expect(got.get('c1')!.status).toBe('PENDING_REVIEW');
      expect(got.get('c1')!.version).toBe(2);
    });

    it('maps an address shared by two customers to both', async () => {
      await store.createCustomers(
        [
          { record: customer('c2', { addresses: [addr('S')] }), audit: note('customer.create') },
          { record: customer('c1', { addresses: [addr('S'), addr('T')] }), audit: note('customer.create') },
        ],
        alice,
      );
      expect((await store.linkedCustomers([addr('S')])).get(addr('S'))).toEqual(['c1', 'c2']);
    });

    it('lists customer summaries by id with filters and paging, one list entry per call', async () => {
      await store.createCustomers(
        ['c3', 'c1', 'c2', 'c4'].map((id, i) => ({
          record: customer(id, { status: i === 3 ? 'BLOCKED' : 'ACTIVE', addresses: i === 0 ? [addr('X'), addr('Y')] : [], risk: i === 1 ? riskOf('HIGH') : null }),
          audit: note('customer.create'),
        })),
        alice,
      );
      const page1 = await store.listCustomers({ limit: 2 }, alice);
      expect(page1.map((c) => c.id)).toEqual(['c1', 'c2']);
      const page2 = await store.listCustomers({ limit: 2, after: 'c2' }, alice);
      expect(page2.map((c) => [c.id, c.addressCount, c.status])).toEqual([
        ['c3', 2, 'ACTIVE'],
        ['c4', 0, 'BLOCKED'],
      ]);
      expect((await store.listCustomers({ status: 'BLOCKED' }, alice)).map((c) => c.id)).toEqual(['c4']);
      expect((await store.listCustomers({ riskLevel: 'HIGH' }, alice)).map((c) => c.id)).toEqual(['c1']);
      const lists = (await allAudit()).filter((e) => e.action === 'customer.list');
      expect(lists.map((e) => [e.subject, e.details.count])).toEqual([
        ['*', 2],
        ['*', 2],
        ['*', 1],
        ['*', 1],
      ]);
    });

    it('keeps one open EDD task per customer; a closed task lets a new one open', async () => {
      await store.createCustomers([{ record: customer('c1'), audit: note('customer.create') }], alice);
      const first = await store.openEddTasks([{ record: edd('e1', 'c1'), audit: note('edd.open') }], alice);
      expect(first.created.map((t) => [t.id, t.version])).toEqual([['e1', 1]]);
      const again = await store.openEddTasks([{ record: edd('e2', 'c1'), audit: note('edd.open') }], alice);
      expect(again).toEqual({ created: [], existing: [{ ...edd('e1', 'c1'), version: 1 }] });
      await expect(store.openEddTasks([{ record: edd('e3', 'nobody'), audit: note('edd.open') }], alice)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await store.updateEddTasks([{ record: edd('e1', 'c1', { status: 'DONE', closedAt: T0 + 5, closedBy: 'cli:mlro', outcome: 'source of wealth verified' }), expectedVersion: 1, audit: note('edd.close') }], alice);
      await expect(store.updateEddTasks([{ record: edd('e1', 'c1', { status: 'DONE' }), expectedVersion: 1, audit: note('edd.close') }], alice)).rejects.toMatchObject({ code: 'CONFLICT' });
      const third = await store.openEddTasks([{ record: edd('e4', 'c1', { openedAt: T0 + 10 }), audit: note('edd.open') }], alice);
      expect(third.created.map((t) => t.id)).toEqual(['e4']);
      expect((await store.findEddTasks({ customerId: 'c1' })).map((t) => [t.id, t.status])).toEqual([
        ['e1', 'DONE'],
        ['e4', 'OPEN'],
      ]);
      expect((await store.findEddTasks({ status: 'OPEN' })).map((t) => t.id)).toEqual(['e4']);
    });

    it('creates alerts once per dedup key and finds them by status, customer, rule, address and transaction', async () => {
      const a1 = alert('a1', 'c1|structuring:in:t1');
      const a2 = alert('a2', 'c1|large-transaction:t9:in', { ruleId: 'large-transaction', ruleName: 'Large transaction', createdAt: T0 + 100, evidence: { transactions: [], paths: [], addresses: [addr('Q')], facts: {} } });
      const r1 = await store.createAlerts([{ record: a1, audit: note('alert.create') }, { record: a2, audit: note('alert.create') }], alice);
      expect(r1.created.map((a) => [a.id, a.version])).toEqual([
        ['a1', 1],
        ['a2', 1],
      ]);
      // Same facts again (new id, same key): nothing new, the stored alert comes back.
      const r2 = await store.createAlerts([{ record: alert('a1-again', 'c1|structuring:in:t1'), audit: note('alert.create') }], alice);
      expect(r2.created).toEqual([]);
      expect(r2.existing.map((a) => a.id)).toEqual(['a1']);
      expect((await allAudit()).filter((e) => e.action === 'alert.create').map((e) => e.subject)).toEqual(['a1', 'a2']);
      expect(await store.getAlerts(['a2', 'zz'])).toEqual(new Map([['a2', { ...a2, version: 1 }]]));
      expect((await store.findAlerts({})).map((a) => a.id)).toEqual(['a2', 'a1']);
      expect((await store.findAlerts({ ruleId: 'structuring' })).map((a) => a.id)).toEqual(['a1']);
      expect((await store.findAlerts({ customerId: 'c1', status: ['OPEN'], limit: 1, offset: 1 })).map((a) => a.id)).toEqual(['a1']);
      // From the fund flows back to the alerts: evidence transactions, path transactions and addresses.
      expect(await store.alertIdsByTransaction([tid('d1'), tid('p2'), tid('none')])).toEqual(
        new Map([
          [tid('d1'), ['a1']],
          [tid('p2'), ['a1']],
        ]),
      );
      expect(await store.alertIdsByAddress([addr('MIX'), addr('Q'), addr('none')])).toEqual(
        new Map([
          [addr('MIX'), ['a1']],
          [addr('Q'), ['a2']],
        ]),
      );
    });

    it('updates an alert only at the expected version and keeps what the domain wrote (status, notes, history)', async () => {
      await store.createAlerts([{ record: alert('a1', 'k1'), audit: note('alert.create') }], alice);
      const next = alert('a1', 'k1', {
        status: 'IN_REVIEW',
        assignee: 'cli:ann',
        notes: [{ at: T0 + 1, actor: 'cli:ann', text: 'looking' }],
        history: [...alert('a1', 'k1').history, { at: T0 + 1, actor: 'cli:ann', action: 'status', from: 'OPEN', to: 'IN_REVIEW' }],
      });
      const [v2] = await store.updateAlerts([{ record: next, expectedVersion: 1, audit: note('alert.status', { from: 'OPEN', to: 'IN_REVIEW' }) }], { actor: 'cli:ann' });
      expect(v2).toEqual({ ...next, version: 2 });
      await expect(store.updateAlerts([{ record: next, expectedVersion: 1, audit: note('alert.status') }], alice)).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(store.updateAlerts([{ record: alert('zz', 'kz'), expectedVersion: 1, audit: note('alert.status') }], alice)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await store.findAlerts({ assignee: 'cli:ann' })).map((a) => a.id)).toEqual(['a1']);
      expect((await store.findAlerts({ status: ['OPEN'] })).length).toBe(0);
      const trail = (await store.readAudit({ subject: 'a1' })).map((e) => [e.actor, e.action, e.details]);
      expect(trail).toEqual([
        ['api-key:alice', 'alert.create', {}],
        ['cli:ann', 'alert.status', { from: 'OPEN', to: 'IN_REVIEW' }],
      ]);
    });

    it('stores reports, audits every read, lists them by alert and updates them at the expected version', async () => {
      await store.createReports([{ record: report('r1'), audit: note('report.create') }, { record: report('r2', { kind: 'CTR', alertIds: [], createdAt: T0 + 1 }), audit: note('report.create') }], alice);
      await expect(store.createReports([{ record: report('r1'), audit: note('report.create') }], alice)).rejects.toMatchObject({ code: 'CONFLICT' });
      const got = await store.readReports(['r1'], { actor: 'cli:mlro', purpose: 'review' });
      expect(got.get('r1')).toEqual({ ...report('r1'), version: 1 });
      expect((await store.listReports({ alertId: 'a1' })).map((r) => r.id)).toEqual(['r1']);
      expect((await store.listReports({ kind: 'CTR' })).map((r) => r.id)).toEqual(['r2']);
      expect((await store.listReports({ customerId: 'c1' })).map((r) => r.id)).toEqual(['r1', 'r2']);
      const reviewed = report('r1', { status: 'REVIEWED', reviewedAt: T0 + 9, reviewedBy: 'cli:mlro', reviewNote: 'ok to file' });
      expect((await store.updateReports([{ record: reviewed, expectedVersion: 1, audit: note('report.review') }], alice))[0]!.version).toBe(2);
      await expect(store.updateReports([{ record: reviewed, expectedVersion: 1, audit: note('report.review') }], alice)).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await store.listReports({ status: 'REVIEWED' })).map((r) => r.id)).toEqual(['r1']);
      expect((await store.readAudit({ subject: 'r1' })).map((e) => [e.actor, e.action, e.details])).toEqual([
        ['api-key:alice', 'report.create', {}],
        ['cli:mlro', 'report.read', { found: true, purpose: 'review' }],
        ['api-key:alice', 'report.review', {}],
      ]);
    });

    it('chains the audit trail: seq 1..n without gaps, each prevHash the hash before, each hash the SHA-256 of its canonical JSON', async () => {
      await store.createCustomers([{ record: customer('c1'), audit: [{ action: 'customer.create', details: { z: 1, a: [2, { y: 'x', b: null }] } }, { action: 'customer.rate', details: { level: 'LOW' } }] }], alice);
      await store.appendAudit([{ subject: '*', action: 'screening.name', details: { hits: 0 } }], { actor: 'cli:bob' });
      await store.readCustomers(['c1'], alice);
      const entries = await allAudit();
      expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      let prev = '0'.repeat(64);
      for (const e of entries) {
        expect(e.prevHash).toBe(prev);
        const text = canonical({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, details: e.details, prevHash: e.prevHash });
        expect(e.hash).toBe(sha256(text));
        prev = e.hash;
      }
      // Hand-written canonical form of the first entry.
      expect(canonical({ seq: 1, at: T0, actor: 'api-key:alice', action: 'customer.create', subject: 'c1', details: entries[0]!.details, prevHash: '0'.repeat(64) })).toBe(
        `{"action":"customer.create","actor":"api-key:alice","at":${T0},"details":{"a":[2,{"b":null,"y":"x"}],"z":1},"prevHash":"${'0'.repeat(64)}","seq":1,"subject":"c1"}`,
      );
      expect(await store.auditHead()).toEqual({ seq: 4, hash: entries[3]!.hash });
      expect(await verifyAuditChain(store)).toMatchObject({ ok: true, entries: 4, lastGoodSeq: 4 });
    });

    it('pages the audit trail and filters it by subject', async () => {
      await store.appendAudit(
        Array.from({ length: 7 }, (_, i) => ({ subject: i % 2 === 0 ? 'even' : 'odd', action: 'screening.name', details: { i } })),
        alice,
      );
      expect((await store.readAudit({ fromSeq: 3, limit: 2 })).map((e) => e.seq)).toEqual([3, 4]);
      expect((await store.readAudit({ subject: 'odd' })).map((e) => e.details.i)).toEqual([1, 3, 5]);
      expect((await store.readAudit({ fromSeq: 8 })).length).toBe(0);
      expect(await verifyAuditChain(store, { pageSize: 3 })).toMatchObject({ ok: true, entries: 7 });
    });

    it('keeps everything across a reopen, and goes on chaining from the head', async () => {
      await store.createCustomers([{ record: customer('c1', { addresses: [addr('A')] }), audit: note('customer.create') }], alice);
      await store.createAlerts([{ record: alert('a1', 'k1'), audit: note('alert.create') }], alice);
      store = await factory.reopen(store, now);
      expect((await store.linkedCustomers([addr('A')])).get(addr('A'))).toEqual(['c1']);
      expect((await store.getAlerts(['a1'])).get('a1')!.version).toBe(1);
      await store.appendAudit([{ subject: 'x', action: 'monitoring.run' }], alice);
      expect((await allAudit()).map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(await verifyAuditChain(store)).toMatchObject({ ok: true, entries: 3 });
    });

    describe('tampering', () => {
      beforeEach(async () => {
        await store.appendAudit(
          Array.from({ length: 6 }, (_, i) => ({ subject: `s${i + 1}`, action: 'customer.rate', details: { level: 'LOW', n: i + 1 } })),
          alice,
        );
        expect(await verifyAuditChain(store)).toMatchObject({ ok: true, entries: 6 });
      });

      it('names the edited entry when its content changes', async () => {
        await factory.tamper.editAuditEntry(store, 3, { level: 'VERY_HIGH', n: 3 });
        expect(await verifyAuditChain(store)).toMatchObject({ ok: false, badSeq: 3, problem: 'edited', lastGoodSeq: 2 });
      });

      it('names the edited entry when the forger also recomputes its hash (the next entry no longer links)', async () => {
        await factory.tamper.editAuditEntry(store, 4, { level: 'VERY_HIGH', n: 4 }, { rehash: true });
        expect(await verifyAuditChain(store)).toMatchObject({ ok: false, badSeq: 4, problem: 'broken-link' });
      });

      it('names the missing seq when an entry is deleted', async () => {
        await factory.tamper.deleteAuditEntry(store, 2);
        expect(await verifyAuditChain(store)).toMatchObject({ ok: false, badSeq: 2, problem: 'gap', lastGoodSeq: 1 });
      });

      it('names the missing seq when the last entry is deleted', async () => {
        await factory.tamper.deleteAuditEntry(store, 6);
        expect(await verifyAuditChain(store)).toMatchObject({ ok: false, badSeq: 6, problem: 'truncated', lastGoodSeq: 5 });
      });

      it('a later append does not hide a deleted entry', async () => {
        await factory.tamper.deleteAuditEntry(store, 6);
        await store.appendAudit([{ subject: 's7', action: 'customer.rate' }], alice);
        expect(await verifyAuditChain(store)).toMatchObject({ ok: false, badSeq: 6, problem: 'gap' });
      });
    });
  });
}

function riskOf(level: 'LOW' | 'MEDIUM' | 'HIGH' | 'VERY_HIGH'): Customer['risk'] {
  return { at: T0, level, score: 230, scoreLevel: level, factors: [], overrides: [], matrixVersion: 'test' };
}

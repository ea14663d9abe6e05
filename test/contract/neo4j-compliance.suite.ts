/**
 * The compliance store on Neo4j: the compliance contract (compliance.contract.ts) and the Neo4j specifics
 * (links into the graph, serialised writers, start-up checks). Called from neo4j.test.ts, inside its
 * `describe.skipIf(!uri)` block: every Neo4j-backed suite shares one database, and the cases here wipe it,
 * so they must run in that file, one after another.
 *
 * The tamper hooks edit :AuditEntry nodes with Cypher through a driver of their own, bypassing the store,
 * as someone with database access would.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/compliance/audit/verify-audit-chain.js';
import { EmbeddedComplianceStore } from '../../src/store/embedded/compliance/index.js';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { auditEntryHash, type AuditContext, type ComplianceStore, type JsonObject } from '../../src/store/compliance-store.js';
import type { GraphStore } from '../../src/store/graph-store.js';
import { Neo4jComplianceStore } from '../../src/store/neo4j/compliance/neo4j-compliance-store.js';
import { openNeo4jStore, type Neo4jConfig, type Neo4jStoreOptions } from '../../src/store/neo4j/neo4j-store.js';
import { addr, coinbase, spend, tid, tinyGraph } from '../fixtures/tiny-graph.js';
import { alert, customer, defineComplianceContract } from './compliance.contract.js';

// Deletes every node in batches; constraints and indexes stay. IN TRANSACTIONS needs an auto-commit query.
const WIPE = 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS';
const quiet: Neo4jStoreOptions = { connectAttempts: 2, retryBaseDelayMs: 200, log: () => undefined };
const alice: AuditContext = { actor: 'api-key:alice' };
const note = (action: string, details: JsonObject = {}) => [{ action, details }];

export function defineNeo4jComplianceSuite(uri: string): void {
  // The test server runs with auth disabled: any credentials are accepted.
  const config: Neo4jConfig = { uri, user: 'neo4j', password: 'ariadne-test', database: 'neo4j' };
  let admin: Driver | undefined;
  const graphOf = new WeakMap<ComplianceStore, GraphStore>();

  /** Raw Cypher with integers as Cypher integers (the tamper hooks and the checks below). */
  async function cypher<T = Record<string, unknown>>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    admin ??= neo4j.driver(uri, neo4j.auth.basic('neo4j', 'ariadne-test'), { disableLosslessIntegers: true });
    const session = admin.session({ database: 'neo4j' });
    try {
      const ints = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'number' && Number.isSafeInteger(v) ? neo4j.int(v) : v]));
      return (await session.run(query, ints)).records.map((r) => r.toObject() as T);
    } finally {
      await session.close();
    }
  }
  afterAll(async () => {
    await admin?.close();
  });

  async function openOn(graph: GraphStore, now: () => number): Promise<Neo4jComplianceStore> {
    const store = await Neo4jComplianceStore.forStore(graph, { now, log: () => undefined });
    graphOf.set(store, graph);
    return store;
  }
  const openFresh = async (now: () => number): Promise<Neo4jComplianceStore> => {
    await cypher(WIPE);
    return openOn(await openNeo4jStore(config, quiet), now);
  };

  defineComplianceContract('neo4j', {
    open: openFresh,
    async reopen(store, now) {
      await graphOf.get(store)!.close();
      return openOn(await openNeo4jStore(config, quiet), now);
    },
    async close(store) {
      await graphOf.get(store)?.close();
    },
    tamper: {
      async editAuditEntry(_store, seq, details, options = {}) {
        await cypher('MATCH (e:AuditEntry {seq: $seq}) SET e.details = $details', { seq, details: JSON.stringify(details) });
        if (options.rehash) {
          const [e] = await cypher<{ seq: number; at: number; actor: string; action: string; subject: string; prevHash: string }>(
            'MATCH (e:AuditEntry {seq: $seq}) RETURN e.seq AS seq, e.at AS at, e.actor AS actor, e.action AS action, e.subject AS subject, e.prevHash AS prevHash',
            { seq },
          );
          const hash = auditEntryHash({ seq: e!.seq, at: e!.at, actor: e!.actor, action: e!.action, subject: e!.subject, details, prevHash: e!.prevHash });
          await cypher('MATCH (e:AuditEntry {seq: $seq}) SET e.hash = $hash', { seq, hash });
        }
      },
      async deleteAuditEntry(_store, seq) {
        await cypher('MATCH (e:AuditEntry {seq: $seq}) DETACH DELETE e', { seq });
      },
    },
  });

  describe('neo4j compliance store: graph links, concurrent writers, start-up', () => {
    let clock: number;
    const now = () => clock++;
    let graph: GraphStore;
    let store: Neo4jComplianceStore;
    beforeEach(async () => {
      clock = 1_735_689_600_000;
      store = await openFresh(now);
      graph = graphOf.get(store)!;
      return async () => {
        await store.idle();
        await graph.close();
      };
    });

    // mint pays A 50; pay spends it to B 30 and C 15 (fee 5).
    const twoBlocks = () => {
      const g = tinyGraph('btc');
      g.tx('mint', { height: 1, inputs: [coinbase()], outputs: [['A', 50n]] });
      g.tx('pay', { height: 2, inputs: [spend('mint', 0)], outputs: [['B', 30n], ['C', 15n]] });
      return g;
    };
    const count = async (label: string) => (await cypher<{ n: number }>(`MATCH (n:${label}) RETURN count(n) AS n`))[0]!.n;

    it('links customers to the graph addresses and alerts to its transactions: a Cypher path goes from the customer to the fund flows and back', async () => {
      for (const b of twoBlocks().blocks()) await graph.writeBlock(b);
      await store.createCustomers([{ record: customer('c1', { addresses: [addr('A'), addr('Z')] }), audit: note('customer.create') }], alice);
      const evidence = { transactions: [], paths: [{ address: addr('A'), target: addr('B'), category: 'mixer', hops: 1, direction: 'out' as const, addresses: [addr('A'), addr('B')], txIds: [tid('pay')] }], addresses: [addr('A')], facts: {} };
      await store.createAlerts([{ record: alert('a1', 'k1', { customerId: 'c1', evidence }), audit: note('alert.create') }], alice);

      // A is in the graph: a real link. Z is not: a stand-in, and the graph port does not learn of it.
      expect(await cypher("MATCH (:Customer {id: 'c1'})-[:OWNS]->(a:Address) RETURN a.id AS id")).toEqual([{ id: addr('A') }]);
      expect(await cypher("MATCH (:Customer {id: 'c1'})-[:OWNS]->(p:PendingAddress) RETURN p.id AS id")).toEqual([{ id: addr('Z') }]);
      expect((await graph.getAddresses([addr('Z')])).size).toBe(0);
      // Hand count: addresses A, B, C only; no transaction beyond mint and pay.
      expect(await graph.stats()).toMatchObject({ addresses: 3, transactions: 2 });

      // Customer -> its address -> the transactions it took part in -> the alerts about them -> back to the customer.
      const path = await cypher<{ tx: string; alert: string }>(
        "MATCH (c:Customer {id: 'c1'})-[:OWNS]->(:Address)-[:INPUT|OUTPUT]-(t:Transaction)<-[:CONCERNS]-(x:Alert)-[:ABOUT]->(c) RETURN DISTINCT t.id AS tx, x.id AS alert",
      );
      expect(path).toEqual([{ tx: tid('pay'), alert: 'a1' }]);
      // The alert concerns A and B (evidence and path hops) and pay.
      expect((await cypher<{ id: string }>("MATCH (:Alert {id: 'a1'})-[:CONCERNS]->(n) RETURN n.id AS id ORDER BY id")).map((r) => r.id)).toEqual([addr('A'), addr('B'), tid('pay')].sort());
    });

    it('hands the links of a pending address or transaction over to the graph node when a block brings it', async () => {
      const g = twoBlocks();
      g.tx('late', { height: 3, inputs: [spend('pay', 0)], outputs: [['Z', 29n]] });
      const [mint, pay, late] = g.blocks();
      await graph.writeBlock(mint!);
      await graph.writeBlock(pay!);
      await store.createCustomers([{ record: customer('c1', { addresses: [addr('Z')] }), audit: note('customer.create') }], alice);
      const evidence = { transactions: [], paths: [], addresses: [addr('Z')], facts: {} };
      await store.createAlerts([{ record: alert('a1', 'k1', { customerId: 'c1', evidence: { ...evidence, paths: [{ address: addr('Z'), target: addr('B'), category: 'scam', hops: 1, direction: 'in' as const, addresses: [addr('B'), addr('Z')], txIds: [tid('late')] }] } }), audit: note('alert.create') }], alice);
      expect([await count('PendingAddress'), await count('PendingTransaction')]).toEqual([1, 1]);
      expect(await store.alertIdsByTransaction([tid('late')])).toEqual(new Map([[tid('late'), ['a1']]]));

      await graph.writeBlock(late!);
      await store.idle();
      expect([await count('PendingAddress'), await count('PendingTransaction')]).toEqual([0, 0]);
      expect(await cypher("MATCH (:Customer {id: 'c1'})-[:OWNS]->(a:Address) RETURN a.id AS id")).toEqual([{ id: addr('Z') }]);
      expect(await cypher("MATCH (:Alert {id: 'a1'})-[:CONCERNS]->(t:Transaction) RETURN t.id AS id")).toEqual([{ id: tid('late') }]);
      // The id lookups give the same answers before and after the hand-over.
      expect(await store.linkedCustomers([addr('Z')])).toEqual(new Map([[addr('Z'), ['c1']]]));
      expect(await store.alertIdsByTransaction([tid('late')])).toEqual(new Map([[tid('late'), ['a1']]]));
      expect(await store.alertIdsByAddress([addr('Z')])).toEqual(new Map([[addr('Z'), ['a1']]]));
    });

    it('links what another process wrote to the graph while this one was not listening: at start, or on linkToGraph', async () => {
      await store.createCustomers([{ record: customer('c1', { addresses: [addr('A')] }), audit: note('customer.create') }], alice);
      // Another process (its own Neo4jStore, no compliance store following it) writes the blocks.
      const other = await openNeo4jStore(config, quiet);
      for (const b of twoBlocks().blocks()) await other.writeBlock(b);
      await other.close();
      await store.idle();
      expect(await count('PendingAddress')).toBe(1);

      await graph.close();
      store = await openOn(await openNeo4jStore(config, quiet), now);
      graph = graphOf.get(store)!;
      expect(await count('PendingAddress')).toBe(0);
      expect(await cypher("MATCH (:Customer {id: 'c1'})-[:OWNS]->(a:Address) RETURN a.id AS id")).toEqual([{ id: addr('A') }]);

      // Without a restart: linkToGraph. D and tx 'more' come from the other process; E stays pending.
      await store.createAlerts([{ record: alert('a1', 'k1', { evidence: { transactions: [], paths: [], addresses: [addr('D'), addr('E')], facts: {} } }), audit: note('alert.create') }], alice);
      await store.updateAlerts(
        [{ record: alert('a1', 'k1', { evidence: { transactions: [], paths: [{ address: addr('D'), target: addr('E'), category: 'scam', hops: 1, direction: 'out', addresses: [addr('D'), addr('E')], txIds: [tid('more')] }], addresses: [addr('D'), addr('E')], facts: {} } }), expectedVersion: 1, audit: note('alert.status') }],
        alice,
      );
      const g = twoBlocks();
      g.tx('more', { height: 3, inputs: [spend('pay', 1)], outputs: [['D', 14n]] });
      const again = await openNeo4jStore(config, quiet);
      await again.writeBlock(g.blocks()[2]!);
      await again.close();
      expect(await store.linkToGraph()).toEqual({ addresses: 1, transactions: 1 });
      expect(await cypher("MATCH (:Alert {id: 'a1'})-[:CONCERNS]->(n:Address|Transaction) RETURN n.id AS id ORDER BY id")).toEqual([addr('D'), tid('more')].sort().map((id) => ({ id })));
      expect(await cypher('MATCH (p:PendingAddress) RETURN p.id AS id')).toEqual([{ id: addr('E') }]);
    });

    it('drops old links on update and deletes a pending node only when nobody links to it any more', async () => {
      await store.createCustomers(
        [
          { record: customer('c1', { addresses: [addr('S'), addr('Y')] }), audit: note('customer.create') },
          { record: customer('c2', { addresses: [addr('S')] }), audit: note('customer.create') },
        ],
        alice,
      );
      await store.createAlerts([{ record: alert('a1', 'k1', { evidence: { transactions: [], paths: [], addresses: [addr('Q')], facts: {} } }), audit: note('alert.create') }], alice);
      expect(await count('PendingAddress')).toBe(3);
      await store.updateCustomers([{ record: customer('c1', { addresses: [] }), expectedVersion: 1, audit: note('customer.update') }], alice);
      // Y went with c1's links; S stays for c2.
      expect((await cypher<{ id: string }>('MATCH (p:PendingAddress) RETURN p.id AS id ORDER BY id')).map((r) => r.id)).toEqual([addr('Q'), addr('S')].sort());
      await store.updateAlerts([{ record: alert('a1', 'k1', { evidence: { transactions: [], paths: [], addresses: [addr('S')], facts: {} } }), expectedVersion: 1, audit: note('alert.status') }], alice);
      expect((await cypher<{ id: string }>('MATCH (p:PendingAddress) RETURN p.id AS id')).map((r) => r.id)).toEqual([addr('S')]);
      expect(await store.alertIdsByAddress([addr('Q'), addr('S')])).toEqual(new Map([[addr('S'), ['a1']]]));
      expect(await store.linkedCustomers([addr('S'), addr('Y')])).toEqual(new Map([[addr('S'), ['c2']]]));
    });

    it('serialises concurrent writers: one winner per compare-and-set and dedup key, a gap-free chain', async () => {
      await store.createCustomers([{ record: customer('c1'), audit: note('customer.create') }], alice);
      const updates = Array.from({ length: 6 }, (_, i) =>
        store.updateCustomers([{ record: customer('c1', { occupation: `job ${i}` }), expectedVersion: 1, audit: note('customer.update', { i }) }], { actor: `cli:u${i}` }),
      );
      const alerts = Array.from({ length: 4 }, (_, i) => store.createAlerts([{ record: alert(`a${i}`, 'same-key'), audit: note('alert.create') }], alice));
      const appends = Array.from({ length: 6 }, (_, i) => store.appendAudit([{ subject: `s${i}`, action: 'screening.name', details: { i } }], alice));
      const [u, a] = await Promise.all([Promise.allSettled(updates), Promise.all(alerts), Promise.all(appends)]);

      expect(u.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(u.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(5).fill('CONFLICT'));
      const created = a.flatMap((r) => r.created.map((x) => x.id));
      expect(created).toHaveLength(1);
      expect(a.flatMap((r) => r.existing.map((x) => x.id))).toEqual(Array(3).fill(created[0]));
      // Hand count: 1 create + 1 winning update + 1 alert + 6 appends = 9 entries, seq 1..9.
      const trail = await store.readAudit();
      expect(trail.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await verifyAuditChain(store)).toMatchObject({ ok: true, entries: 9, lastGoodSeq: 9 });
      expect((await store.readCustomers(['c1'], alice)).get('c1')!.version).toBe(2);
    });

    it('gives the answers, errors and audit trail (hashes included) of the embedded engine on batch edge cases', async () => {
      const embeddedGraph = await openEmbeddedStore({ dir: ':memory:' });
      let embeddedClock = clock;
      const embedded = new EmbeddedComplianceStore(embeddedGraph.db, { now: () => embeddedClock++ });
      // Error messages must match too, except where the embedded one is SQLite's own text.
      const outcome = async (work: (s: ComplianceStore) => Promise<unknown>, s: ComplianceStore, withMessage: boolean) =>
        work(s).then(
          (value) => ({ value }),
          (err: { code?: string; message?: string }) => ({ error: withMessage ? [err.code, err.message] : [err.code] }),
        );
      const same = async (label: string, work: (s: ComplianceStore) => Promise<unknown>, withMessage = true) => {
        const expected = await outcome(work, embedded, withMessage);
        expect(await outcome(work, store, withMessage), label).toEqual(expected);
        return expected;
      };
      const edd = (id: string, customerId: string, status: 'OPEN' | 'DONE' = 'OPEN') => ({ id, customerId, status, riskLevel: 'HIGH' as const, reasons: [], openedAt: 5, dueAt: 9, closedAt: null, closedBy: null, outcome: null, version: 0 });
      try {
        await same('create c1, c2', (s) => s.createCustomers([{ record: customer('c1', { addresses: [addr('A'), addr('A')] }), audit: note('customer.create') }, { record: customer('c2'), audit: note('customer.create') }], alice));
        // Each case does what its label says (read off the embedded answers by hand), then both engines agree.
        expect(await same('same id twice in a batch', (s) => s.createCustomers([{ record: customer('c3'), audit: note('customer.create') }, { record: customer('c3'), audit: note('customer.create') }], alice))).toEqual({
          error: ['CONFLICT', 'customer c3 already exists'],
        });
        await same('one id updated twice in a batch', (s) =>
          s.updateCustomers(
            [
              { record: customer('c1', { addresses: [addr('B')] }), expectedVersion: 1, audit: note('customer.update', { n: 1 }) },
              { record: customer('c1', { addresses: [addr('C')], status: 'BLOCKED' }), expectedVersion: 2, audit: note('customer.update', { n: 2 }) },
            ],
            alice,
          ),
        );
        expect(await same('addresses after the double update', (s) => s.linkedAddresses(['c1', 'c2', 'c3']))).toEqual({ value: new Map([['c1', [addr('C')]], ['c2', []]]) });
        await same('negative limit: no limit', (s) => s.listCustomers({ limit: -1 }, alice));
        expect(await same('two tasks for one customer in a batch', (s) => s.openEddTasks([{ record: edd('e1', 'c1'), audit: note('edd.open') }, { record: edd('e2', 'c1'), audit: note('edd.open') }], alice))).toMatchObject({
          value: { created: [{ id: 'e1' }], existing: [{ id: 'e1' }] },
        });
        await same('an existing task id', (s) => s.openEddTasks([{ record: edd('e1', 'c2'), audit: note('edd.open') }], alice));
        await same('open another task for c2', (s) => s.openEddTasks([{ record: edd('e3', 'c2'), audit: note('edd.open') }], alice));
        await same('close e3', (s) => s.updateEddTasks([{ record: edd('e3', 'c2', 'DONE'), expectedVersion: 1, audit: note('edd.close') }], alice));
        expect(await same('a second OPEN task for c2 while none is open, then reopening e3', (s) =>
          s.openEddTasks([{ record: edd('e4', 'c2'), audit: note('edd.open') }], alice).then(() => s.updateEddTasks([{ record: edd('e3', 'c2'), expectedVersion: 2, audit: note('edd.open') }], alice)),
          false,
        )).toEqual({ error: ['STORE_UNAVAILABLE'] });
        await same('a task moving to another customer', (s) => s.updateEddTasks([{ record: edd('e1', 'c2'), expectedVersion: 1, audit: note('edd.close') }], alice));
        await same('tasks', (s) => s.findEddTasks({}));
        expect(await same('one dedup key twice in a batch, and a new key', (s) =>
          s.createAlerts([{ record: alert('a1', 'k1'), audit: note('alert.create') }, { record: alert('a2', 'k1'), audit: note('alert.create') }, { record: alert('a3', 'k3', { createdAt: 7 }), audit: note('alert.create') }], alice),
        )).toMatchObject({ value: { created: [{ id: 'a1' }, { id: 'a3' }], existing: [{ id: 'a1' }] } });
        await same('a taken alert id', (s) => s.createAlerts([{ record: alert('a1', 'k9'), audit: note('alert.create') }], alice));
        await same('a changed dedup key', (s) => s.updateAlerts([{ record: alert('a1', 'k2'), expectedVersion: 1, audit: note('alert.status') }], alice));
        await same('alerts, offset beyond the end', (s) => Promise.all([s.findAlerts({ offset: 1 }), s.findAlerts({ offset: 5 }), s.findAlerts({ status: [] })]));
        await same('a report whose customer changes', (s) =>
          s
            .createReports([{ record: { id: 'r1', kind: 'SAR', status: 'DRAFT', customerId: 'c1', alertIds: ['a1', 'a1'], title: 't', narrative: 'n', data: {}, createdAt: 3, createdBy: 'x', reviewedAt: null, reviewedBy: null, reviewNote: null, version: 0 }, audit: note('report.create') }], alice)
            .then(([r]) => s.updateReports([{ record: { ...r!, customerId: 'c2' }, expectedVersion: 1, audit: note('report.review') }], alice)),
        );
        await same('reports and duplicate reads', (s) => Promise.all([s.listReports({ alertId: 'a1' }), s.readReports(['r1', 'r1', 'zz'], { actor: 'cli:x', purpose: 'p' })]));
        await same('the whole trail', (s) => s.readAudit({ limit: 10_000 }));
        await same('the head', (s) => s.auditHead());
      } finally {
        await embeddedGraph.close();
      }
    });

    it('refuses a database whose compliance nodes a newer layout wrote, and a graph store of another engine', async () => {
      await cypher("MATCH (m:ComplianceMeta {name: 'schema'}) SET m.version = 99");
      await expect(Neo4jComplianceStore.forStore(graph, { log: () => undefined })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await cypher("MATCH (m:ComplianceMeta {name: 'schema'}) SET m.version = 1");
      const embedded = await openEmbeddedStore({ dir: ':memory:' });
      try {
        await expect(Neo4jComplianceStore.forStore(embedded)).rejects.toMatchObject({ code: 'INTERNAL' });
      } finally {
        await embedded.close();
      }
    });
  });
}

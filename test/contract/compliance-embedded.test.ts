import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { EmbeddedComplianceStore } from '../../src/store/embedded/compliance/index.js';
import { auditEntryHash, type ComplianceStore, type JsonObject } from '../../src/store/compliance-store.js';
import { defineComplianceContract } from './compliance.contract.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const graphOf = new WeakMap<ComplianceStore, { graph: EmbeddedStore; dir: string }>();

async function openAt(dir: string, now: () => number): Promise<EmbeddedComplianceStore> {
  const graph = await openEmbeddedStore({ dir });
  const store = new EmbeddedComplianceStore(graph.db, { now });
  graphOf.set(store, { graph, dir });
  return store;
}

function dbOf(store: ComplianceStore) {
  return (store as EmbeddedComplianceStore).db;
}

/** Raw SQL as an attacker with the database file would run it: the append-only triggers must go first. */
function withoutTriggers(store: ComplianceStore, work: () => void): void {
  const db = dbOf(store);
  db.exec('DROP TRIGGER cmp_audit_no_update; DROP TRIGGER cmp_audit_no_delete;');
  work();
}

defineComplianceContract('embedded', {
  async open(now) {
    const dir = mkdtempSync(path.join(tmpdir(), 'ariadne-compliance-'));
    dirs.push(dir);
    return openAt(dir, now);
  },
  async reopen(store, now) {
    const { graph, dir } = graphOf.get(store)!;
    await graph.close();
    return openAt(dir, now);
  },
  async close(store) {
    await graphOf.get(store)?.graph.close();
  },
  tamper: {
    async editAuditEntry(store, seq, details: JsonObject, options = {}) {
      withoutTriggers(store, () => {
        const db = dbOf(store);
        db.prepare('UPDATE cmp_audit SET details = ? WHERE seq = ?').run(JSON.stringify(details), seq);
        if (options.rehash) {
          const row = db.prepare('SELECT * FROM cmp_audit WHERE seq = ?').get(seq) as { seq: number; at: number; actor: string; action: string; subject: string; prev_hash: string };
          const hash = auditEntryHash({ seq: row.seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject, details, prevHash: row.prev_hash });
          db.prepare('UPDATE cmp_audit SET hash = ? WHERE seq = ?').run(hash, seq);
        }
      });
    },
    async deleteAuditEntry(store, seq) {
      withoutTriggers(store, () => {
        dbOf(store).prepare('DELETE FROM cmp_audit WHERE seq = ?').run(seq);
      });
    },
  },
});

describe('embedded compliance store: SQLite specifics', () => {
  it('refuses UPDATE and DELETE of audit entries through SQL while its triggers are in place', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ariadne-compliance-'));
    dirs.push(dir);
    const store = await openAt(dir, () => 1);
    await store.appendAudit([{ subject: 's', action: 'monitoring.run', details: { n: 1 } }], { actor: 'test' });
    expect(() => store.db.prepare("UPDATE cmp_audit SET actor = 'mallory' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM cmp_audit WHERE seq = 1').run()).toThrow(/append-only/);
    expect((await store.readAudit())[0]!.actor).toBe('test');
    await graphOf.get(store)!.graph.close();
  });

  it('keeps compliance tables in the graph database file, beside the graph tables', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ariadne-compliance-'));
    dirs.push(dir);
    const store = await openAt(dir, () => 1);
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['txs', 'labels', 'cmp_customers', 'cmp_alerts', 'cmp_audit', 'cmp_audit_head']));
    await graphOf.get(store)!.graph.close();
  });
});

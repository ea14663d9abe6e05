/**
 * API keys in a SQLite database: the embedded engine's own file (`EmbeddedStore.db`), table `api_keys`.
 * Only hashes are stored (api-key-store.ts).
 *
 * Every request looks its key up, so found records are kept in memory, per database connection (every
 * SqliteApiKeyStore over one connection shares them): a key created or revoked through any of them is seen
 * by the next lookup. A record is read again after KEY_CACHE_MS, which bounds how long a write by another
 * connection could go unseen (the embedded data directory is locked to one process, so there is none while
 * the service runs). Unknown hashes are not kept: guessing keys cannot grow the cache.
 */
import type Database from 'better-sqlite3';
import { AriadneError } from '../../errors.js';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store.js';
import { parseRole } from './roles.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);`;

interface Row {
  id: string;
  hash: string;
  role: string;
  name: string;
  created_at: number;
  revoked_at: number | null;
}

/** How long a found record is used without reading it again, ms. */
export const KEY_CACHE_MS = 1_000;

const caches = new WeakMap<Database.Database, Map<string, { record: ApiKeyRecord; until: number }>>();

const toRecord = (r: Row): ApiKeyRecord => ({ id: r.id, hash: r.hash, role: parseRole(r.role), name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at });

export class SqliteApiKeyStore implements ApiKeyStore {
  private readonly stmt;
  /** Found records by hash, shared by the stores of this connection. */
  private readonly found: Map<string, { record: ApiKeyRecord; until: number }>;

  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    let found = caches.get(db);
    if (!found) caches.set(db, (found = new Map()));
    this.found = found;
    this.stmt = {
      insert: db.prepare('INSERT INTO api_keys (id, hash, role, name, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)'),
      byHash: db.prepare<[string], Row>('SELECT * FROM api_keys WHERE hash = ?'),
      byId: db.prepare<[string], Row>('SELECT * FROM api_keys WHERE id = ?'),
      list: db.prepare<[], Row>('SELECT * FROM api_keys ORDER BY created_at, id'),
      revoke: db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM api_keys'),
    };
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    try {
      this.stmt.insert.run(record.id, record.hash, record.role, record.name, record.createdAt, record.revokedAt);
      this.found.clear();
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw new AriadneError('CONFLICT', `an API key with id ${record.id} or the same hash exists`);
      throw new AriadneError('STORE_UNAVAILABLE', `cannot store API key ${record.id}: ${(err as Error).message}`, {}, { cause: err });
    }
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    const now = Date.now();
    const kept = this.found.get(hash);
    if (kept && kept.until > now) return { ...kept.record };
    const row = this.stmt.byHash.get(hash);
    if (!row) {
      this.found.delete(hash);
      return null;
    }
    const record = toRecord(row);
    this.found.set(hash, { record, until: now + KEY_CACHE_MS });
    return { ...record };
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.stmt.list.all().map(toRecord);
  }

  async revoke(id: string, at: number): Promise<ApiKeyRecord | null> {
    this.stmt.revoke.run(at, id);
    this.found.clear();
    const row = this.stmt.byId.get(id);
    return row ? toRecord(row) : null;
  }

  async count(): Promise<number> {
    return this.stmt.count.get()!.n;
  }
}

/**
 * API keys in a JSON file (`<dataDir>/api-keys.json`, mode 0600): the fallback for store engines without a
 * key store of their own (Neo4j until it has one). Only hashes are stored. Writes replace the file
 * atomically (write to a temporary file, then rename). The file is re-read whenever it changed on disk, so
 * that a key created or revoked by the CLI takes effect in a running service at once.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AriadneError } from '../../errors.js';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store.js';
import { parseRole } from './roles.js';

export class FileApiKeyStore implements ApiKeyStore {
  private records: ApiKeyRecord[] = [];
  private seen = -1;

  constructor(readonly file: string) {
    this.refresh();
  }

  /** Re-reads the file when its modification time changed since the last read or write. */
  private refresh(): void {
    const mtime = existsSync(this.file) ? statSync(this.file).mtimeMs : 0;
    if (mtime === this.seen) return;
    this.records = mtime === 0 ? [] : this.read();
    this.seen = mtime;
  }

  private read(): ApiKeyRecord[] {
    try {
      const json = JSON.parse(readFileSync(this.file, 'utf8')) as { keys?: unknown };
      if (!Array.isArray(json.keys)) throw new Error('expected {"keys": [...]}');
      return json.keys.map((k: ApiKeyRecord) => ({ ...k, role: parseRole(k.role) }));
    } catch (err) {
      throw new AriadneError('STORE_UNAVAILABLE', `cannot read the API key file ${this.file}: ${(err as Error).message}`, {}, { cause: err });
    }
  }

  private write(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ keys: this.records }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
    chmodSync(this.file, 0o600);
    this.seen = statSync(this.file).mtimeMs;
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    this.refresh();
    if (this.records.some((r) => r.id === record.id || r.hash === record.hash)) {
      throw new AriadneError('CONFLICT', `an API key with id ${record.id} or the same hash exists`);
    }
    this.records.push({ ...record });
    this.write();
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    this.refresh();
    const r = this.records.find((x) => x.hash === hash);
    return r ? { ...r } : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    this.refresh();
    return [...this.records].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map((r) => ({ ...r }));
  }

  async revoke(id: string, at: number): Promise<ApiKeyRecord | null> {
    this.refresh();
    const r = this.records.find((x) => x.id === id);
    if (!r) return null;
    if (r.revokedAt === null) {
      r.revokedAt = at;
      this.write();
    }
    return { ...r };
  }

  async count(): Promise<number> {
    this.refresh();
    return this.records.length;
  }
}

/** API keys: creation, hashing, authentication, revocation, the development key, both key stores. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ApiKeyStore } from '../../src/api/auth/api-key-store.js';
import { authenticate, createApiKey, ensureDevelopmentKey, hashApiKey, presentedKey } from '../../src/api/auth/api-keys.js';
import { FileApiKeyStore } from '../../src/api/auth/file-api-key-store.js';
import { KEY_CACHE_MS, SqliteApiKeyStore } from '../../src/api/auth/sqlite-api-key-store.js';
import { HeaderMap } from '@apollo/server';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ariadne-keys-'));
  dirs.push(d);
  return d;
};

const stores: [string, () => ApiKeyStore][] = [
  ['sqlite', () => new SqliteApiKeyStore(new Database(':memory:'))],
  ['file', () => new FileApiKeyStore(path.join(tmp(), 'api-keys.json'))],
];

describe.each(stores)('%s key store', (_name, open) => {
  it('authenticates a created key by its SHA-256 hash and never stores the key', async () => {
    const keys = open();
    const { key, record } = await createApiKey(keys, 'investigator', { name: 'alice' });
    expect(key).toMatch(/^ariadne_[A-Za-z0-9_-]{43}$/);
    expect(record.hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashApiKey(key)).toBe(record.hash);
    expect(await authenticate(keys, key)).toEqual({ keyId: record.id, role: 'investigator', name: 'alice' });
    expect(JSON.stringify(await keys.list())).not.toContain(key);
  });

  it('refuses malformed, unknown and revoked keys', async () => {
    const keys = open();
    const { key, record } = await createApiKey(keys, 'admin');
    await expect(authenticate(keys, 'ariadne_nope')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/malformed API key/) });
    await expect(authenticate(keys, `ariadne_${'x'.repeat(43)}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: 'unknown API key' });
    const revoked = await keys.revoke(record.id, 1_700_000_000_000);
    expect(revoked!.revokedAt).toBe(1_700_000_000_000);
    // Revoking again keeps the first time.
    expect((await keys.revoke(record.id, 1_800_000_000_000))!.revokedAt).toBe(1_700_000_000_000);
    await expect(authenticate(keys, key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: `API key ${record.id} was revoked at 2023-11-14T22:13:20.000Z` });
    expect(await keys.revoke('key_unknown', 1)).toBeNull();
  });

  it('creates the development key on a first start only', async () => {
    const keys = open();
    const dev = await ensureDevelopmentKey(keys);
    expect(dev).toMatch(/^ariadne_/);
    expect((await authenticate(keys, dev!)).role).toBe('admin');
    expect(await ensureDevelopmentKey(keys)).toBeNull();
    expect(await keys.count()).toBe(1);
  });

  it('refuses unknown roles and over-long names', async () => {
    const keys = open();
    await expect(createApiKey(keys, 'root' as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createApiKey(keys, 'admin', { name: 'x'.repeat(201) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('file key store', () => {
  it('keeps keys across restarts in a file only its owner can read', async () => {
    const file = path.join(tmp(), 'api-keys.json');
    const { key } = await createApiKey(new FileApiKeyStore(file), 'compliance');
    expect((await authenticate(new FileApiKeyStore(file), key)).role).toBe('compliance');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(key);
  });
});

describe('file key store shared by a service and the CLI', () => {
  it('sees a key created and then revoked by another process at once', async () => {
    const file = path.join(tmp(), 'api-keys.json');
    const service = new FileApiKeyStore(file);
    const cli = new FileApiKeyStore(file);
    const { key, record } = await createApiKey(cli, 'investigator');
    expect((await authenticate(service, key)).role).toBe('investigator');
    await new Promise((r) => setTimeout(r, 20)); // a distinct modification time
    await cli.revoke(record.id, Date.now());
    await expect(authenticate(service, key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('sqlite key store lookups kept in memory', () => {
  it('refuses a key at once after it is revoked or created through any store over the same connection', async () => {
    const db = new Database(':memory:');
    const service = new SqliteApiKeyStore(db);
    const admin = new SqliteApiKeyStore(db);
    const { key, record } = await createApiKey(admin, 'investigator');
    expect((await authenticate(service, key)).role).toBe('investigator');
    await admin.revoke(record.id, 1_700_000_000_000);
    await expect(authenticate(service, key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: `API key ${record.id} was revoked at 2023-11-14T22:13:20.000Z` });
    // An unknown key is not remembered as unknown: created later, it works at once.
    const later = `ariadne_${'A'.repeat(43)}`;
    await expect(authenticate(service, later)).rejects.toMatchObject({ message: 'unknown API key' });
    await admin.insert({ id: 'key_000000000001', hash: hashApiKey(later), role: 'screening', name: 'later', createdAt: 1, revokedAt: null });
    expect((await authenticate(service, later)).role).toBe('screening');
  });

  it('sees a revocation by another connection within KEY_CACHE_MS', async () => {
    const file = path.join(tmp(), 'keys.db');
    const service = new SqliteApiKeyStore(new Database(file));
    const other = new SqliteApiKeyStore(new Database(file));
    const { key, record } = await createApiKey(other, 'compliance');
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now);
    try {
      expect((await authenticate(service, key)).role).toBe('compliance');
      await other.revoke(record.id, now);
      clock.mockReturnValue(now + KEY_CACHE_MS + 1);
      await expect(authenticate(service, key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      clock.mockRestore();
    }
  });
});

describe('presentedKey', () => {
  const headers = (h: Record<string, string>) => {
    const m = new HeaderMap();
    for (const [k, v] of Object.entries(h)) m.set(k, v);
    return m;
  };
  it('reads Bearer tokens and x-api-key, and refuses other schemes and two different keys', () => {
    expect(presentedKey(headers({ authorization: 'Bearer ariadne_abc' }))).toBe('ariadne_abc');
    expect(presentedKey(headers({ authorization: 'bearer   ariadne_abc' }))).toBe('ariadne_abc');
    expect(presentedKey(headers({ 'x-api-key': 'ariadne_abc' }))).toBe('ariadne_abc');
    expect(presentedKey(headers({ authorization: 'Bearer ariadne_abc', 'x-api-key': 'ariadne_abc' }))).toBe('ariadne_abc');
    expect(presentedKey(headers({}))).toBeNull();
    expect(() => presentedKey(headers({ authorization: 'Basic dXNlcjpwdw==' }))).toThrow(/unsupported Authorization header/);
    expect(() => presentedKey(headers({ authorization: 'Bearer a', 'x-api-key': 'b' }))).toThrow(/different keys/);
  });
});

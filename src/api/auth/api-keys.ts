/**
 * API keys: creation, authentication and the development key of a first start.
 *
 * A key is `ariadne_` followed by 43 base64url characters (32 random bytes). It is shown once; stores keep
 * its SHA-256 hash (a random 256-bit secret needs no slow password hash: there is nothing to guess), its
 * public id `key_<12 hex>`, its role and name. Clients send it as `Authorization: Bearer <key>` or in an
 * `x-api-key` header.
 */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { App } from '../../app.js';
import { AriadneError, invalidInput } from '../../errors.js';
import type { EmbeddedStore } from '../../store/embedded/embedded-store.js';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store.js';
import { FileApiKeyStore } from './file-api-key-store.js';
import { ROLES, type Role } from './roles.js';
import { SqliteApiKeyStore } from './sqlite-api-key-store.js';

export const API_KEY_PREFIX = 'ariadne_';
const KEY_PATTERN = /^ariadne_[A-Za-z0-9_-]{43}$/;

/** What a request authenticated as. */
export interface Principal {
  keyId: string;
  role: Role;
  name: string;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * Creates a key with a role and stores its hash. Returns the key text (to show once) and the stored record.
 * Throws INVALID_INPUT for an unknown role or a name longer than 200 characters.
 */
export async function createApiKey(keys: ApiKeyStore, role: Role, options: { name?: string; now?: number } = {}): Promise<{ key: string; record: ApiKeyRecord }> {
  if (!(ROLES as readonly string[]).includes(role)) throw invalidInput(`unknown role ${JSON.stringify(role)}: expected one of ${ROLES.join(', ')}`);
  const name = (options.name ?? `${role} key`).trim();
  if (name.length === 0 || name.length > 200) throw invalidInput(`API key name must be 1-200 characters, got ${name.length}`);
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = { id: `key_${randomBytes(6).toString('hex')}`, hash: hashApiKey(key), role, name, createdAt: options.now ?? Date.now(), revokedAt: null };
  await keys.insert(record);
  return { key, record };
}

/**
 * The key a request presents: `Authorization: Bearer <key>` or `x-api-key: <key>`; null when neither header
 * is there. Throws UNAUTHENTICATED for an Authorization header of another scheme or two different keys.
 */
export function presentedKey(headers: { get(name: string): string | undefined | null }): string | null {
  const auth = headers.get('authorization')?.trim();
  const xKey = headers.get('x-api-key')?.trim();
  let fromAuth: string | null = null;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new AriadneError('UNAUTHENTICATED', 'unsupported Authorization header: expected "Authorization: Bearer ariadne_..."');
    fromAuth = m[1]!;
  }
  if (fromAuth && xKey && fromAuth !== xKey) throw new AriadneError('UNAUTHENTICATED', 'the Authorization and x-api-key headers carry different keys: send one');
  return fromAuth ?? (xKey || null);
}

/** Checks a presented key. Throws UNAUTHENTICATED for a malformed, unknown or revoked key. */
export async function authenticate(keys: ApiKeyStore, key: string): Promise<Principal> {
  if (!KEY_PATTERN.test(key)) {
    throw new AriadneError('UNAUTHENTICATED', `malformed API key: expected "${API_KEY_PREFIX}" followed by 43 base64url characters, got ${key.length} characters`);
  }
  const record = await keys.findByHash(hashApiKey(key));
  if (!record) throw new AriadneError('UNAUTHENTICATED', 'unknown API key');
  if (record.revokedAt !== null) throw new AriadneError('UNAUTHENTICATED', `API key ${record.id} was revoked at ${new Date(record.revokedAt).toISOString()}`);
  return { keyId: record.id, role: record.role, name: record.name };
}

/**
 * On a first start (no key was ever created) creates an admin "development key" and returns its text, to
 * be printed once; returns null otherwise. Only its hash is stored.
 */
export async function ensureDevelopmentKey(keys: ApiKeyStore): Promise<string | null> {
  if ((await keys.count()) > 0) return null;
  const { key } = await createApiKey(keys, 'admin', { name: 'development key (created on first start)' });
  return key;
}

/**
 * The key store of an app: the embedded engine's SQLite file, or `<dataDir>/api-keys.json` for engines
 * without a key store of their own (Neo4j, until it implements ApiKeyStore).
 */
export function openApiKeyStore(app: Pick<App, 'store' | 'config'>): ApiKeyStore {
  if (app.store.engine === 'embedded' && 'db' in app.store) return new SqliteApiKeyStore((app.store as EmbeddedStore).db);
  return new FileApiKeyStore(path.join(app.config.dataDir, 'api-keys.json'));
}

/**
 * The API key port. A key is shown once, when it is created; a store keeps only its SHA-256 hash, with the
 * key id (safe to log and to write in the audit trail), the role, a name and the creation and revocation
 * times. Every store engine provides one (the embedded engine keeps keys in its SQLite file; see
 * sqlite-api-key-store.ts; file-api-key-store.ts is the fallback for engines that have none yet).
 */

export interface ApiKeyRecord {
  /** Public id, `key_<12 hex>`: what logs and the audit trail name. */
  id: string;
  /** SHA-256 of the whole key text, lowercase hex. The key itself is never stored. */
  hash: string;
  role: import('./roles.js').Role;
  /** Free text: who or what the key is for. */
  name: string;
  /** Unix ms. */
  createdAt: number;
  /** Unix ms, or null while the key is valid. */
  revokedAt: number | null;
}

export interface ApiKeyStore {
  /** Adds a key record. Throws CONFLICT when the id or the hash exists. */
  insert(record: ApiKeyRecord): Promise<void>;
  /** The record whose hash this is (revoked ones included), or null. */
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  /** Every record, revoked ones included, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked at `at`; returns the record, or null for an unknown id. Revoking twice keeps the first time. */
  revoke(id: string, at: number): Promise<ApiKeyRecord | null>;
  /** Number of records ever created (revoked ones included): 0 means a first start. */
  count(): Promise<number>;
}

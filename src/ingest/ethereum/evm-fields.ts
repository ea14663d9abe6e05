/**
 * Field readers for Ethereum JSON-RPC objects (blocks, transactions, receipts, logs).
 *
 * Reference: Ethereum execution-apis, "JSON-RPC encoding": a QUANTITY is `0x` followed by hex digits
 * (`0x0` for zero), DATA is `0x` followed by an even number of hex digits, hashes are 32 bytes of DATA
 * and addresses 20 bytes. Readers are lenient on letter case and on leading zeros of quantities (some
 * clients pad them), strict on everything else, and every failure is an INVALID_INPUT naming the object,
 * the field, what was expected and what arrived:
 *   `tx 0xcc9f... field "value": expected a 0x hex quantity, got 12`
 */
import { type AriadneError, type ErrorContext, invalidInput, preview } from '../../errors.js';

/** Where a field is read: `what` starts the message ("tx 0x..", "block", "receipt of tx 0x.."). */
export interface FieldSite {
  what: string;
  context: ErrorContext;
}

const QUANTITY = /^0x[0-9a-fA-F]+$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const DATA = /^0x(?:[0-9a-fA-F]{2})*$/;

export function fieldError(site: FieldSite, field: string, expected: string, got: unknown): AriadneError {
  const received = got === undefined ? 'the field is missing' : `got ${preview(got)}`;
  return invalidInput(`${site.what} field "${field}": expected ${expected}, ${received}`, site.context);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A required QUANTITY as a bigint (wei, gas, token units: no upper bound). */
export function readQuantity(obj: Record<string, unknown>, field: string, site: FieldSite): bigint {
  const v = obj[field];
  if (typeof v !== 'string' || !QUANTITY.test(v)) throw fieldError(site, field, 'a 0x hex quantity', v);
  return BigInt(v);
}

/** An optional QUANTITY: absent or null gives null. */
export function readOptionalQuantity(obj: Record<string, unknown>, field: string, site: FieldSite): bigint | null {
  if (obj[field] === undefined || obj[field] === null) return null;
  return readQuantity(obj, field, site);
}

/** A QUANTITY that must fit a JavaScript safe integer (heights, indexes, timestamps, nonces). */
export function readSmallQuantity(obj: Record<string, unknown>, field: string, site: FieldSite): number {
  const big = readQuantity(obj, field, site);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw fieldError(site, field, `a quantity at most 2^53 - 1`, obj[field]);
  }
  return Number(big);
}

/** A 32-byte hash, returned in lower case. */
export function readHash(obj: Record<string, unknown>, field: string, site: FieldSite): string {
  const v = obj[field];
  if (typeof v !== 'string' || !HASH.test(v)) throw fieldError(site, field, 'a 32-byte 0x hash (64 hex digits)', v);
  return v.toLowerCase();
}

/**
 * A 20-byte address as written (validation of the EIP-55 checksum happens in `addressId`, whose error
 * the caller wraps with the field name).
 */
export function readAddressText(obj: Record<string, unknown>, field: string, site: FieldSite): string {
  const v = obj[field];
  if (typeof v !== 'string' || !ADDRESS.test(v)) throw fieldError(site, field, 'a 20-byte 0x address (40 hex digits)', v);
  return v;
}

/** Byte data (`0x` + even hex), lower case. */
export function readData(obj: Record<string, unknown>, field: string, site: FieldSite): string {
  const v = obj[field];
  if (typeof v !== 'string' || !DATA.test(v)) throw fieldError(site, field, '0x hex data (an even number of hex digits)', v);
  return v.toLowerCase();
}

export function readArray(obj: Record<string, unknown>, field: string, site: FieldSite): unknown[] {
  const v = obj[field];
  if (!Array.isArray(v)) throw fieldError(site, field, 'an array', v);
  return v;
}

export const isHash = (v: unknown): v is string => typeof v === 'string' && HASH.test(v);


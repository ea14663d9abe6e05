/**
 * Transaction receipts in the `eth_getTransactionReceipt` JSON shape (also what `eth_getBlockReceipts`
 * returns as an array): status, gas used, effective gas price, created contract and logs.
 *
 * Reference: Ethereum execution-apis `ReceiptInfo`. `status` exists since Byzantium (EIP-658); older
 * receipts carry a state `root` instead, so their status stays 'unknown'. `effectiveGasPrice` exists
 * since London (EIP-1559); before it the transaction's `gasPrice` was the price paid.
 *
 * Receipts are indexed by lower-case transaction hash and validated lazily, when the block that holds the
 * transaction is decoded, so that an error names the block and the transaction.
 */
import { readFile } from 'node:fs/promises';
import { AriadneError, type ErrorContext, invalidInput, preview } from '../../errors.js';
import {
  type FieldSite,
  fieldError,
  isHash,
  isRecord,
  readAddressText,
  readArray,
  readData,
  readHash,
  readOptionalQuantity,
  readQuantity,
  readSmallQuantity,
} from './evm-fields.js';

export interface EvmLog {
  /** Emitting contract, as written (checksummed later by `addressId`). */
  address: string;
  /** Lower-case 32-byte topics. */
  topics: string[];
  /** Lower-case hex data. */
  data: string;
  /** Position of the log in the block (not in the transaction). */
  logIndex: number;
  /** True when a client reports the log as removed by a reorganisation. */
  removed: boolean;
}

export interface EvmReceipt {
  transactionHash: string;
  blockHash: string | null;
  /** 'ok' for status 0x1, 'failed' for 0x0, 'unknown' for pre-Byzantium receipts (no status field). */
  status: 'ok' | 'failed' | 'unknown';
  gasUsed: bigint;
  /** Wei per gas actually paid; null when the receipt predates London and omits it. */
  effectiveGasPrice: bigint | null;
  contractAddress: string | null;
  logs: EvmLog[];
}

/** Receipts keyed by transaction hash (any case), or a plain list of receipts. */
export type EvmReceiptsInput = ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>> | readonly unknown[];

/** Validates one receipt. `expectedHash` (lower case) is the transaction it was looked up for. */
export function parseEvmReceipt(raw: unknown, expectedHash: string, context: ErrorContext = {}): EvmReceipt {
  const site: FieldSite = { what: `receipt of tx ${expectedHash}`, context: { ...context, tx: expectedHash } };
  if (!isRecord(raw)) {
    throw invalidInput(`receipt of tx ${expectedHash}: expected an eth_getTransactionReceipt object, got ${preview(raw)}`, site.context);
  }
  if (raw.transactionHash !== undefined) {
    const hash = readHash(raw, 'transactionHash', site);
    if (hash !== expectedHash) throw fieldError(site, 'transactionHash', expectedHash, raw.transactionHash);
  }
  const blockHash = raw.blockHash === undefined || raw.blockHash === null ? null : readHash(raw, 'blockHash', site);

  let status: EvmReceipt['status'] = 'unknown';
  if (raw.status !== undefined && raw.status !== null) {
    const s = readQuantity(raw, 'status', site);
    if (s === 1n) status = 'ok';
    else if (s === 0n) status = 'failed';
    else throw fieldError(site, 'status', '"0x1" or "0x0"', raw.status);
  }

  const gasUsed = readQuantity(raw, 'gasUsed', site);
  const effectiveGasPrice = readOptionalQuantity(raw, 'effectiveGasPrice', site);
  const contractAddress = raw.contractAddress === undefined || raw.contractAddress === null ? null : readAddressText(raw, 'contractAddress', site);

  const logs: EvmLog[] = [];
  const rawLogs = raw.logs === undefined || raw.logs === null ? [] : readArray(raw, 'logs', site);
  rawLogs.forEach((rawLog, i) => {
    const logSite: FieldSite = { what: `log ${i} of tx ${expectedHash}`, context: site.context };
    if (!isRecord(rawLog)) throw invalidInput(`log ${i} of tx ${expectedHash}: expected a log object, got ${preview(rawLog)}`, site.context);
    if (rawLog.transactionHash !== undefined && rawLog.transactionHash !== null) {
      const h = readHash(rawLog, 'transactionHash', logSite);
      if (h !== expectedHash) throw fieldError(logSite, 'transactionHash', expectedHash, rawLog.transactionHash);
    }
    const topics = readArray(rawLog, 'topics', logSite).map((t, k) => {
      if (!isHash(t)) throw fieldError(logSite, `topics[${k}]`, 'a 32-byte 0x topic', t);
      return t.toLowerCase();
    });
    logs.push({
      address: readAddressText(rawLog, 'address', logSite),
      topics,
      data: readData(rawLog, 'data', logSite),
      logIndex: readSmallQuantity(rawLog, 'logIndex', logSite),
      removed: rawLog.removed === true,
    });
  });

  return { transactionHash: expectedHash, blockHash, status, gasUsed, effectiveGasPrice, contractAddress, logs };
}

/**
 * Indexes receipts by lower-case transaction hash without validating them further. A list entry must
 * carry a `transactionHash`; a map key must be a 32-byte hash. Later entries replace earlier ones.
 */
export function indexEvmReceipts(input: EvmReceiptsInput, context: ErrorContext = {}): Map<string, unknown> {
  const index = new Map<string, unknown>();
  const put = (key: unknown, value: unknown, where: string): void => {
    if (!isHash(key)) {
      throw invalidInput(`receipts ${where}: expected a 32-byte 0x transaction hash as key, got ${preview(key)}`, context);
    }
    index.set(key.toLowerCase(), value);
  };
  if (Array.isArray(input)) {
    input.forEach((r, i) => put(isRecord(r) ? r.transactionHash : undefined, r, `[${i}] field "transactionHash"`));
  } else if (input instanceof Map) {
    for (const [k, v] of input) put(k, v, `key ${preview(k)}`);
  } else {
    for (const [k, v] of Object.entries(input)) put(k, v, `key ${preview(k)}`);
  }
  return index;
}

/**
 * Unwraps a JSON-RPC response envelope `{jsonrpc, id, result}`; a bare value passes through. An `error`
 * member or a null result is refused, since it means the node had nothing to return.
 */
export function unwrapJsonRpc(value: unknown, context: ErrorContext = {}): unknown {
  if (!isRecord(value) || !('jsonrpc' in value || 'result' in value || 'error' in value)) return value;
  if (value.error !== undefined && value.error !== null) {
    throw invalidInput(`expected a JSON-RPC result, got the error ${preview(value.error, 200)}`, context);
  }
  if (value.result === undefined || value.result === null) {
    throw invalidInput(`expected a JSON-RPC result, got ${preview(value.result)} (unknown block or transaction?)`, context);
  }
  return value.result;
}

/**
 * Parses text holding one JSON value or JSON-lines (one value per line) into its values.
 * Throws INVALID_INPUT with the line number of the first line that is not JSON.
 */
export function parseJsonOrJsonLines(text: string, context: ErrorContext = {}): unknown[] {
  try {
    return [JSON.parse(text) as unknown];
  } catch (whole) {
    const lines = text.split(/\r?\n/);
    const nonEmpty = lines.filter((l) => l.trim() !== '');
    if (nonEmpty.length <= 1) {
      throw invalidInput(`expected JSON or JSON-lines, got invalid JSON: ${(whole as Error).message}`, context);
    }
    const values: unknown[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        values.push(JSON.parse(line) as unknown);
      } catch (err) {
        throw invalidInput(`expected JSON or JSON-lines; line ${i + 1} is not JSON: ${(err as Error).message}`, { ...context, line: i + 1 });
      }
    });
    return values;
  }
}

/**
 * Reads a receipts file: one receipt, an array of receipts, JSON-RPC envelopes of either, or JSON-lines
 * of any of these. Returns receipts by lower-case transaction hash (validated when used).
 */
export async function readEvmReceiptsFile(path: string): Promise<Map<string, unknown>> {
  const context: ErrorContext = { file: path };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw invalidInput(`cannot read receipts file: ${(err as Error).message}`, context);
  }
  const receipts: unknown[] = [];
  for (const value of parseJsonOrJsonLines(text, context)) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const inner = unwrapJsonRpc(item, context);
      if (Array.isArray(inner)) receipts.push(...inner.map((r) => unwrapJsonRpc(r, context)));
      else receipts.push(inner);
    }
  }
  try {
    return indexEvmReceipts(receipts, context);
  } catch (err) {
    throw err instanceof AriadneError ? err.withContext(context) : err;
  }
}

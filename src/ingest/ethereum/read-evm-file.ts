/**
 * Reads EVM blocks from a file: one block, an array of blocks, or JSON-lines (one block, or one array of
 * blocks, per line), each block bare or in a JSON-RPC envelope, as `decodeEvmBlock` accepts them.
 *
 * JSON-lines are streamed line by line, so a file of many blocks is never held in memory at once; any
 * other file is read whole. The format is told by the first lines: if one of the first two non-empty lines
 * is a complete JSON value by itself, the file is JSON-lines.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { AriadneError, type ErrorContext, invalidInput } from '../../errors.js';
import type { Block } from '../../model/transaction.js';
import { type EvmDecodeOptions, decodeEvmBlock } from './decode-evm-block.js';
import { type EvmReceiptsInput, indexEvmReceipts, readEvmReceiptsFile } from './evm-receipts.js';

export interface EvmReadOptions {
  /** EIP-155 chain id for blocks whose transactions state none (default 1). */
  chainId?: number;
  /** Receipts by transaction hash, or a list of receipts. */
  receipts?: EvmReceiptsInput;
  /** A file of `eth_getTransactionReceipt` objects (array, JSON-lines, or envelopes), read once up front. */
  receiptsFile?: string;
}

export type EvmReadResult = { ok: true; block: Block } | { ok: false; error: AriadneError };

/**
 * Yields each block of the file decoded, or the error that stopped that block, so that one bad block
 * does not stop the others. Errors carry `context.file`, and `context.line` (JSON-lines) or
 * `context.item` (index in a JSON array) to find the block again. Blocks come in file order.
 *
 * Throws (on the first `next()`) only when the receipts file cannot be read or `opts.receipts` is not
 * keyed by transaction hashes: that affects every block.
 */
export async function* readEvmFile(path: string, opts: EvmReadOptions = {}): AsyncGenerator<EvmReadResult> {
  const receipts = new Map<string, unknown>();
  if (opts.receipts !== undefined) for (const [k, v] of indexEvmReceipts(opts.receipts)) receipts.set(k, v);
  if (opts.receiptsFile !== undefined) for (const [k, v] of await readEvmReceiptsFile(opts.receiptsFile)) receipts.set(k, v);
  const decodeOpts: EvmDecodeOptions = { file: path, receipts };
  if (opts.chainId !== undefined) decodeOpts.chainId = opts.chainId;

  const decode = (value: unknown, where: ErrorContext): EvmReadResult => {
    try {
      return { ok: true, block: decodeEvmBlock(value, decodeOpts) };
    } catch (err) {
      const error = err instanceof AriadneError ? err.withContext(where) : invalidInput(`cannot decode block: ${String(err)}`, { file: path, ...where });
      return { ok: false, error };
    }
  };

  let jsonLines: boolean;
  try {
    jsonLines = await looksLikeJsonLines(path);
  } catch (err) {
    yield { ok: false, error: invalidInput(`cannot read block file: ${(err as Error).message}`, { file: path }) };
    return;
  }

  if (jsonLines) {
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n += 1;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        yield { ok: false, error: invalidInput(`line ${n} is not JSON: ${(err as Error).message}`, { file: path, line: n }) };
        continue;
      }
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) yield decode(value[i], { line: n, item: i });
      } else {
        yield decode(value, { line: n });
      }
    }
    return;
  }

  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    yield { ok: false, error: invalidInput(`expected a JSON block, an array of blocks or JSON-lines, got invalid JSON: ${(err as Error).message}`, { file: path }) };
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield decode(value[i], { item: i });
  } else {
    yield decode(value, {});
  }
}

/**
 * True when one of the first two non-empty lines parses as JSON on its own (the second is tried so that
 * a JSON-lines file whose first line is damaged still yields its other blocks). A pretty-printed block
 * starts with `{` and `"field": ...,` lines, which never parse alone.
 */
async function looksLikeJsonLines(path: string): Promise<boolean> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let seen = 0;
  try {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      if (isJson(line)) return true;
      seen += 1;
      if (seen === 2) return false;
    }
    return false;
  } finally {
    lines.close();
    stream.destroy();
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

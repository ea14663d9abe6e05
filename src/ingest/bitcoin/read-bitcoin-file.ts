/**
 * Reads Bitcoin blocks from a file, telling the format from the content (not the extension):
 *   - bzip2 (`BZh`): decompressed in memory with seek-bzip (CRC-checked), then read as one of the below;
 *   - blk*.dat framing: repeated [magic f9beb4d9][4-byte little-endian length][block], as Bitcoin Core
 *     stores blocks; zero padding (preallocated space) between or after frames is skipped;
 *   - getblock JSON (first non-blank character `{` or `[`): one block, a JSON-RPC envelope, or an array;
 *   - hex text of one serialized block (whitespace and newlines ignored);
 *   - otherwise, one serialized block in binary.
 *
 * Uncompressed framed files are streamed frame by frame (one block in memory at a time); bz2, JSON, hex and
 * single raw blocks are read whole. A bad frame or block is yielded as an error item naming the file, the
 * block (hash when the header is readable, else `#index`), `index` (0-based position among the items of the
 * file) and `offset` (byte offset of its frame in the, decompressed, data), and reading goes on: after a bad
 * magic or length the reader resynchronises on the next magic, as Bitcoin Core's `LoadExternalBlockFile`
 * does. A file that cannot be opened, decompressed or told apart throws INVALID_INPUT instead.
 *
 * Heights: parent height + 1 from the blocks read before in the same file, then from `heightOf`
 * (may be async, e.g. the store), else BIP34; see block-height.ts.
 */
import { open, type FileHandle } from 'node:fs/promises';
import bunzip from 'seek-bzip';
import { AriadneError, invalidInput, type ErrorContext } from '../../errors.js';
import type { Block } from '../../model/transaction.js';
import { resolveHeight } from './block-height.js';
import { decodeGetblockJson } from './decode-getblock-json.js';
import { HEADER_SIZE, MAX_BLOCK_SIZE, decodeRawBlock, hexToBytes, readBlockHeader } from './decode-raw-block.js';
import type { PrevoutLookup } from './prevouts.js';

export type BitcoinFileItem =
  /** First item, when the number of blocks is known cheaply (for a progress bar). */
  | { total: number }
  | { ok: true; block: Block; index: number }
  | { ok: false; error: AriadneError; index: number };

export interface ReadBitcoinFileOptions {
  /** Height of a block by hash, or null/undefined when unknown; may return a promise (a store lookup). */
  heightOf?: (blockHash: string) => number | null | undefined | Promise<number | null | undefined>;
  /** Values and scripts of spent outputs. */
  prevouts?: PrevoutLookup;
  /** Check each header's proof of work (default true). */
  checkProofOfWork?: boolean;
}

const MAINNET_MAGIC = 0xd9b4bef9; // bytes f9 be b4 d9 read little-endian
const OTHER_NETWORKS: Record<string, string> = {
  '0b110907': 'testnet3',
  '1c163f28': 'testnet4',
  fabfb5da: 'regtest',
  '0a03cf40': 'signet',
};
const FRAME_HEADER = 8;
const SCAN_CHUNK = 1 << 16;

/**
 * Yields `{ total }` (when known) and then one item per block or bad frame, in file order. Each block is
 * decoded fully before it is yielded. See the file banner for formats and error reporting.
 */
export async function* readBitcoinFile(path: string, opts: ReadBitcoinFileOptions = {}): AsyncGenerator<BitcoinFileItem> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw invalidInput(`cannot open bitcoin block file: ${(err as Error).message}`, { file: path });
  }
  try {
    const size = (await fh.stat()).size;
    if (size === 0) throw invalidInput('bitcoin block file is empty', { file: path });
    const source = fileSource(fh, size);
    const head = await source.read(0, 4);
    if (isBzip2(head)) {
      const data = decompress(await fh.readFile(), path);
      yield* readBytes(memorySource(data), path, opts);
    } else if (readU32(head) === MAINNET_MAGIC) {
      yield* readFramed(source, path, opts);
    } else {
      yield* readBytes(memorySource(new Uint8Array(await fh.readFile())), path, opts);
    }
  } finally {
    await fh.close();
  }
}

/** Counts the frames of a framed file by walking their headers (no decoding); stops at the first bad frame. */
export async function countFramedBlocks(path: string): Promise<number> {
  const fh = await open(path, 'r');
  try {
    return await countFrames(fileSource(fh, (await fh.stat()).size));
  } finally {
    await fh.close();
  }
}

interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes at `offset` (fewer at the end of the data). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

function memorySource(data: Uint8Array): ByteSource {
  return { size: data.length, read: async (offset, length) => data.subarray(offset, Math.min(offset + length, data.length)) };
}

function fileSource(fh: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const want = Math.max(0, Math.min(length, size - offset));
      const buffer = new Uint8Array(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await fh.read(buffer, got, want - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buffer.subarray(0, got);
    },
  };
}

function isBzip2(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68 && head[3]! >= 0x31 && head[3]! <= 0x39;
}

function decompress(compressed: Uint8Array, path: string): Uint8Array {
  try {
    return new Uint8Array(bunzip.decode(compressed, undefined, true));
  } catch (err) {
    throw invalidInput(`cannot decompress bzip2 data (corrupt or truncated): ${(err as Error).message}`, { file: path });
  }
}

const readU32 = (bytes: Uint8Array, at = 0): number =>
  bytes.length < at + 4 ? -1 : (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) + bytes[at + 3]! * 0x1000000;

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** In-memory data of unknown format (after decompression, or a non-framed file). */
async function* readBytes(source: ByteSource, path: string, opts: ReadBitcoinFileOptions): AsyncGenerator<BitcoinFileItem> {
  const data = await source.read(0, source.size);
  const magic = hexOf(data.subarray(0, 4));
  if (readU32(data) === MAINNET_MAGIC) {
    yield* readFramed(source, path, opts);
    return;
  }
  if (OTHER_NETWORKS[magic]) {
    throw invalidInput(`framed ${OTHER_NETWORKS[magic]} blocks (magic ${magic}): only Bitcoin mainnet (magic f9beb4d9) is supported`, { file: path });
  }
  const firstChar = firstNonBlank(data);
  if (firstChar === '{' || firstChar === '[') {
    yield* readJson(data, path, opts);
    return;
  }
  const heights = new Map<string, number>();
  if (firstChar !== undefined && /^[0-9a-fA-F]$/.test(firstChar) && isHexText(data)) {
    const text = Buffer.from(data).toString('latin1');
    yield { total: 1 };
    let bytes: Uint8Array;
    try {
      bytes = hexToBytes(text, { file: path });
    } catch (err) {
      yield { ok: false, error: (err as AriadneError).withContext({ index: 0 }), index: 0 };
      return;
    }
    yield await decodeItem(bytes, 0, undefined, path, opts, heights);
    return;
  }
  yield { total: 1 };
  yield await decodeItem(data, 0, undefined, path, opts, heights);
}

function firstNonBlank(data: Uint8Array): string | undefined {
  for (let i = 0; i < data.length && i < 4096; i++) {
    const c = data[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return String.fromCharCode(c);
  }
  return undefined;
}

function isHexText(data: Uint8Array): boolean {
  for (const c of data) {
    const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    if (!hex && c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

async function* readJson(data: Uint8Array, path: string, opts: ReadBitcoinFileOptions): AsyncGenerator<BitcoinFileItem> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch (err) {
    throw invalidInput(`invalid JSON: ${(err as Error).message}`, { file: path });
  }
  const blocks = Array.isArray(parsed) ? parsed : [parsed];
  yield { total: blocks.length };
  const decodeOpts = { file: path, ...(opts.prevouts ? { prevouts: opts.prevouts } : {}), ...(opts.checkProofOfWork === false ? { checkProofOfWork: false } : {}) };
  for (const [index, value] of blocks.entries()) {
    try {
      yield { ok: true, block: decodeGetblockJson(value, decodeOpts), index };
    } catch (err) {
      yield { ok: false, error: toItemError(err, { file: path, index }, `#${index}`), index };
    }
  }
}

/** blk*.dat framing, from a file (streamed) or from memory. */
async function* readFramed(source: ByteSource, path: string, opts: ReadBitcoinFileOptions): AsyncGenerator<BitcoinFileItem> {
  yield { total: await countFrames(source) };
  const heights = new Map<string, number>();
  let offset = 0;
  let index = 0;
  const fail = (message: string, at: number): BitcoinFileItem => {
    const item: BitcoinFileItem = {
      ok: false,
      error: invalidInput(`block #${index} (frame at byte ${at}): ${message}`, { file: path, block: `#${index}`, index, offset: at }),
      index,
    };
    index++;
    return item;
  };
  while (offset < source.size) {
    const head = await source.read(offset, FRAME_HEADER);
    if (isZero(head.subarray(0, 4))) {
      // Preallocated blk files end in zeros; skip the padding and expect a frame (or the end) after it.
      const next = await findNonZero(source, offset);
      if (next < 0) break;
      offset = next;
      continue;
    }
    if (head.length < FRAME_HEADER) {
      yield fail(`truncated frame header: ${head.length} bytes left, expected 8 (magic + length)`, offset);
      break;
    }
    const magic = readU32(head);
    if (magic !== MAINNET_MAGIC) {
      const name = OTHER_NETWORKS[hexOf(head.subarray(0, 4))];
      yield fail(`bad magic ${hexOf(head.subarray(0, 4))}: expected f9beb4d9${name ? ` (this is ${name}; only mainnet is supported)` : ''}`, offset);
      const next = await findMagic(source, offset + 1);
      if (next < 0) break;
      offset = next;
      continue;
    }
    const length = readU32(head, 4);
    if (length < HEADER_SIZE || length > MAX_BLOCK_SIZE) {
      yield fail(`bad length ${length}: a block is ${HEADER_SIZE} to ${MAX_BLOCK_SIZE} bytes`, offset);
      const next = await findMagic(source, offset + 4);
      if (next < 0) break;
      offset = next;
      continue;
    }
    const available = source.size - offset - FRAME_HEADER;
    if (length > available) {
      yield fail(`truncated block: the frame declares ${length} bytes but only ${available} remain in the file`, offset);
      break;
    }
    const bytes = await source.read(offset + FRAME_HEADER, length);
    yield await decodeItem(bytes, index, offset, path, opts, heights);
    index++;
    offset += FRAME_HEADER + length;
  }
}

/** Decodes one block; on failure still records its height when the header links, so later blocks resolve. */
async function decodeItem(
  bytes: Uint8Array,
  index: number,
  offset: number | undefined,
  path: string,
  opts: ReadBitcoinFileOptions,
  heights: Map<string, number>,
): Promise<BitcoinFileItem> {
  const where: ErrorContext = { file: path, index, ...(offset === undefined ? {} : { offset }) };
  const label = `block #${index}${offset === undefined ? '' : ` (frame at byte ${offset})`}`;
  let header: ReturnType<typeof readBlockHeader> | undefined;
  try {
    header = readBlockHeader(bytes);
    if (!heights.has(header.prevHash) && opts.heightOf) {
      const parent = await opts.heightOf(header.prevHash);
      if (parent !== null && parent !== undefined) heights.set(header.prevHash, parent);
    }
    const block = decodeRawBlock(bytes, {
      file: path,
      heightOf: (hash) => heights.get(hash),
      ...(opts.prevouts ? { prevouts: opts.prevouts } : {}),
      ...(opts.checkProofOfWork === false ? { checkProofOfWork: false } : {}),
    });
    heights.set(block.hash, block.height);
    return { ok: true, block, index };
  } catch (err) {
    if (header) {
      try {
        heights.set(header.hash, resolveHeight({ prevHash: header.prevHash, version: header.version, coinbaseScript: undefined }, (h) => heights.get(h), {}));
      } catch {
        // height unknown: later blocks fall back to heightOf / BIP34
      }
    }
    const error = toItemError(err, where, header?.hash ?? `#${index}`);
    return { ok: false, error: invalidInput(`${label}: ${error.message}`, error.context), index };
  }
}

function toItemError(err: unknown, where: ErrorContext, block: string): AriadneError {
  if (err instanceof AriadneError) return err.withContext({ block, ...err.context, ...where });
  return invalidInput(`cannot decode block: ${err instanceof Error ? err.message : String(err)}`, { ...where, block });
}

async function countFrames(source: ByteSource): Promise<number> {
  let offset = 0;
  let count = 0;
  while (offset < source.size) {
    const head = await source.read(offset, FRAME_HEADER);
    if (isZero(head.subarray(0, 4))) {
      const next = await findNonZero(source, offset);
      if (next < 0) break;
      offset = next;
      continue;
    }
    if (head.length < FRAME_HEADER || readU32(head) !== MAINNET_MAGIC) break;
    const length = readU32(head, 4);
    if (length < HEADER_SIZE || length > MAX_BLOCK_SIZE || offset + FRAME_HEADER + length > source.size) break;
    count++;
    offset += FRAME_HEADER + length;
  }
  return count;
}

function isZero(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes.every((b) => b === 0);
}

/** Offset of the first non-zero byte at or after `from`, or -1. */
async function findNonZero(source: ByteSource, from: number): Promise<number> {
  for (let at = from; at < source.size; at += SCAN_CHUNK) {
    const chunk = await source.read(at, SCAN_CHUNK);
    const i = chunk.findIndex((b) => b !== 0);
    if (i >= 0) return at + i;
  }
  return -1;
}

/** Offset of the next mainnet magic at or after `from`, or -1. */
async function findMagic(source: ByteSource, from: number): Promise<number> {
  const magic = Buffer.from('f9beb4d9', 'hex');
  for (let at = from; at < source.size; at += SCAN_CHUNK) {
    const chunk = Buffer.from(await source.read(at, SCAN_CHUNK + 3));
    const i = chunk.indexOf(magic);
    if (i >= 0) return at + i;
  }
  return -1;
}

/**
 * TEST-ONLY reference code for the bitcoin adapter's tests: a minimal block parser written from the
 * protocol description (varints, segwit marker) with node:crypto hashing, a base58check encoder, and the
 * paths of the shared data. It shares no code with the adapter, so that the tests compare two
 * implementations rather than the adapter with itself. Not imported by any non-test module.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)));
export const BITCOIN_DATA = path.resolve(REPO_ROOT, '../shared/data/bitcoin');
export const BLOCK_413567 = path.join(BITCOIN_DATA, 'block413567.raw');
export const PREVOUTS_413567 = path.join(BITCOIN_DATA, 'block413567-prevouts.csv');
export const BLOCKS_1_255 = path.join(BITCOIN_DATA, 'blocks1-255.framed.bz2');
export const GENESIS = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';

export const sha256d = (b: Uint8Array): Buffer => createHash('sha256').update(createHash('sha256').update(b).digest()).digest();
export const ripemd160sha256 = (b: Uint8Array): Buffer => createHash('ripemd160').update(createHash('sha256').update(b).digest()).digest();
export const rev = (b: Uint8Array): string => Buffer.from(b).reverse().toString('hex');

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export function base58check(version: number, payload: Uint8Array): string {
  const body = Buffer.concat([Buffer.from([version]), payload]);
  const full = Buffer.concat([body, sha256d(body).subarray(0, 4)]);
  let n = BigInt(`0x${full.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)]! + out;
    n /= 58n;
  }
  for (const byte of full) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

export interface RefInput {
  prevHash: Buffer; // internal byte order, as serialized
  vout: number;
  scriptSig: Buffer;
  sequence: number;
  witness: Buffer[];
}
export interface RefOutput {
  value: bigint;
  script: Buffer;
}
export interface RefTx {
  version: number;
  inputs: RefInput[];
  outputs: RefOutput[];
  locktime: number;
  txid: string;
}
export interface RefBlock {
  version: number;
  prevHash: string;
  merkleRoot: string;
  time: number;
  bits: number;
  nonce: number;
  hash: string;
  txs: RefTx[];
}

/** Parses a serialized block from the wire format description, nothing shared with the adapter. */
export function parseBlockRef(buf: Buffer): RefBlock {
  let p = 0;
  const u8 = () => buf.readUInt8(p++);
  const u32 = () => {
    const v = buf.readUInt32LE(p);
    p += 4;
    return v;
  };
  const varint = (): number => {
    const first = u8();
    if (first < 0xfd) return first;
    if (first === 0xfd) {
      const v = buf.readUInt16LE(p);
      p += 2;
      return v;
    }
    if (first === 0xfe) return u32();
    const v = Number(buf.readBigUInt64LE(p));
    p += 8;
    return v;
  };
  const bytes = (n: number) => {
    if (p + n > buf.length) throw new Error('reference parser: out of data');
    const b = buf.subarray(p, p + n);
    p += n;
    return b;
  };
  const header = buf.subarray(0, 80);
  const block: RefBlock = {
    version: buf.readInt32LE(0),
    prevHash: rev(buf.subarray(4, 36)),
    merkleRoot: rev(buf.subarray(36, 68)),
    time: buf.readUInt32LE(68),
    bits: buf.readUInt32LE(72),
    nonce: buf.readUInt32LE(76),
    hash: rev(sha256d(header)),
    txs: [],
  };
  p = 80;
  const count = varint();
  for (let t = 0; t < count; t++) {
    const start = p;
    const version = u32();
    let segwit = false;
    if (buf[p] === 0 && buf[p + 1] === 1) {
      segwit = true;
      p += 2;
    }
    const afterMarker = p;
    const inputs: RefInput[] = [];
    const nIn = varint();
    for (let i = 0; i < nIn; i++) {
      const prevHash = bytes(32);
      const vout = u32();
      const scriptSig = bytes(varint());
      inputs.push({ prevHash, vout, scriptSig, sequence: u32(), witness: [] });
    }
    const outputs: RefOutput[] = [];
    const nOut = varint();
    for (let o = 0; o < nOut; o++) {
      const value = buf.readBigUInt64LE(p);
      p += 8;
      outputs.push({ value, script: bytes(varint()) });
    }
    const beforeWitness = p;
    if (segwit) for (const input of inputs) for (let k = varint(); k > 0; k--) input.witness.push(bytes(varint()));
    const locktime = u32();
    const legacy = Buffer.concat([buf.subarray(start, start + 4), buf.subarray(afterMarker, beforeWitness), buf.subarray(p - 4, p)]);
    block.txs.push({ version, inputs, outputs, locktime, txid: rev(sha256d(legacy)) });
  }
  if (p !== buf.length) throw new Error(`reference parser: ${buf.length - p} trailing bytes`);
  return block;
}

/** Splits blk*.dat framing: [f9beb4d9][u32 LE length][block]... (no padding handling). */
export function splitFramesRef(buf: Buffer): Buffer[] {
  const blocks: Buffer[] = [];
  let p = 0;
  while (p < buf.length) {
    if (buf.readUInt32BE(p) !== 0xf9beb4d9) throw new Error(`reference framing: bad magic at ${p}`);
    const len = buf.readUInt32LE(p + 4);
    blocks.push(buf.subarray(p + 8, p + 8 + len));
    p += 8 + len;
  }
  return blocks;
}

export function frame(block: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(0xf9beb4d9, 0);
  head.writeUInt32LE(block.length, 4);
  return Buffer.concat([head, block]);
}

export interface RefPrevout {
  value: bigint;
  script: Buffer;
}

/** The prevouts CSV read with plain string splitting, keyed `txid:vout`. */
export function readPrevoutsRef(): Map<string, RefPrevout> {
  const lines = readFileSync(PREVOUTS_413567, 'utf8').trim().split('\n');
  const map = new Map<string, RefPrevout>();
  for (const line of lines.slice(1)) {
    const [txid, vout, , , value, script] = line.trim().split(',');
    map.set(`${txid}:${vout}`, { value: BigInt(value!), script: Buffer.from(script!, 'hex') });
  }
  return map;
}

/** Whole-BTC decimal text of a satoshi amount with exactly 8 decimals, as Bitcoin Core prints it. */
export function satsToBtcText(sats: bigint): string {
  return `${sats / 100_000_000n}.${(sats % 100_000_000n).toString().padStart(8, '0')}`;
}

/**
 * Decodes one serialized Bitcoin block (the consensus wire format, as in blk*.dat files and `getblock <hash> 0`)
 * into the model's `Block`, with bitcoinjs-lib doing the byte parsing.
 *
 * A block is returned only when all of it decoded and checked out; otherwise INVALID_INPUT is thrown naming
 * the file, the block hash (from the header, when 80 bytes are there) and what was wrong. Checks:
 * - the bytes hold exactly the header, the transaction count and that many transactions (no short read, no
 *   trailing bytes);
 * - the merkle root in the header matches the transactions, and is not the CVE-2012-2459 mutated form;
 * - the witness commitment in the coinbase matches the witness data (BIP141), and witness data never
 *   appears without one;
 * - the header hash meets the target its `bits` state, and that target is within mainnet's proof-of-work
 *   limit (catches a corrupted header; `checkProofOfWork: false` turns this off for hand-built test blocks).
 *
 * Height: see block-height.ts (parent height + 1, or BIP34). Time: the header timestamp, unix seconds.
 * Reference: Bitcoin Core `src/primitives/block.h`, `src/consensus/merkle.cpp`, `src/validation.cpp`
 * (CheckBlock, CheckWitnessMalleation), `src/pow.cpp` (CheckProofOfWork).
 */
import { Block as BtcBlock, type Transaction as BtcTransaction } from 'bitcoinjs-lib';
import { AriadneError, invalidInput, type ErrorContext } from '../../errors.js';
import type { Block } from '../../model/transaction.js';
import { resolveHeight, type HeightOf } from './block-height.js';
import { convertTransaction } from './convert-transaction.js';
import type { PrevoutLookup } from './prevouts.js';
import { equalBytes, hash256, toReversedHex } from './script-patterns.js';

export interface DecodeBlockOptions {
  /** Height of a block by hash, for blocks without a BIP34 height (see block-height.ts). Synchronous. */
  heightOf?: HeightOf;
  /** Values and scripts of the outputs the block spends. */
  prevouts?: PrevoutLookup;
  /** File name for error messages. */
  file?: string;
  /** Check the header's proof of work (default true). Only hand-built test blocks need false. */
  checkProofOfWork?: boolean;
}

export const HEADER_SIZE = 80;
/** Consensus limit on a serialized block (MAX_BLOCK_SERIALIZED_SIZE). */
export const MAX_BLOCK_SIZE = 4_000_000;
// Mainnet powLimit: 00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff.
const POW_LIMIT = (1n << 224n) - 1n;

/**
 * Decodes a serialized block (bytes, or its hex text; whitespace in the text is ignored).
 * Deterministic; the whole block is decoded before anything is returned.
 */
export function decodeRawBlock(input: Uint8Array | string, opts: DecodeBlockOptions = {}): Block {
  const base: ErrorContext = opts.file === undefined ? {} : { file: opts.file };
  const bytes = typeof input === 'string' ? hexToBytes(input, base) : input;
  if (bytes.length < HEADER_SIZE) {
    throw invalidInput(`truncated block: got ${bytes.length} bytes, a block header alone is ${HEADER_SIZE}`, base);
  }
  if (bytes.length > MAX_BLOCK_SIZE) {
    throw invalidInput(`block of ${bytes.length} bytes is larger than the ${MAX_BLOCK_SIZE}-byte consensus limit`, base);
  }
  const hash = toReversedHex(hash256(bytes.subarray(0, HEADER_SIZE)));
  const where: ErrorContext = { ...base, block: hash };

  let block: BtcBlock;
  try {
    block = BtcBlock.fromBuffer(bytes);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw invalidInput(`cannot decode block (${bytes.length} bytes; truncated or corrupt): ${reason}`, where);
  }
  const txs = block.transactions ?? [];
  if (txs.length === 0) throw invalidInput('block has no transactions (header only, or a zero transaction count)', where);
  const decodedLength = block.byteLength();
  if (decodedLength !== bytes.length) {
    throw invalidInput(`block has ${bytes.length - decodedLength} bytes after its ${txs.length} transactions (${decodedLength} bytes expected): corrupt or concatenated data`, where);
  }

  const txids = txs.map((tx) => hash256(serializeWithoutWitness(tx)));
  const root = merkleRoot(txids);
  if (!equalBytes(root.hash, block.merkleRoot!)) {
    throw invalidInput(
      `merkle root mismatch: header says ${toReversedHex(block.merkleRoot!)}, the transactions give ${toReversedHex(root.hash)} (corrupt transaction data)`,
      where,
    );
  }
  if (root.mutated) throw invalidInput('merkle tree is mutated (duplicated transactions, CVE-2012-2459)', where);
  checkWitness(block, where);
  if (opts.checkProofOfWork !== false) checkProofOfWork(hash, block.bits, where);

  const height = resolveHeight(
    { prevHash: toReversedHex(block.prevHash!), version: block.version, coinbaseScript: txs[0]!.ins[0]?.script },
    opts.heightOf,
    where,
  );
  const time = block.timestamp;
  const transactions = txs.map((tx, position) =>
    convertTransaction(tx, toReversedHex(txids[position]!), { blockHash: hash, height, time, position, where, ...(opts.prevouts ? { prevouts: opts.prevouts } : {}) }),
  );
  return { chain: 'btc', height, hash, time, transactions };
}

/** Header fields of a serialized block, without decoding its transactions. */
export function readBlockHeader(bytes: Uint8Array): { hash: string; prevHash: string; version: number; time: number } {
  if (bytes.length < HEADER_SIZE) throw invalidInput(`truncated block: got ${bytes.length} bytes, a block header alone is ${HEADER_SIZE}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  return {
    hash: toReversedHex(hash256(bytes.subarray(0, HEADER_SIZE))),
    prevHash: toReversedHex(bytes.subarray(4, 36)),
    version: view.getInt32(0, true),
    time: view.getUint32(68, true),
  };
}

/**
 * BIP141: when any transaction has witness data, the coinbase must commit to the witness merkle root
 * (wtxids, the coinbase's taken as zero) hashed with the coinbase's 32-byte witness reserved value.
 */
function checkWitness(block: BtcBlock, where: ErrorContext): void {
  const txs = block.transactions!;
  const commitment = block.witnessCommit;
  if (commitment === undefined) {
    if (txs.some((tx) => tx.hasWitnesses())) throw invalidInput('block carries witness data but its coinbase has no witness commitment', where);
    return;
  }
  const reserved = txs[0]!.ins[0]!.witness;
  if (reserved.length !== 1 || reserved[0]!.length !== 32) {
    throw invalidInput('witness commitment present but the coinbase witness is not a single 32-byte reserved value', where);
  }
  const wtxids = txs.map((tx, i) => (i === 0 ? new Uint8Array(32) : hash256(tx.toBuffer())));
  const expected = hash256(Buffer.concat([merkleRoot(wtxids).hash, reserved[0]!]));
  if (!equalBytes(expected, commitment)) {
    throw invalidInput('witness commitment mismatch: the witness data does not match the coinbase commitment (corrupt witness data)', where);
  }
}

/** The legacy serialization (no marker, flag or witnesses) that txids hash. */
export function serializeWithoutWitness(tx: BtcTransaction): Uint8Array {
  if (!tx.hasWitnesses()) return tx.toBuffer();
  const stripped = tx.clone();
  stripped.stripWitnesses();
  return stripped.toBuffer();
}

/**
 * Bitcoin's merkle root over internal-order hashes (odd levels repeat their last hash), with Bitcoin Core's
 * mutation flag: two equal adjacent hashes at any level (CVE-2012-2459, `ComputeMerkleRoot`).
 */
export function merkleRoot(hashes: readonly Uint8Array[]): { hash: Uint8Array; mutated: boolean } {
  if (hashes.length === 0) throw invalidInput('cannot compute a merkle root of zero transactions');
  let level = [...hashes];
  let mutated = false;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1];
      if (right !== undefined && equalBytes(left, right)) mutated = true;
      next.push(hash256(Buffer.concat([left, right ?? left])));
    }
    level = next;
  }
  return { hash: level[0]!, mutated };
}

/** Target of a compact `bits` value; null when negative or overflowing (Bitcoin Core `arith_uint256::SetCompact`). */
function targetOf(bits: number): bigint | null {
  const exponent = bits >>> 24;
  const mantissa = bits & 0x007fffff;
  if (mantissa !== 0 && bits & 0x00800000) return null;
  const target = exponent <= 3 ? BigInt(mantissa >>> (8 * (3 - exponent))) : BigInt(mantissa) << BigInt(8 * (exponent - 3));
  if (target >> 256n !== 0n) return null;
  return target;
}

export function checkProofOfWork(hash: string, bits: number, where: ErrorContext): void {
  const target = targetOf(bits);
  if (target === null || target === 0n || target > POW_LIMIT) {
    throw invalidInput(`header bits 0x${bits.toString(16).padStart(8, '0')} do not state a valid mainnet target (corrupt header, or not a mainnet block)`, where);
  }
  if (BigInt(`0x${hash}`) > target) {
    throw invalidInput(`header hash does not meet its proof-of-work target 0x${bits.toString(16).padStart(8, '0')} (corrupt header, or not a mainnet block)`, where);
  }
}

/** Hex text -> bytes; whitespace anywhere is ignored. Throws INVALID_INPUT naming the first bad character. */
export function hexToBytes(text: string, where: ErrorContext = {}): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const bad = /[^0-9a-fA-F]/.exec(clean);
  if (bad) throw invalidInput(`expected hex text, got ${JSON.stringify(bad[0])} at hex digit ${bad.index}`, where);
  if (clean.length % 2 !== 0) throw invalidInput(`expected an even number of hex digits, got ${clean.length}`, where);
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

/** Rethrows anything that is not an AriadneError as INVALID_INPUT with the given context. */
export function asInvalidInput(err: unknown, what: string, where: ErrorContext): AriadneError {
  if (err instanceof AriadneError) return err.withContext({ ...where, ...err.context });
  const reason = err instanceof Error ? err.message : String(err);
  return invalidInput(`${what}: ${reason}`, where);
}

/**
 * Small Bitcoin script helpers shared by the output classifier and the input-address derivation: a script
 * tokenizer that keeps data pushes as bytes (bitcoinjs' `decompile` turns one-byte pushes into opcodes,
 * which loses the pushed bytes of OP_RETURN payloads), and the public-key and signature shape checks.
 *
 * Reference: Bitcoin Core `src/script/script.cpp` (`GetScriptOp`, `IsPushOnly`) and `src/pubkey.h`
 * (`CPubKey::GetLen`: prefix 02/03 -> 33 bytes, 04/06/07 -> 65 bytes).
 */
import { createHash } from 'node:crypto';
import { crypto as btcCrypto, script as btcScript } from 'bitcoinjs-lib';

export const OP_0 = 0x00;
export const OP_PUSHDATA1 = 0x4c;
export const OP_PUSHDATA2 = 0x4d;
export const OP_PUSHDATA4 = 0x4e;
export const OP_1NEGATE = 0x4f;
export const OP_RESERVED = 0x50;
export const OP_1 = 0x51;
export const OP_16 = 0x60;
export const OP_RETURN = 0x6a;
export const OP_DUP = 0x76;
export const OP_EQUAL = 0x87;
export const OP_EQUALVERIFY = 0x88;
export const OP_HASH160 = 0xa9;
export const OP_CHECKSIG = 0xac;
export const OP_CHECKSIGVERIFY = 0xad;
export const OP_CHECKMULTISIG = 0xae;
export const OP_CHECKMULTISIGVERIFY = 0xaf;

/** One script operation: the opcode byte, and for pushes (opcodes 0x00-0x4e) the pushed bytes. */
export interface ScriptOp {
  opcode: number;
  data?: Uint8Array;
}

/** Splits a script into operations; null when a push runs past the end of the script. */
export function parseScript(script: Uint8Array): ScriptOp[] | null {
  const ops: ScriptOp[] = [];
  let i = 0;
  while (i < script.length) {
    const opcode = script[i]!;
    i++;
    if (opcode > OP_PUSHDATA4) {
      ops.push({ opcode });
      continue;
    }
    let size: number;
    if (opcode < OP_PUSHDATA1) {
      size = opcode;
    } else if (opcode === OP_PUSHDATA1) {
      if (i + 1 > script.length) return null;
      size = script[i]!;
      i += 1;
    } else if (opcode === OP_PUSHDATA2) {
      if (i + 2 > script.length) return null;
      size = script[i]! | (script[i + 1]! << 8);
      i += 2;
    } else {
      if (i + 4 > script.length) return null;
      size = (script[i]! | (script[i + 1]! << 8) | (script[i + 2]! << 16)) + script[i + 3]! * 0x1000000;
      i += 4;
    }
    if (i + size > script.length) return null;
    ops.push({ opcode, data: script.subarray(i, i + size) });
    i += size;
  }
  return ops;
}

/** Bitcoin Core's `IsPushOnly`: every opcode is a push or a small number (<= OP_16). */
export function isPushOnly(ops: readonly ScriptOp[]): boolean {
  return ops.every((op) => op.opcode <= OP_16);
}

/** The pushed byte strings of a push-only script (`OP_0` pushes an empty string); null otherwise. */
export function pushedData(ops: readonly ScriptOp[]): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  for (const op of ops) {
    if (op.data === undefined) return null;
    out.push(op.data);
  }
  return out;
}

/** `CPubKey::ValidSize`: the first byte announces the length (02/03 compressed, 04/06/07 uncompressed or hybrid). */
export function isPubkeyShape(bytes: Uint8Array): boolean {
  const prefix = bytes[0];
  if (bytes.length === 33) return prefix === 0x02 || prefix === 0x03;
  if (bytes.length === 65) return prefix === 0x04 || prefix === 0x06 || prefix === 0x07;
  return false;
}

// secp256k1: y^2 = x^3 + 7 over the prime field P.
const P = 2n ** 256n - 2n ** 32n - 977n;

/** Jacobi symbol (a/n) for odd n > 0; for a prime n it is the Legendre symbol: 1 iff a is a non-zero square. */
function jacobi(value: bigint, modulus: bigint): number {
  let a = value % modulus;
  let n = modulus;
  let result = 1;
  while (a !== 0n) {
    while ((a & 1n) === 0n) {
      a >>= 1n;
      const r = n & 7n;
      if (r === 3n || r === 5n) result = -result;
    }
    [a, n] = [n, a];
    if ((a & 3n) === 3n && (n & 3n) === 3n) result = -result;
    a %= n;
  }
  return n === 1n ? result : 0;
}

function toBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/**
 * True when the bytes are a public key on secp256k1: right size for their prefix, coordinates below the
 * field prime, and the point on the curve (for a compressed key: x^3 + 7 is a square mod P: its Legendre
 * symbol, computed as a Jacobi symbol, is 1). Used only where a key is inferred from spending data, so that random bytes of the right length
 * are not taken for a key.
 */
export function isPubkey(bytes: Uint8Array): boolean {
  if (!isPubkeyShape(bytes)) return false;
  const x = toBigInt(bytes.subarray(1, 33));
  if (x >= P) return false;
  const rhs = (((x * x) % P) * x + 7n) % P;
  if (bytes.length === 33) return jacobi(rhs, P) === 1;
  const y = toBigInt(bytes.subarray(33, 65));
  if (y >= P) return false;
  // Hybrid keys (06/07) state the parity of y in their prefix as well.
  if (bytes[0] === 0x06 && (y & 1n) !== 0n) return false;
  if (bytes[0] === 0x07 && (y & 1n) !== 1n) return false;
  return (y * y) % P === rhs;
}

/** A compressed public key on the curve (what segwit v0 key hashes commit to). */
export function isCompressedPubkey(bytes: Uint8Array): boolean {
  return bytes.length === 33 && isPubkey(bytes);
}

/** A strict-DER ECDSA signature followed by a defined sighash type (BIP66 + `IsDefinedHashtypeSignature`). */
export function isEcdsaSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 9 && bytes.length <= 73 && btcScript.isCanonicalScriptSignature(bytes);
}

export const hash160 = (bytes: Uint8Array): Uint8Array => btcCrypto.hash160(bytes);
// SHA-256 through node:crypto (native): txids and merkle trees hash the whole block twice over.
export const sha256 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());
export const hash256 = (bytes: Uint8Array): Uint8Array => sha256(sha256(bytes));

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Hex of the bytes in reverse order: how Bitcoin displays hashes (txids, block hashes). */
export function toReversedHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).reverse().toString('hex');
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

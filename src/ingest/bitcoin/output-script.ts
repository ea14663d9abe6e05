/**
 * Classifies a Bitcoin output script (scriptPubKey) into the model's script types and, where the script
 * type has one, its mainnet address.
 *
 * Templates follow Bitcoin Core's `Solver` (src/script/solver.cpp):
 *   p2pkh   OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG        -> base58 version 0x00
 *   p2sh    OP_HASH160 <20> OP_EQUAL                                 -> base58 version 0x05
 *   p2wpkh  OP_0 <20>, p2wsh OP_0 <32>                               -> bech32 (BIP173)
 *   p2tr    OP_1 <32>                                                -> bech32m (BIP350)
 *   p2pk    <33- or 65-byte key> OP_CHECKSIG                         -> the P2PKH address of the key
 *   multisig OP_m <key>... OP_n OP_CHECKMULTISIG                     -> no address; detail { m, n, pubkeys }
 *   nulldata OP_RETURN followed by pushes only                       -> no address; detail { data }
 *   witness_unknown: any other witness program (v1 not 32 bytes, v2-v16) -> no address; detail { version, program }
 *   nonstandard: everything else, including v0 programs of other lengths -> no address; detail { script }
 *
 * P2PK outputs are given the P2PKH address of their key, as block explorers do, so that the coins of a key
 * paid both ways meet at one address; `scriptType` stays 'p2pk' so that this is never hidden.
 */
import { address as btcAddress } from 'bitcoinjs-lib';
import { addressId, type AddressId } from '../../model/address.js';
import type { ScriptType } from '../../model/transaction.js';
import {
  OP_0,
  OP_1,
  OP_16,
  OP_CHECKMULTISIG,
  OP_CHECKSIG,
  OP_DUP,
  OP_EQUAL,
  OP_EQUALVERIFY,
  OP_HASH160,
  OP_RETURN,
  hash160,
  isPubkeyShape,
  isPushOnly,
  parseScript,
  toHex,
  type ScriptOp,
} from './script-patterns.js';

export interface OutputScriptInfo {
  scriptType: ScriptType;
  /** Bare mainnet address (no chain prefix), or null when the script type has none. */
  address: string | null;
  /** Facts for scripts without an address (multisig keys, OP_RETURN data, the script itself). */
  detail?: Record<string, unknown>;
}

const P2PKH_VERSION = 0x00;
const P2SH_VERSION = 0x05;
const BECH32_HRP = 'bc';

/** Mainnet P2PKH address of a public key (hash160 of the key bytes as given, compressed or not). */
export function p2pkhAddressOfKey(pubkey: Uint8Array): string {
  return btcAddress.toBase58Check(hash160(pubkey), P2PKH_VERSION);
}

/** Mainnet P2SH address of a redeem script. */
export function p2shAddressOfScript(redeemScript: Uint8Array): string {
  return btcAddress.toBase58Check(hash160(redeemScript), P2SH_VERSION);
}

/** Mainnet segwit address of a witness program (bech32 for v0, bech32m for v1+). */
export function segwitAddress(version: number, program: Uint8Array): string {
  return btcAddress.toBech32(program, version, BECH32_HRP);
}

/**
 * Classifies an output script. Pure and deterministic; never throws (anything unrecognised is
 * 'nonstandard'). Only mainnet addresses are produced.
 */
export function classifyOutputScript(script: Uint8Array): OutputScriptInfo {
  const s = script;
  const n = s.length;
  if (n === 25 && s[0] === OP_DUP && s[1] === OP_HASH160 && s[2] === 20 && s[23] === OP_EQUALVERIFY && s[24] === OP_CHECKSIG) {
    return { scriptType: 'p2pkh', address: btcAddress.toBase58Check(s.subarray(3, 23), P2PKH_VERSION) };
  }
  if (n === 23 && s[0] === OP_HASH160 && s[1] === 20 && s[22] === OP_EQUAL) {
    return { scriptType: 'p2sh', address: btcAddress.toBase58Check(s.subarray(2, 22), P2SH_VERSION) };
  }
  // Witness program: a version opcode (OP_0, OP_1..OP_16) then one direct push of 2 to 40 bytes (BIP141).
  if (n >= 4 && n <= 42 && (s[0] === OP_0 || (s[0]! >= OP_1 && s[0]! <= OP_16)) && s[1] === n - 2) {
    const version = s[0] === OP_0 ? 0 : s[0]! - OP_1 + 1;
    const program = s.subarray(2);
    if (version === 0 && program.length === 20) return { scriptType: 'p2wpkh', address: segwitAddress(0, program) };
    if (version === 0 && program.length === 32) return { scriptType: 'p2wsh', address: segwitAddress(0, program) };
    if (version === 1 && program.length === 32) return { scriptType: 'p2tr', address: segwitAddress(1, program) };
    // Core treats v0 programs of other lengths as non-standard (they are unspendable), not as unknown witness.
    if (version === 0) return nonstandard(s);
    return { scriptType: 'witness_unknown', address: null, detail: { version, program: toHex(program) } };
  }
  if ((n === 35 || n === 67) && s[0] === n - 2 && s[n - 1] === OP_CHECKSIG && isPubkeyShape(s.subarray(1, n - 1))) {
    const pubkey = s.subarray(1, n - 1);
    return { scriptType: 'p2pk', address: p2pkhAddressOfKey(pubkey), detail: { pubkey: toHex(pubkey) } };
  }
  const ops = parseScript(s);
  if (ops === null) return nonstandard(s);
  if (n >= 1 && s[0] === OP_RETURN) {
    const rest = ops.slice(1);
    if (!isPushOnly(rest)) return nonstandard(s);
    const data = Buffer.concat(rest.flatMap((op) => (op.data ? [op.data] : [])));
    return { scriptType: 'nulldata', address: null, detail: { data: data.toString('hex') } };
  }
  const multisig = matchMultisig(ops);
  if (multisig) return { scriptType: 'multisig', address: null, detail: multisig };
  return nonstandard(s);
}

function nonstandard(script: Uint8Array): OutputScriptInfo {
  return { scriptType: 'nonstandard', address: null, detail: { script: toHex(script) } };
}

/** `OP_m <pubkey>{n} OP_n OP_CHECKMULTISIG` with 1 <= m <= n <= 16 and every key of a valid size. */
export function matchMultisig(ops: readonly ScriptOp[]): { m: number; n: number; pubkeys: string[] } | null {
  if (ops.length < 4) return null;
  const first = ops[0]!.opcode;
  const last = ops[ops.length - 1]!.opcode;
  const nOp = ops[ops.length - 2]!.opcode;
  if (last !== OP_CHECKMULTISIG) return null;
  if (first < OP_1 || first > OP_16 || nOp < OP_1 || nOp > OP_16) return null;
  const m = first - OP_1 + 1;
  const n = nOp - OP_1 + 1;
  const keys = ops.slice(1, -2);
  if (keys.length !== n || m > n) return null;
  const pubkeys: string[] = [];
  for (const key of keys) {
    if (key.data === undefined || !isPubkeyShape(key.data)) return null;
    pubkeys.push(toHex(key.data));
  }
  return { m, n, pubkeys };
}

/**
 * The chain-qualified id of an address this adapter produced.
 *
 * `addressId` validates through bitcoinjs `toOutputScript`, which for bech32m v1 (P2TR) addresses builds a
 * p2tr payment and so needs an ECC library that the service does not register ("No ECC Library provided").
 * For P2TR only, the address is checked here by decoding it back (bech32m checksum, v1, 32 bytes) and
 * prefixed directly; every other type goes through `addressId`.
 */
export function btcAddressId(address: string): AddressId {
  if (address.startsWith('bc1p')) {
    const decoded = btcAddress.fromBech32(address);
    if (decoded.version === 1 && decoded.data.length === 32 && decoded.prefix === BECH32_HRP) return `btc:${address}`;
  }
  return addressId('btc', address);
}

/**
 * Derives the address an input spends from, using only the spending data (scriptSig and witness), for
 * inputs whose spent output is not known yet. A spend does not name its output's script, so this only
 * answers where the spending data fixes the address by itself; everything else stays null until the
 * prevout arrives (a P2PK spend carries only a signature; a Taproot key-path spend only a Schnorr signature).
 *
 * Patterns, tried in this order (each must match exactly):
 *   P2WPKH       scriptSig empty, witness [sig, compressed key]            -> bech32 of hash160(key)        'witness'
 *   P2WSH        scriptSig empty, witness [..., script], >= 2 items        -> bech32 of sha256(script)      'redeem-script'
 *   P2SH-P2WPKH  scriptSig = push(0014<h>), witness [sig, key], h = hash160(key) -> p2sh of the redeem script 'redeem-script'
 *   P2SH-P2WSH   scriptSig = push(0020<h>), witness [..., script], h = sha256(script) -> p2sh of the redeem script 'redeem-script'
 *   P2PKH        witness empty, scriptSig = <sig> <key>                    -> base58 of hash160(key)        'script-sig'
 *   P2SH         witness empty, scriptSig push-only, >= 2 pushes, the last one a script -> p2sh of it      'redeem-script'
 *
 * "sig" is a strict-DER signature with a defined sighash byte; "key" is a point on secp256k1. A "script"
 * (P2SH redeem script or P2WSH witness script) must parse, contain a public-key push and a CHECKSIG-family
 * opcode, and must not be shaped like a signature, a key, or a Taproot control block / annex: these rules keep
 * P2PK, bare-multisig and Taproot spends (whose last item is not a script) from being read as script-hash spends.
 *
 * Reference: BIP16 (P2SH), BIP141/BIP143 (segwit v0 spends), BIP341 (control block and annex shapes).
 */
import {
  OP_CHECKMULTISIG,
  OP_CHECKMULTISIGVERIFY,
  OP_CHECKSIG,
  OP_CHECKSIGVERIFY,
  equalBytes,
  hash160,
  isCompressedPubkey,
  isEcdsaSignature,
  isPubkey,
  isPubkeyShape,
  isPushOnly,
  parseScript,
  pushedData,
  sha256,
} from './script-patterns.js';
import { p2pkhAddressOfKey, p2shAddressOfScript, segwitAddress } from './output-script.js';

export interface DerivedInputAddress {
  /** Bare mainnet address (no chain prefix). */
  address: string;
  /** Script type of the spent output that the spending data proves. */
  scriptType: 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh';
  source: 'script-sig' | 'witness' | 'redeem-script';
}

const ANNEX_TAG = 0x50;
const TAPROOT_CONTROL_BASE = 33;
const TAPROOT_CONTROL_NODE = 32;

/**
 * The address proven by an input's scriptSig and witness, or null when they do not fix it unambiguously.
 * Pure and deterministic; never throws.
 */
export function deriveInputAddress(scriptSig: Uint8Array, witness: readonly Uint8Array[]): DerivedInputAddress | null {
  if (scriptSig.length === 0) {
    if (witness.length === 2 && isEcdsaSignature(witness[0]!) && isCompressedPubkey(witness[1]!)) {
      return { address: segwitAddress(0, hash160(witness[1]!)), scriptType: 'p2wpkh', source: 'witness' };
    }
    if (witness.length >= 2 && isWitnessScript(witness[witness.length - 1]!)) {
      return { address: segwitAddress(0, sha256(witness[witness.length - 1]!)), scriptType: 'p2wsh', source: 'redeem-script' };
    }
    return null;
  }
  const ops = parseScript(scriptSig);
  if (ops === null || !isPushOnly(ops)) return null;
  const pushes = pushedData(ops);
  if (pushes === null) return null;

  if (witness.length > 0) {
    // Nested segwit: the scriptSig is exactly one push of the v0 program, which the witness must match.
    if (pushes.length !== 1) return null;
    const redeem = pushes[0]!;
    const last = witness[witness.length - 1]!;
    if (redeem.length === 22 && redeem[0] === 0x00 && redeem[1] === 20) {
      if (witness.length === 2 && isEcdsaSignature(witness[0]!) && isCompressedPubkey(last) && equalBytes(hash160(last), redeem.subarray(2))) {
        return { address: p2shAddressOfScript(redeem), scriptType: 'p2sh', source: 'redeem-script' };
      }
      return null;
    }
    if (redeem.length === 34 && redeem[0] === 0x00 && redeem[1] === 32) {
      if (equalBytes(sha256(last), redeem.subarray(2))) {
        return { address: p2shAddressOfScript(redeem), scriptType: 'p2sh', source: 'redeem-script' };
      }
      return null;
    }
    return null;
  }

  if (pushes.length === 2 && isEcdsaSignature(pushes[0]!) && isPubkey(pushes[1]!)) {
    return { address: p2pkhAddressOfKey(pushes[1]!), scriptType: 'p2pkh', source: 'script-sig' };
  }
  if (pushes.length >= 2 && isLockingScript(pushes[pushes.length - 1]!)) {
    return { address: p2shAddressOfScript(pushes[pushes.length - 1]!), scriptType: 'p2sh', source: 'redeem-script' };
  }
  return null;
}

/** A P2SH redeem script: parses, holds a key and a CHECKSIG-family opcode, and is not itself a sig or key. */
function isLockingScript(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || isEcdsaSignature(bytes) || isPubkeyShape(bytes)) return false;
  const ops = parseScript(bytes);
  if (ops === null) return false;
  const hasKey = ops.some((op) => op.data !== undefined && isPubkeyShape(op.data));
  const hasCheck = ops.some(
    (op) => op.opcode === OP_CHECKSIG || op.opcode === OP_CHECKSIGVERIFY || op.opcode === OP_CHECKMULTISIG || op.opcode === OP_CHECKMULTISIGVERIFY,
  );
  return hasKey && hasCheck;
}

/**
 * A P2WSH witness script, told apart from the last item of a Taproot script-path spend: a control block is
 * 33 + 32k bytes and an annex starts with 0x50, so items of those shapes are never taken for a script.
 */
function isWitnessScript(bytes: Uint8Array): boolean {
  if (bytes[0] === ANNEX_TAG) return false;
  if (bytes.length >= TAPROOT_CONTROL_BASE && (bytes.length - TAPROOT_CONTROL_BASE) % TAPROOT_CONTROL_NODE === 0) return false;
  return isLockingScript(bytes);
}

/**
 * Heights of raw Bitcoin blocks. A serialized block names only its parent's hash, so a height comes from
 * (in this order):
 *   1. the parent's height + 1, when the parent is known (the mainnet genesis block is built in; callers
 *      supply the rest through `heightOf`, e.g. the store or the blocks read earlier in the same file);
 *   2. BIP34: blocks of version >= 2 start their coinbase scriptSig with the height as a script number.
 *      Trusted alone only for heights >= 227,931, where mainnet enforces it; a smaller stated height needs
 *      the parent, since before enforcement the first push of a coinbase could be anything.
 * Where both exist and disagree at a height where BIP34 is enforced (>= 227,931 on mainnet), the block is
 * refused as inconsistent; below it, version-2 blocks were not yet required to carry a height and the
 * parent link wins.
 *
 * Reference: BIP34 "Block v2, Height in Coinbase"; Bitcoin Core `chainparams.cpp` (BIP34Height = 227931).
 */
import { invalidInput, type ErrorContext } from '../../errors.js';
import { OP_0, OP_1, OP_16 } from './script-patterns.js';

export const GENESIS_HASH = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';
export const ZERO_HASH = '0'.repeat(64);
export const BIP34_HEIGHT = 227_931;

/** Height of a block by its hash (display hex), or null/undefined when not known. */
export type HeightOf = (blockHash: string) => number | null | undefined;

/**
 * The height a version >= 2 block states in its coinbase scriptSig (BIP34), or null when the script does not
 * start with a minimally sized non-negative number push of at most 4 bytes (or OP_0 / OP_1..OP_16).
 */
export function bip34Height(coinbaseScript: Uint8Array): number | null {
  const first = coinbaseScript[0];
  if (first === undefined) return null;
  if (first === OP_0) return 0;
  if (first >= OP_1 && first <= OP_16) return first - OP_1 + 1;
  if (first < 1 || first > 4 || coinbaseScript.length < 1 + first) return null;
  const bytes = coinbaseScript.subarray(1, 1 + first);
  const top = bytes[bytes.length - 1]!;
  if (top & 0x80) return null; // negative script number
  let height = 0;
  for (let i = bytes.length - 1; i >= 0; i--) height = height * 256 + bytes[i]!;
  return height;
}

/**
 * Resolves a block's height from its parent and its coinbase. Throws INVALID_INPUT when neither gives one,
 * or when they disagree where BIP34 is enforced.
 */
export function resolveHeight(
  input: { prevHash: string; version: number; coinbaseScript: Uint8Array | undefined },
  heightOf: HeightOf | undefined,
  context: ErrorContext,
): number {
  let fromParent: number | null = null;
  if (input.prevHash === ZERO_HASH) fromParent = 0;
  else if (input.prevHash === GENESIS_HASH) fromParent = 1;
  else {
    const parent = heightOf?.(input.prevHash);
    if (parent !== null && parent !== undefined) {
      if (!Number.isSafeInteger(parent) || parent < 0) {
        throw invalidInput(`heightOf(${input.prevHash}) returned ${String(parent)}: expected a non-negative integer`, context);
      }
      fromParent = parent + 1;
    }
  }
  const fromCoinbase = input.version >= 2 && input.coinbaseScript ? bip34Height(input.coinbaseScript) : null;
  if (fromParent !== null) {
    if (fromCoinbase !== null && fromCoinbase !== fromParent && fromParent >= BIP34_HEIGHT) {
      throw invalidInput(`coinbase states height ${fromCoinbase} (BIP34) but the parent block ${input.prevHash} is at height ${fromParent - 1}`, context);
    }
    return fromParent;
  }
  if (fromCoinbase !== null && fromCoinbase >= BIP34_HEIGHT) return fromCoinbase;
  throw invalidInput(
    `cannot determine the block height: version ${input.version} block carries no BIP34 height and its parent ${input.prevHash} is not known (load the parent first, or pass heightOf)`,
    context,
  );
}

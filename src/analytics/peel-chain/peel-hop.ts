/**
 * The shape of one peel-chain hop, and the options shared by peel-chain detection and scanning.
 *
 * A peel chain moves a large balance through a sequence of transactions that each "peel" a small amount
 * off to a recipient and send the rest (the change) on to the next transaction. A transaction is a HOP when:
 *   1. it is on a UTXO chain and is not a coinbase;
 *   2. it has at least 1 and at most `maxInputs` inputs (default 1, as BlockSci's `looksLikePeelingChain`);
 *   3. it has exactly two outputs, both paying an address;
 *   4. the two output values differ: the smaller is the PEEL, the larger is the CHANGE;
 *   5. the peel ratio r = peel / (peel + change) lies in [minPeelRatioPpm, maxPeelRatioPpm] parts per
 *      million, bounds included (default [0, 200,000], i.e. the peel is at most 20% of what the hop sends
 *      on). The fee is not in the denominator. The comparison is exact integer arithmetic:
 *      peel * 10^6 >= min * (peel + change) and peel * 10^6 <= max * (peel + change).
 * A hop CONTINUES a chain when its inputs include the change output of the previous hop.
 *
 * [Reference]: Meiklejohn et al., "A Fistful of Bitcoins: Characterizing Payments Among Men with No Names",
 * IMC 2013, section 4.3 ("peeling chains"); BlockSci `heuristics::isPeelingChain`
 * (citp/BlockSci src/heuristics/tx_identification.cpp): one input, two outputs.
 */
import { invalidInput } from '../../errors.js';
import { chainInfo } from '../../model/chain.js';
import type { Transaction } from '../../model/transaction.js';

export const PPM = 1_000_000;

export interface PeelChainOptions {
  /** Largest number of inputs a hop may have (default 1). */
  maxInputs: number;
  /** Smallest peel ratio, in parts per million of peel + change (default 0). */
  minPeelRatioPpm: number;
  /** Largest peel ratio, in parts per million of peel + change (default 200,000 = 20%). Must be < 500,000. */
  maxPeelRatioPpm: number;
  /** Chains with fewer hops are not reported (default 3). */
  minLength: number;
  /** A chain stops after this many hops and is marked `truncated` (default 1,000). */
  maxHops: number;
  /** Work budget: distinct transactions read in one call (default 100,000). */
  maxTransactions: number;
  /** When the work budget runs out: 'error' throws LIMIT_EXCEEDED; 'truncate' returns what was found. */
  onBudget: 'error' | 'truncate';
  /** detectPeelChains: also walk back from the start to the chain's first hop (default false). */
  extendBackward: boolean;
  /** scanPeelChains: transactions fetched per read (default 500). */
  batchSize: number;
}

export const DEFAULTS: PeelChainOptions = {
  maxInputs: 1,
  minPeelRatioPpm: 0,
  maxPeelRatioPpm: 200_000,
  minLength: 3,
  maxHops: 1_000,
  maxTransactions: 100_000,
  onBudget: 'error',
  extendBackward: false,
  batchSize: 500,
};

export interface HopShape {
  peelIndex: number;
  changeIndex: number;
  /** Base units (satoshi). */
  peelValue: bigint;
  changeValue: bigint;
  /** floor(peel * 10^6 / (peel + change)). */
  peelRatioPpm: number;
}

/** Merges options over DEFAULTS and checks them; throws INVALID_INPUT naming the bad option. */
export function peelOptions(options: Partial<PeelChainOptions> = {}): PeelChainOptions {
  const o = { ...DEFAULTS, ...options };
  const int = (name: keyof PeelChainOptions, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw invalidInput(`peel-chain option ${name} must be an integer between ${min} and ${max}, got ${String(v)}`);
    }
  };
  int('maxInputs', 1);
  int('minPeelRatioPpm', 0, PPM / 2 - 1);
  int('maxPeelRatioPpm', 0, PPM / 2 - 1);
  int('minLength', 1);
  int('maxHops', 1);
  int('maxTransactions', 1);
  int('batchSize', 1, 10_000);
  if (o.minPeelRatioPpm > o.maxPeelRatioPpm) {
    throw invalidInput(`peel-chain option minPeelRatioPpm (${o.minPeelRatioPpm}) must not exceed maxPeelRatioPpm (${o.maxPeelRatioPpm})`);
  }
  if (o.onBudget !== 'error' && o.onBudget !== 'truncate') throw invalidInput(`peel-chain option onBudget must be 'error' or 'truncate', got ${String(o.onBudget)}`);
  return o;
}

/**
 * The hop shape of a transaction, or null when it is not a hop (rules 1-5 above). Pure, deterministic;
 * values in base units.
 */
export function classifyPeelHop(tx: Transaction, options: PeelChainOptions): HopShape | null {
  const r = examinePeelHop(tx, options);
  return 'shape' in r ? r.shape : null;
}

/** Like classifyPeelHop, but says which rule failed (for `note` in results and for investigators). */
export function examinePeelHop(tx: Transaction, options: PeelChainOptions): { shape: HopShape } | { reason: string } {
  if (chainInfo(tx.chain).kind !== 'utxo') return { reason: `${tx.chain} is an account chain; peel chains are a UTXO pattern` };
  if (tx.coinbase) return { reason: 'a coinbase transaction' };
  if (tx.inputs.length < 1 || tx.inputs.length > options.maxInputs) {
    return { reason: `${tx.inputs.length} inputs; a hop has 1 to maxInputs = ${options.maxInputs}` };
  }
  if (tx.outputs.length !== 2) return { reason: `${tx.outputs.length} outputs; a hop has exactly 2` };
  const [a, b] = tx.outputs as [Transaction['outputs'][number], Transaction['outputs'][number]];
  if (a.address === null || b.address === null) return { reason: 'an output without an address' };
  if (a.value === b.value) return { reason: `both outputs are ${a.value}: no change output can be told apart` };
  const [peel, change] = a.value < b.value ? [a, b] : [b, a];
  const total = peel.value + change.value;
  const scaled = peel.value * BigInt(PPM);
  const peelRatioPpm = Number(scaled / total);
  if (scaled < BigInt(options.minPeelRatioPpm) * total || scaled > BigInt(options.maxPeelRatioPpm) * total) {
    return {
      reason: `peel ratio ${peel.value} / ${total} (~${peelRatioPpm} ppm) is outside [${options.minPeelRatioPpm}, ${options.maxPeelRatioPpm}] ppm`,
    };
  }
  return { shape: { peelIndex: peel.index, changeIndex: change.index, peelValue: peel.value, changeValue: change.value, peelRatioPpm } };
}

/**
 * Result types of `propagateTaint` and the bookkeeping both traversals (UTXO and account) share: the taint
 * state of every output reached, the transactions computed, the edges followed, and the final assembly
 * into a sorted result with integer views.
 *
 * Integer views ("units"): each computation step (one UTXO transaction, or one account's replay) produces
 * exact taints for a group of outputs, plus the fee. The group is rounded with the largest-remainder
 * method, so its integer shares sum exactly to the floor of its exact total: rounding never creates taint
 * and loses less than one base unit per step.
 */
import type { AddressId, TxId } from '../../model/address.js';
import type { ChainKey } from '../../model/chain.js';
import type { AssetId } from '../../model/transaction.js';
import { add, compare, floor, isZero, largestRemainder, type Rational, ZERO } from './rational.js';
import type { TaintDirection, TaintModel } from './taint-model.js';

/** Where taint starts: every output an address received, every output of a transaction, or one output. */
export type TaintSource = { address: AddressId } | { txId: TxId } | { txId: TxId; index: number };

export interface OutputRef {
  txId: TxId;
  /** UTXO: output index (vout). Account chains: the transfer index (0 native, k + 1 for log k). */
  index: number;
}

export interface TaintedOutput extends OutputRef {
  /** Owner (UTXO) or recipient (account); null for outputs without an address. */
  address: AddressId | null;
  /** Account chains: the sender of the transfer. */
  from?: AddressId | null;
  /** Value of the output, base units. */
  value: bigint;
  /** Exact taint: forward, the tainted part of the output; backward, how much of it funded the sources. */
  taint: Rational;
  /** Integer view of `taint` (largest-remainder within its computation step). */
  units: bigint;
  /** Fewest transactions between a source and this output (sources are hop 0). */
  hop: number;
  /** A source: pinned at its full value, never recomputed. */
  source: boolean;
  /** Its address carries a stop category: the taint is reported here but not followed further. */
  stopped: boolean;
}

export interface TaintedTransaction {
  txId: TxId;
  height: number;
  position: number;
  /** Round in which it was first computed: 1 for a transaction next to a source. */
  hop: number;
  /** Forward: taint entering it (its tainted inputs); backward: taint of its traced outputs. */
  taintIn: Rational;
  /** Forward: taint of its outputs; backward: taint attributed to its inputs. */
  taintOut: Rational;
  /** Forward: taint that went to the fee. Zero backward. */
  feeTaint: Rational;
  feeUnits: bigint;
  /** Backward: a coinbase, where the traced funds were minted. */
  coinbase?: boolean;
}

export interface TaintedAddress {
  address: AddressId;
  /** Sum of the taint of its outputs (forward: received taint; backward: what it contributed). */
  taint: Rational;
  /** Sum of the integer views of its outputs. */
  units: bigint;
  hop: number;
  outputs: number;
  stopped: boolean;
}

/** Taint moved from output `from` to output `to` (in fund-flow order, also when traced backward). */
export interface TaintEdge {
  from: OutputRef;
  to: OutputRef;
  /** The spending transaction (UTXO) or the sender's outgoing transfer's transaction (account). */
  via: TxId;
  hop: number;
}

export interface Truncation {
  reason: 'budget' | 'max-hops';
  detail: string;
}

export interface TaintResult {
  model: TaintModel;
  direction: TaintDirection;
  chain: ChainKey;
  asset: AssetId;
  outputs: TaintedOutput[];
  addresses: TaintedAddress[];
  transactions: TaintedTransaction[];
  edges: TaintEdge[];
  /** Total exact taint at the sources. */
  sourceTotal: Rational;
  truncated: Truncation | null;
  /** Transactions computed (the budget counts these). */
  visitedTransactions: number;
  /** Transactions that could not be computed (unknown input values, unbalanced), with the reason. */
  incomplete: { txId: TxId; reason: string }[];
}

// ---------------------------------------------------------------------------------------------------------

export interface OutputState extends OutputRef {
  address: AddressId | null;
  from?: AddressId | null;
  value: bigint;
  taint: Rational;
  hop: number;
  source: boolean;
  stopped: boolean;
  /** Rounding group: the computation step that produced the taint. */
  group: string;
}

export const outKey = (txId: TxId, index: number): string => `${txId}:${index}`;

export function parseOutKey(key: string): OutputRef {
  const colon = key.lastIndexOf(':');
  return { txId: key.slice(0, colon), index: Number(key.slice(colon + 1)) };
}

/** Mutable state of one traversal. */
export class TaintState {
  readonly outputs = new Map<string, OutputState>();
  readonly txs = new Map<TxId, TaintedTransaction>();
  readonly edges = new Map<string, TaintEdge>();
  readonly incomplete = new Map<TxId, string>();
  /** Fee taint per rounding group. */
  readonly groupFees = new Map<string, Rational>();
  truncated: Truncation | null = null;
  visited = 0;
  private readonly pending = new Map<string, { out: Omit<OutputState, 'taint' | 'hop' | 'source' | 'stopped' | 'group'>; taint: Rational; hop: number; group: string }>();

  constructor(readonly minAmount: bigint) {}

  /** Applies `minAmount`: taint below it is dropped (treated as clean). */
  effective(t: Rational): Rational {
    if (this.minAmount > 0n && compare(t, { num: this.minAmount, den: 1n }) < 0) return ZERO;
    return t;
  }

  seed(out: Omit<OutputState, 'taint' | 'hop' | 'source' | 'stopped' | 'group'>): void {
    const key = outKey(out.txId, out.index);
    if (this.outputs.has(key)) return;
    this.outputs.set(key, { ...out, taint: { num: out.value, den: 1n }, hop: 0, source: true, stopped: false, group: `seed:${key}` });
  }

  /**
   * Records the taint an output gets from a computation step of the current round. Updates are buffered
   * until `commit`, so that every step of round r sees the state at the end of round r - 1 and hop numbers
   * are breadth-first levels whatever the order of the steps within a round. Sources are pinned.
   */
  update(out: Omit<OutputState, 'taint' | 'hop' | 'source' | 'stopped' | 'group'>, taint: Rational, hop: number, group: string): void {
    this.pending.set(outKey(out.txId, out.index), { out, taint: this.effective(taint), hop, group });
  }

  /** The hop an output has, or would get if `update` were committed now. */
  hopOf(key: string, round: number): number {
    return this.outputs.get(key)?.hop ?? round;
  }

  /** Applies the round's updates; returns the keys of the outputs whose taint changed. */
  commit(): string[] {
    const changed: string[] = [];
    for (const [key, { out, taint, hop, group }] of this.pending) {
      const prev = this.outputs.get(key);
      if (prev?.source) continue;
      if (!prev) {
        if (isZero(taint)) continue;
        this.outputs.set(key, { ...out, taint, hop, source: false, stopped: false, group });
        changed.push(key);
      } else if (compare(prev.taint, taint) !== 0) {
        prev.taint = taint;
        prev.group = group;
        changed.push(key);
      }
    }
    this.pending.clear();
    return changed;
  }

  edge(from: OutputRef, to: OutputRef, via: TxId, hop: number): void {
    const key = `${outKey(from.txId, from.index)}>${outKey(to.txId, to.index)}`;
    if (!this.edges.has(key)) this.edges.set(key, { from, to, via, hop });
  }

  result(meta: Pick<TaintResult, 'model' | 'direction' | 'chain' | 'asset'>): TaintResult {
    // Integer views per rounding group.
    const groups = new Map<string, OutputState[]>();
    for (const o of this.outputs.values()) {
      if (isZero(o.taint) && !o.source) continue;
      const list = groups.get(o.group);
      if (list) list.push(o);
      else groups.set(o.group, [o]);
    }
    for (const g of this.groupFees.keys()) if (!groups.has(g)) groups.set(g, []);
    const units = new Map<OutputState, bigint>();
    const feeUnitsByGroup = new Map<string, bigint>();
    for (const [g, list] of groups) {
      list.sort(compareRefs);
      const fee = this.groupFees.get(g) ?? ZERO;
      const shares = largestRemainder([...list.map((o) => o.taint), fee]);
      list.forEach((o, i) => units.set(o, shares[i]!));
      feeUnitsByGroup.set(g, shares[list.length]!);
    }

    const outputs: TaintedOutput[] = [...units.keys()]
      .map((o) => ({
        txId: o.txId,
        index: o.index,
        address: o.address,
        ...(o.from !== undefined ? { from: o.from } : {}),
        value: o.value,
        taint: o.taint,
        units: units.get(o)!,
        hop: o.hop,
        source: o.source,
        stopped: o.stopped,
      }))
      .sort((a, b) => a.hop - b.hop || compareRefs(a, b));

    const byAddress = new Map<AddressId, TaintedAddress>();
    for (const o of outputs) {
      if (o.address === null) continue;
      const a = byAddress.get(o.address);
      if (!a) byAddress.set(o.address, { address: o.address, taint: o.taint, units: o.units, hop: o.hop, outputs: 1, stopped: o.stopped });
      else {
        a.taint = add(a.taint, o.taint);
        a.units += o.units;
        a.hop = Math.min(a.hop, o.hop);
        a.outputs += 1;
        a.stopped ||= o.stopped;
      }
    }
    const addresses = [...byAddress.values()].sort((a, b) => a.hop - b.hop || cmpStr(a.address, b.address));

    const transactions = [...this.txs.values()]
      .map((t) => ({ ...t, feeUnits: feeUnitsByGroup.get(`tx:${t.txId}`) ?? (isZero(t.feeTaint) ? 0n : floor(t.feeTaint)) }))
      .sort((a, b) => a.hop - b.hop || a.height - b.height || a.position - b.position || cmpStr(a.txId, b.txId));

    const edges = [...this.edges.values()].sort(
      (a, b) => compareRefs(a.from, b.from) || compareRefs(a.to, b.to) || cmpStr(a.via, b.via),
    );

    let sourceTotal = ZERO;
    for (const o of this.outputs.values()) if (o.source) sourceTotal = add(sourceTotal, o.taint);

    return {
      ...meta,
      outputs,
      addresses,
      transactions,
      edges,
      sourceTotal,
      truncated: this.truncated,
      visitedTransactions: this.visited,
      incomplete: [...this.incomplete.entries()].map(([txId, reason]) => ({ txId, reason })).sort((a, b) => cmpStr(a.txId, b.txId)),
    };
  }
}

export const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const compareRefs = (a: OutputRef, b: OutputRef): number => cmpStr(a.txId, b.txId) || a.index - b.index;

/**
 * Taint propagation over a UTXO chain (Bitcoin), output by output.
 *
 * Method: rounds of a breadth-first traversal over the transaction DAG. Round r computes, with the model's
 * per-transaction rule, every transaction one of whose traced outputs changed in round r - 1 (forward: the
 * transactions that spend them; backward: the transactions that created them). A transaction reached again
 * later through a longer path is recomputed with its new input taints, so that once no output changes the
 * result is the exact fixed point of the rule over the DAG (taint only grows from round to round under all
 * five models, so this ends). One round costs one batched read per step of the port, never one per output.
 *
 * Forward needs "which transaction spends output (tx, vout)?", which the read port answers only through
 * the owner's input flows: the owner's spending transactions are fetched once per address and indexed by
 * the outpoints they spend.
 */
import type { AddressId, TxId } from '../../model/address.js';
import type { Category } from '../../model/label.js';
import type { Transaction } from '../../model/transaction.js';
import type { GraphReader } from '../../store/graph-store.js';
import { isZero, type Rational, sum, ZERO } from './rational.js';
import { outKey, parseOutKey, type TaintState } from './taint-result.js';
import { taintRule, taintTransactionBackward, type TaintDirection, type TaintModel, checkTxTaintArgs } from './taint-model.js';

export interface TraversalSettings {
  model: TaintModel;
  direction: TaintDirection;
  maxHops: number;
  maxTransactions: number;
  stopAtCategories: readonly Category[];
}

/** Caches shared by the rounds of one traversal. */
class UtxoReader {
  readonly txs = new Map<TxId, Transaction>();
  /** outpoint key -> spending transaction id; absent: not known yet. */
  private readonly spender = new Map<string, TxId>();
  private readonly scanned = new Set<AddressId>();
  private readonly labelled = new Map<AddressId, boolean>();

  constructor(
    private readonly graph: GraphReader,
    private readonly stopAt: ReadonlySet<string>,
  ) {}

  async loadTxs(ids: Iterable<TxId>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.txs.has(id));
    if (missing.length === 0) return;
    for (const [id, tx] of await this.graph.getTransactions(missing)) this.txs.set(id, tx);
  }

  /** Scans the input flows of each owner once and indexes its spending transactions by outpoint. */
  async loadSpenders(owners: Iterable<AddressId>): Promise<void> {
    const todo = [...new Set(owners)].filter((a) => !this.scanned.has(a));
    if (todo.length === 0) return;
    const flows = await this.graph.getFlows(todo, { side: 'input' });
    const candidates = new Set<TxId>();
    for (const list of flows.values()) for (const f of list) candidates.add(f.txId);
    await this.loadTxs(candidates);
    for (const id of candidates) {
      const tx = this.txs.get(id);
      if (!tx) continue;
      for (const input of tx.inputs) if (input.spends) this.spender.set(outKey(input.spends.txId, input.spends.vout), id);
    }
    for (const a of todo) this.scanned.add(a);
  }

  spenderOf(key: string): TxId | undefined {
    return this.spender.get(key);
  }

  /** Which of these addresses carry a stop category (one getLabels call for the new ones). */
  async loadStops(addresses: Iterable<AddressId>): Promise<void> {
    if (this.stopAt.size === 0) return;
    const todo = [...new Set(addresses)].filter((a) => !this.labelled.has(a));
    if (todo.length === 0) return;
    const labels = await this.graph.getLabels(todo);
    for (const a of todo) this.labelled.set(a, (labels.get(a) ?? []).some((l) => this.stopAt.has(l.category)));
  }

  isStop(address: AddressId | null): boolean {
    return address !== null && this.labelled.get(address) === true;
  }
}

const byChainOrder = (a: Transaction, b: Transaction): number =>
  a.height - b.height || a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Runs the rounds on `state`, whose source outputs are already seeded. */
export async function traverseUtxo(graph: GraphReader, state: TaintState, settings: TraversalSettings): Promise<void> {
  const reader = new UtxoReader(graph, new Set(settings.stopAtCategories));
  const rule = taintRule(settings.model);
  let changed = new Set(state.outputs.keys());

  for (let round = 1; changed.size > 0; round++) {
    // Outputs owned by a stop address keep their taint but are not followed.
    await reader.loadStops([...changed].map((k) => state.outputs.get(k)!.address).filter((a): a is AddressId => a !== null));
    const live = [...changed].filter((k) => {
      const o = state.outputs.get(k)!;
      if (!o.source && reader.isStop(o.address)) {
        o.stopped = true;
        return false;
      }
      return true;
    });

    // The transactions to (re)compute this round.
    let dirty: TxId[];
    if (settings.direction === 'forward') {
      await reader.loadSpenders(live.map((k) => state.outputs.get(k)!.address).filter((a): a is AddressId => a !== null));
      dirty = live.map((k) => reader.spenderOf(k)).filter((t): t is TxId => t !== undefined);
    } else {
      dirty = live.map((k) => parseOutKey(k).txId);
    }
    dirty = [...new Set(dirty)];
    if (dirty.length === 0) break;
    if (round > settings.maxHops) {
      state.truncated = { reason: 'max-hops', detail: `taint continues into ${dirty.length} transaction(s) beyond ${settings.maxHops} hops` };
      break;
    }
    await reader.loadTxs(dirty);
    const txs = dirty.map((id) => reader.txs.get(id)).filter((t): t is Transaction => t !== undefined).sort(byChainOrder);

    for (const tx of txs) {
      if (!state.txs.has(tx.id)) {
        if (state.visited >= settings.maxTransactions) {
          state.truncated = { reason: 'budget', detail: `stopped after ${settings.maxTransactions} transactions (maxTransactions)` };
          break;
        }
        state.visited++;
      }
      if (settings.direction === 'forward') computeForward(state, rule, tx, round);
      else computeBackward(state, settings.model, tx, round);
    }
    changed = new Set(state.commit());
    if (state.truncated) break;
  }
}

function recordTx(state: TaintState, tx: Transaction, round: number, taintIn: Rational, taintOut: Rational, feeTaint: Rational, extra: { coinbase?: boolean } = {}): void {
  const prev = state.txs.get(tx.id);
  state.txs.set(tx.id, { txId: tx.id, height: tx.height, position: tx.position, hop: prev?.hop ?? round, taintIn, taintOut, feeTaint, feeUnits: 0n, ...extra });
}

/** Input taint is the taint of the spent output, unless that output is stopped (then it counts as clean). */
function inputTaint(state: TaintState, tx: Transaction, i: number): Rational {
  const spends = tx.inputs[i]!.spends;
  if (!spends) return ZERO;
  const o = state.outputs.get(outKey(spends.txId, spends.vout));
  return o && !o.stopped ? o.taint : ZERO;
}

function computeForward(state: TaintState, rule: ReturnType<typeof taintRule>, tx: Transaction, round: number): void {
  if (tx.inputs.some((i) => i.value === null)) {
    state.incomplete.set(tx.id, 'an input value is unknown (its spent output is not ingested)');
    return;
  }
  const inputs = tx.inputs.map((input, i) => ({ value: input.value!, taint: inputTaint(state, tx, i) }));
  const outputs = tx.outputs.map((o) => ({ value: o.value }));
  const fee = inputs.reduce((s, i) => s + i.value, 0n) - outputs.reduce((s, o) => s + o.value, 0n);
  try {
    checkTxTaintArgs(inputs, outputs, fee);
  } catch (err) {
    state.incomplete.set(tx.id, (err as Error).message);
    return;
  }
  const result = rule(inputs, outputs, fee);
  const group = `tx:${tx.id}`;
  const outTaints = result.outputs.map((t) => state.effective(t));
  tx.outputs.forEach((o, k) => state.update({ txId: tx.id, index: o.index, address: o.address, value: o.value }, outTaints[k]!, round, group));
  const feeTaint = state.effective(result.fee);
  state.groupFees.set(group, feeTaint);
  recordTx(state, tx, round, sum(inputs.map((i) => i.taint)), sum(outTaints), feeTaint);
  // Edges: every tainted input to every tainted output of this transaction.
  tx.inputs.forEach((input, i) => {
    if (!input.spends || isZero(inputs[i]!.taint)) return;
    tx.outputs.forEach((o, k) => {
      if (isZero(outTaints[k]!)) return;
      const hop = state.hopOf(outKey(tx.id, o.index), round);
      state.edge({ txId: input.spends!.txId, index: input.spends!.vout }, { txId: tx.id, index: o.index }, tx.id, hop);
    });
  });
}

function computeBackward(state: TaintState, model: TaintModel, tx: Transaction, round: number): void {
  const traced = tx.outputs.map((o) => {
    const s = state.outputs.get(outKey(tx.id, o.index));
    return { value: o.value, taint: s && !(s.stopped && !s.source) ? s.taint : ZERO };
  });
  const taintIn = sum(traced.map((t) => t.taint));
  if (tx.coinbase || tx.inputs.length === 0) {
    recordTx(state, tx, round, taintIn, ZERO, ZERO, { coinbase: true });
    return;
  }
  if (tx.inputs.some((i) => i.value === null)) {
    state.incomplete.set(tx.id, 'an input value is unknown (its spent output is not ingested)');
    return;
  }
  const fee = tx.inputs.reduce((s, i) => s + i.value!, 0n) - tx.outputs.reduce((s, o) => s + o.value, 0n);
  let perInput: Rational[];
  try {
    perInput = taintTransactionBackward(model, tx.inputs.map((i) => ({ value: i.value! })), traced, fee).map((t) => state.effective(t));
  } catch (err) {
    state.incomplete.set(tx.id, (err as Error).message);
    return;
  }
  const group = `tx:${tx.id}`;
  tx.inputs.forEach((input, i) => {
    if (!input.spends) return;
    const ref = { txId: input.spends.txId, index: input.spends.vout, address: input.address, value: input.value! };
    state.update(ref, perInput[i]!, round, group);
    if (isZero(perInput[i]!)) return;
    const hop = state.hopOf(outKey(ref.txId, ref.index), round);
    tx.outputs.forEach((o, k) => {
      if (!isZero(traced[k]!.taint)) state.edge({ txId: ref.txId, index: ref.index }, { txId: tx.id, index: o.index }, tx.id, hop);
    });
  });
  state.groupFees.set(group, ZERO);
  recordTx(state, tx, round, taintIn, sum(perInput), ZERO);
}

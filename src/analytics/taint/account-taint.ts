/**
 * Taint propagation over an account chain (Ethereum and other EVM chains), one asset at a time.
 *
 * An account has no outputs to follow: its balance mixes everything it received. Ariadne applies the
 * same five models to that balance over time. Each address's flows in the traced asset are replayed in
 * chain order (height, position, side, index) through a ledger of received lots (taint-model.ts
 * `AccountLedger`): a receipt adds a lot carrying the taint of that transfer; an outgoing transfer draws
 * from the lots per the model (FIFO oldest first, LIFO newest first, haircut proportionally, poison: all
 * tainted after the first tainted receipt, TIHO: tainted part first). When the address pays the gas of a
 * transaction in the native asset, the fee is drawn right after the transfer and its taint goes to the fee.
 * A draw larger than the known lots (history before the ingested data) is covered by clean funds. Failed
 * transactions moved nothing and are skipped.
 *
 * Rounds as in utxo-taint.ts: round r replays every address whose received taint (forward) or whose sent
 * taint to explain (backward) changed in round r - 1, until nothing changes; a replay is deterministic, so
 * replaying an address again with new inputs gives the exact fixed point.
 *
 * Budget: the transactions of the replayed histories count towards `maxTransactions`.
 */
import type { AddressId, TxId } from '../../model/address.js';
import type { AssetId, Transaction } from '../../model/transaction.js';
import type { Flow, GraphReader } from '../../store/graph-store.js';
import { add, fromBigint, isZero, type Rational, sum, ZERO } from './rational.js';
import { outKey, parseOutKey, type TaintState } from './taint-result.js';
import { createLedger } from './taint-model.js';
import type { TraversalSettings } from './utxo-taint.js';

class AccountReader {
  readonly txs = new Map<TxId, Transaction>();
  readonly flows = new Map<AddressId, Flow[]>();
  private readonly labelled = new Map<AddressId, boolean>();

  constructor(
    private readonly graph: GraphReader,
    private readonly asset: AssetId,
    private readonly stopAt: ReadonlySet<string>,
  ) {}

  async loadTxs(ids: Iterable<TxId>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.txs.has(id));
    if (missing.length === 0) return;
    for (const [id, tx] of await this.graph.getTransactions(missing)) this.txs.set(id, tx);
  }

  async loadFlows(addresses: readonly AddressId[]): Promise<void> {
    const todo = addresses.filter((a) => !this.flows.has(a));
    if (todo.length > 0) {
      const got = await this.graph.getFlows(todo);
      for (const a of todo) this.flows.set(a, (got.get(a) ?? []).filter((f) => f.asset === this.asset));
    }
    await this.loadTxs(addresses.flatMap((a) => this.flows.get(a)!.map((f) => f.txId)));
  }

  async loadStops(addresses: Iterable<AddressId>): Promise<void> {
    if (this.stopAt.size === 0) return;
    const todo = [...new Set(addresses)].filter((a) => !this.labelled.has(a));
    if (todo.length === 0) return;
    const labels = await this.graph.getLabels(todo);
    for (const a of todo) this.labelled.set(a, (labels.get(a) ?? []).some((l) => this.stopAt.has(l.category)));
  }

  isStop(address: AddressId): boolean {
    return this.labelled.get(address) === true;
  }
}

const senderOf = (tx: Transaction | undefined, index: number): AddressId | null => tx?.inputs.find((i) => i.index === index)?.address ?? null;
const recipientOf = (tx: Transaction | undefined, index: number): AddressId | null => tx?.outputs.find((o) => o.index === index)?.address ?? null;

/**
 * Runs the rounds on `state`, whose source transfers are already seeded. `sourceAddresses` send fully
 * tainted funds (forward). `nativeAsset` decides whether fees are drawn.
 */
export async function traverseAccount(
  graph: GraphReader,
  state: TaintState,
  settings: TraversalSettings,
  options: { asset: AssetId; nativeAsset: AssetId; sourceAddresses: ReadonlySet<AddressId> },
): Promise<void> {
  const reader = new AccountReader(graph, options.asset, new Set(settings.stopAtCategories));
  const forward = settings.direction === 'forward';
  const seeds = [...state.outputs.values()];
  await reader.loadTxs(seeds.map((s) => s.txId));
  // A source address sends only tainted funds: replay it even when it received nothing we know of.
  let dirty = new Set<AddressId>(forward ? options.sourceAddresses : []);
  for (const s of seeds) {
    const tx = reader.txs.get(s.txId);
    if (tx?.status === 'failed') {
      state.outputs.delete(outKey(s.txId, s.index)); // moved nothing
      continue;
    }
    s.from ??= senderOf(tx, s.index);
    const next = forward ? s.address : s.from;
    if (next) dirty.add(next);
  }
  const countedTxs = new Set<TxId>();

  for (let round = 1; dirty.size > 0; round++) {
    await reader.loadStops(dirty);
    const live: AddressId[] = [];
    for (const a of [...dirty].sort()) {
      if (reader.isStop(a) && !options.sourceAddresses.has(a)) {
        // Stop point: what reached it stays reported there and goes no further.
        for (const o of state.outputs.values()) if (!o.source && (forward ? o.address : o.from) === a) o.stopped = true;
        continue;
      }
      live.push(a);
    }
    if (live.length === 0) break;
    if (round > settings.maxHops) {
      state.truncated = { reason: 'max-hops', detail: `taint continues into ${live.length} address(es) beyond ${settings.maxHops} hops` };
      break;
    }
    await reader.loadFlows(live);

    const next = new Set<AddressId>();
    for (const address of live) {
      const history = reader.flows.get(address)!;
      const fresh = new Set(history.map((f) => f.txId).filter((id) => !countedTxs.has(id)));
      if (countedTxs.size + fresh.size > settings.maxTransactions) {
        state.truncated = { reason: 'budget', detail: `stopped before replaying ${address}: more than ${settings.maxTransactions} transactions (maxTransactions)` };
        break;
      }
      for (const id of fresh) countedTxs.add(id);
      state.visited = countedTxs.size;
      if (forward)
        replayForward(state, reader, settings, options, address, history, round)
      else replayBackward(state, reader, settings, options.asset === options.nativeAsset, address, history, round);
    }
    // Forward, a changed transfer makes its recipient replay; backward, its sender.
    for (const key of state.commit()) {
      const o = state.outputs.get(key)!;
      const a = forward ? o.address : o.from;
      if (a) next.add(a);
    }
    if (state.truncated) break;
    dirty = next;
  }
  finalizeTransactions(state, forward);
}

function replayForward(
  state: TaintState,
  reader: AccountReader,
  settings: TraversalSettings,
  options: { nativeAsset: AssetId; asset: AssetId; sourceAddresses: ReadonlySet<AddressId> },
  address: AddressId,
  history: readonly Flow[],
  round: number,
): void {
  const ledger = createLedger(settings.model, 'forward');
  const isSource = options.sourceAddresses.has(address);
  for (const f of history) {
    const tx = reader.txs.get(f.txId);
    if (!tx || tx.status === 'failed') continue;
    const key = outKey(f.txId, f.index);
    const value = f.value ?? 0n;
    if (f.side === 'output') {
      const lot = state.outputs.get(key);
      ledger.receive({ key, amount: value, taint: lot ? lot.taint : ZERO });
      continue;
    }
    const draw = ledger.draw(value);
    const taint = state.effective(isSource ? fromBigint(value) : draw.taint);
    const group = `tx:${tx.id}`;
    if (value > 0n) state.update({ txId: tx.id, index: f.index, address: recipientOf(tx, f.index), from: address, value }, taint, round, group);
    if (value > 0n && !isZero(taint)) {
      markTx(state, tx, round);
      const hop = state.hopOf(key, round);
      for (const p of draw.parts) if (!isZero(p.taint)) state.edge(parseOutKey(p.key), { txId: tx.id, index: f.index }, tx.id, hop);
    }
    if (options.asset === options.nativeAsset && f.index === 0 && tx.fee !== null && tx.fee > 0n && senderOf(tx, 0) === address) {
      const feeDraw = ledger.draw(tx.fee);
      const feeTaint = state.effective(isSource ? fromBigint(tx.fee) : feeDraw.taint);
      state.groupFees.set(group, feeTaint);
      if (!isZero(feeTaint)) markTx(state, tx, round);
    }
  }
}

function replayBackward(
  state: TaintState,
  reader: AccountReader,
  settings: TraversalSettings,
  native: boolean,
  address: AddressId,
  history: readonly Flow[],
  round: number,
): void {
  const ledger = createLedger(settings.model, 'backward');
  const attributed = new Map<string, Rational>();
  const pendingEdges: { lot: string; to: string; via: TxId }[] = [];
  for (const f of history) {
    const tx = reader.txs.get(f.txId);
    if (!tx || tx.status === 'failed') continue;
    const key = outKey(f.txId, f.index);
    const value = f.value ?? 0n;
    if (f.side === 'output') {
      ledger.receive({ key, amount: value, taint: ZERO });
      continue;
    }
    const draw = ledger.draw(value);
    const traced = state.outputs.get(key);
    if (traced && !isZero(traced.taint)) {
      markTx(state, tx, round);
      for (const a of ledger.attributeBack(draw, traced.taint)) {
        attributed.set(a.key, add(attributed.get(a.key) ?? ZERO, a.taint));
        if (!isZero(state.effective(a.taint))) pendingEdges.push({ lot: a.key, to: key, via: tx.id });
      }
    }
    // Gas is paid from the same balance (it consumes lots) but is not traced backward.
    if (native && f.index === 0 && tx.fee !== null && tx.fee > 0n && senderOf(tx, 0) === address) ledger.draw(tx.fee);
  }
  const group = `replay:${address}`;
  for (const f of history) {
    if (f.side !== 'output') continue;
    const key = outKey(f.txId, f.index);
    const t = attributed.get(key);
    if (!t) continue;
    state.update({ txId: f.txId, index: f.index, address, from: senderOf(reader.txs.get(f.txId), f.index), value: f.value ?? 0n }, t, round, group);
  }
  for (const e of pendingEdges) state.edge(parseOutKey(e.lot), parseOutKey(e.to), e.via, state.hopOf(e.lot, round));
}

function markTx(state: TaintState, tx: Transaction, round: number): void {
  if (state.txs.has(tx.id)) return;
  state.txs.set(tx.id, { txId: tx.id, height: tx.height, position: tx.position, hop: round, taintIn: ZERO, taintOut: ZERO, feeTaint: ZERO, feeUnits: 0n });
}

/**
 * Fills the per-transaction sums from the final output taints (several senders may share a transaction).
 * Forward: taintOut = its tainted transfers, taintIn = taintOut + fee taint. Backward: both are the traced
 * amount of its transfers.
 */
function finalizeTransactions(state: TaintState, forward: boolean): void {
  const byTx = new Map<TxId, Rational[]>();
  for (const o of state.outputs.values()) {
    if ((forward && o.source) || !state.txs.has(o.txId)) continue;
    const list = byTx.get(o.txId);
    if (list) list.push(o.taint);
    else byTx.set(o.txId, [o.taint]);
  }
  for (const t of state.txs.values()) {
    const out = sum(byTx.get(t.txId) ?? []);
    const fee = forward ? (state.groupFees.get(`tx:${t.txId}`) ?? ZERO) : ZERO;
    t.taintOut = out;
    t.feeTaint = fee;
    t.taintIn = add(out, fee);
  }
}

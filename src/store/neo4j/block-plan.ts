/**
 * Plans one block write for the Neo4j store: given what the store already holds (read inside the write
 * transaction), computes the final state of every new transaction and every stored input the block
 * resolves, the counts of the WriteBlockResult and the change event. A writeBlocks batch plans its blocks
 * one after the other with it (batch-plan.ts); the Neo4j store then writes the batch with a few UNWIND
 * queries.
 *
 * It follows the embedded store's writeBlock step by step (src/store/embedded/embedded-store.ts), so that
 * both engines give the same results, counts and errors:
 * - transactions are taken in block order; one already stored (BIP30 duplicate coinbase) is skipped;
 * - an input missing its value or address takes both from the output it spends when that output is stored
 *   already or came earlier in this block (the prevout wins over an address derived from the script);
 * - a UTXO transaction whose inputs are all known gets fee = inputs - outputs, unless a fee was given; a
 *   negative fee refuses the whole block (INVALID_INPUT);
 * - after each transaction, the inputs waiting for its outputs (stored ones and earlier ones of this block,
 *   taken in the order the embedded store's index returns them: prev vout, tx id, index) are backfilled;
 *   a transaction whose last unknown input is resolved gets its fee then (inputs - outputs).
 * Pure and deterministic; amounts are bigint base units.
 */
import { invalidInput } from '../../errors.js';
import type { AddressId, TxId } from '../../model/address.js';
import { chainInfo } from '../../model/chain.js';
import type { Block, Transaction, TxInput } from '../../model/transaction.js';

/** A stored output, as an input that spends it needs it. */
export interface StoredOutput {
  address: AddressId | null;
  value: bigint;
}

/** A stored transaction with inputs waiting for outputs of the block being written. */
export interface StoredSpender {
  txId: TxId;
  unresolved: number;
  coinbase: boolean;
  /** Its inputs whose value is unknown and whose spent transaction is in the block. */
  pending: { index: number; prevTxId: TxId; prevVout: number }[];
  /** Every input's value (null when unknown). */
  inputs: { index: number; value: bigint | null }[];
  /** Every output's value. */
  outputs: bigint[];
}

export interface BlockPlanInput {
  block: Block;
  /** The block's transactions not stored yet, in block order. */
  newTxs: readonly Transaction[];
  /** Stored outputs by outpointKey, for the outpoints `outpointsToLookUp` named. */
  storedOutputs: ReadonlyMap<string, StoredOutput>;
  spenders: readonly StoredSpender[];
  /** The chain's running fee sum before this block. */
  chainFees: bigint;
}

export interface PlannedTx {
  tx: Transaction;
  /** Final inputs (resolved at insert or backfilled later in the block). */
  inputs: TxInput[];
  fee: bigint | null;
  unresolved: number;
}

export interface BlockPlan {
  txs: PlannedTx[];
  /** Every address the new transactions mention (inputs as first seen, outputs), once, in order. */
  addresses: AddressId[];
  /** Stored inputs resolved by this block's outputs. */
  backfills: { txId: TxId; index: number; address: AddressId | null; value: bigint }[];
  /** Stored transactions with backfilled inputs: new unresolved count, and the fee when now complete. */
  txUpdates: { id: TxId; unresolved: number; fee: bigint | null }[];
  /** The chain's running fee sum after this block. */
  chainFees: bigint;
  counts: { inputs: number; resolvedInputs: number; backfilledInputs: number; outputs: number; fees: bigint; unknownFees: number };
  /** For the GraphChange event: new transaction ids and touched addresses, in the embedded store's order. */
  change: { txIds: TxId[]; addresses: AddressId[] };
}

export const outpointKey = (txId: string, vout: number): string => `${txId}#${vout}`;

/** The outpoints whose stored output the plan needs: spent by an incomplete input, outside the new transactions. */
export function outpointsToLookUp(newTxs: readonly Transaction[]): { txId: TxId; vout: number }[] {
  const newIds = new Set(newTxs.map((t) => t.id));
  const seen = new Set<string>();
  const out: { txId: TxId; vout: number }[] = [];
  for (const tx of newTxs) {
    for (const i of tx.inputs) {
      if (!i.spends || (i.value !== null && i.address !== null) || newIds.has(i.spends.txId)) continue;
      const key = outpointKey(i.spends.txId, i.spends.vout);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ txId: i.spends.txId, vout: i.spends.vout });
    }
  }
  return out;
}

interface Waiting {
  txId: TxId;
  index: number;
  prevVout: number;
}

interface OpenTx {
  coinbase: boolean;
  unresolved: number;
  /** Set for a transaction of this block. */
  planned?: PlannedTx;
  /** Set for a stored transaction. */
  stored?: { values: Map<number, bigint | null>; outputSum: bigint; fee: bigint | null; touched: boolean };
}

export function planBlockWrite({ block, newTxs, storedOutputs, spenders, chainFees }: BlockPlanInput): BlockPlan {
  const newIds = new Set(newTxs.map((t) => t.id));
  const written = new Map<string, StoredOutput>();
  const open = new Map<TxId, OpenTx>();
  const waiting = new Map<TxId, Waiting[]>();
  const wait = (prevTxId: TxId, w: Waiting) => {
    const list = waiting.get(prevTxId);
    if (list) list.push(w);
    else waiting.set(prevTxId, [w]);
  };
  for (const s of spenders) {
    open.set(s.txId, {
      coinbase: s.coinbase,
      unresolved: s.unresolved,
      stored: { values: new Map(s.inputs.map((i) => [i.index, i.value])), outputSum: sum(s.outputs), fee: null, touched: false },
    });
    for (const p of s.pending) wait(p.prevTxId, { txId: s.txId, index: p.index, prevVout: p.prevVout });
  }

  const counts = { inputs: 0, resolvedInputs: 0, backfilledInputs: 0, outputs: 0, fees: 0n, unknownFees: 0 };
  const txs: PlannedTx[] = [];
  const touched = new Set<AddressId>();
  const backfilledAddresses: (AddressId | null)[] = [];
  const backfills: BlockPlan['backfills'] = [];
  const completed = new Set<TxId>();

  const resolve = (input: TxInput): TxInput => {
    if (!input.spends || (input.value !== null && input.address !== null)) return input;
    const key = outpointKey(input.spends.txId, input.spends.vout);
    const out = newIds.has(input.spends.txId) ? written.get(key) : storedOutputs.get(key);
    if (!out) return input;
    return { ...input, address: out.address, value: out.value, addressSource: 'prevout' };
  };

  for (const tx of newTxs) {
    const inputs = tx.inputs.map(resolve);
    const unresolved = inputs.filter((i) => i.value === null).length;
    let fee = tx.fee;
    if (fee === null && !tx.coinbase && unresolved === 0 && chainInfo(tx.chain).kind === 'utxo') {
      fee = sum(inputs.map((i) => i.value ?? 0n)) - sum(tx.outputs.map((o) => o.value));
    }
    if (fee !== null && fee < 0n) throw invalidInput(`transaction spends less than it creates: inputs minus outputs = ${fee}`, { tx: tx.id });
    const planned: PlannedTx = { tx, inputs: [...inputs], fee, unresolved };
    txs.push(planned);
    open.set(tx.id, { coinbase: tx.coinbase, unresolved, planned });
    for (const i of inputs) if (i.address) touched.add(i.address);
    for (const o of tx.outputs) if (o.address) touched.add(o.address);
    if (fee !== null) counts.fees += fee;
    else if (!tx.coinbase) counts.unknownFees++;
    counts.inputs += inputs.length;
    counts.resolvedInputs += inputs.length - unresolved;
    counts.outputs += tx.outputs.length;
    for (const o of tx.outputs) written.set(outpointKey(tx.id, o.index), { address: o.address, value: o.value });
    for (const i of inputs) if (i.value === null && i.spends) wait(i.spends.txId, { txId: tx.id, index: i.index, prevVout: i.spends.vout });

    // Inputs (stored, or earlier in this block) waiting for this transaction's outputs.
    const spending = (waiting.get(tx.id) ?? []).sort((a, b) => a.prevVout - b.prevVout || compareText(a.txId, b.txId) || a.index - b.index);
    waiting.delete(tx.id);
    for (const w of spending) {
      const out = tx.outputs.find((o) => o.index === w.prevVout);
      if (!out) continue;
      const spender = open.get(w.txId)!;
      if (spender.stored) {
        spender.stored.values.set(w.index, out.value);
        spender.stored.touched = true;
        backfills.push({ txId: w.txId, index: w.index, address: out.address, value: out.value });
      } else {
        const list = spender.planned!.inputs;
        const k = list.findIndex((i) => i.index === w.index);
        list[k] = { ...list[k]!, address: out.address, value: out.value, addressSource: 'prevout' };
      }
      backfilledAddresses.push(out.address);
      counts.backfilledInputs++;
      spender.unresolved--;
      if (spender.planned) spender.planned.unresolved = spender.unresolved;
      if (spender.unresolved === 0 && !spender.coinbase) completed.add(w.txId);
    }
  }

  // Transactions whose last unknown input was just resolved now have a fee.
  for (const id of completed) {
    const t = open.get(id)!;
    if (t.planned) {
      const fee = sum(t.planned.inputs.map((i) => i.value ?? 0n)) - sum(t.planned.tx.outputs.map((o) => o.value));
      t.planned.fee = fee;
      counts.fees += fee;
    } else {
      const s = t.stored!;
      s.fee = sum([...s.values.values()].map((v) => v ?? 0n)) - s.outputSum;
      counts.fees += s.fee;
    }
  }

  const txUpdates: BlockPlan['txUpdates'] = [];
  for (const [id, t] of open) if (t.stored?.touched) txUpdates.push({ id, unresolved: t.unresolved, fee: t.stored.fee });

  const addresses = [...touched];
  for (const a of backfilledAddresses) if (a) touched.add(a);
  counts.resolvedInputs += counts.backfilledInputs;
  return {
    txs,
    addresses,
    backfills,
    txUpdates,
    chainFees: chainFees + counts.fees,
    counts,
    change: { txIds: txs.map((t) => t.tx.id), addresses: [...touched] },
  };
}

function sum(values: readonly bigint[]): bigint {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The block this plan belongs to, for error context: `chain:height:hash` as the embedded store writes it. */
export function blockLabel(block: Block): string {
  return `${block.chain}:${block.height}:${block.hash}`;
}

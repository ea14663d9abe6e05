/**
 * Plans a writeBlocks batch for the Neo4j store: the blocks are planned one after the other with
 * planBlockWrite (block-plan.ts), exactly as separate writeBlock calls would see them, but against what the
 * store held before the batch plus what the earlier blocks of the batch wrote, kept here in memory. The
 * store then writes the final state of the whole batch with a few UNWIND queries, whatever its size.
 *
 * What a later block changes of an earlier one is folded into the final state instead of being written
 * twice: an input of block 1 that block 3's outputs resolve is created resolved, and the stored
 * transactions it completes get their fee once. So that each block's counts and change event stay those of
 * a block-by-block write:
 * - a transaction stored before, or written earlier in the batch (BIP30 duplicate), is skipped;
 * - an input takes the spent output's value and address when that output is stored or was written by an
 *   earlier block of the batch; one spending a later block's output is backfilled by that block;
 * - a new address counts for the first block of the batch that mentions it.
 * Pure and deterministic; amounts are bigint base units.
 */
import { AriadneError } from '../../errors.js';
import type { AddressId, TxId } from '../../model/address.js';
import type { ChainKey } from '../../model/chain.js';
import type { Block, Transaction } from '../../model/transaction.js';
import { blockLabel, outpointKey, planBlockWrite, type BlockPlan, type PlannedTx, type StoredOutput, type StoredSpender } from './block-plan.js';

export interface BatchPlanInput {
  /** The blocks to write, in order: none stored before, none twice. */
  blocks: readonly Block[];
  /** Per block, the transactions to store (`newTransactions`). */
  newTxs: readonly (readonly Transaction[])[];
  /** Stored outputs by outpointKey, for the outpoints `outpointsToLookUp(newTxs.flat())` named. */
  storedOutputs: ReadonlyMap<string, StoredOutput>;
  /** Stored transactions with inputs waiting for outputs of the batch's new transactions. */
  spenders: readonly StoredSpender[];
  /** Each chain's running fee sum before the batch. */
  chainFees: ReadonlyMap<ChainKey, bigint>;
}

export interface PlannedBlock {
  block: Block;
  counts: BlockPlan['counts'];
  change: BlockPlan['change'];
}

export interface BatchPlan {
  blocks: PlannedBlock[];
  /** Every new transaction in its final state (inputs resolved by later blocks included), in batch order. */
  txs: PlannedTx[];
  /** Every address the new transactions mention, once, with the position of the first block that does. */
  addresses: { id: AddressId; chain: ChainKey; block: number }[];
  /** Inputs stored before the batch that it resolves (final values). */
  backfills: { chain: ChainKey; txId: TxId; index: number; address: AddressId | null; value: bigint }[];
  /** Transactions stored before the batch with backfilled inputs: final unresolved count, and fee when complete. */
  txUpdates: { id: TxId; unresolved: number; fee: bigint | null }[];
  /** Each touched chain's running fee sum after the batch. */
  chainFees: Map<ChainKey, bigint>;
}

/**
 * Per block, the transactions a batch stores: those neither stored before (`storedTxIds`) nor written by
 * an earlier block of the batch (Bitcoin's duplicate coinbases, BIP30, are kept once, under the first block).
 */
export function newTransactions(blocks: readonly Block[], storedTxIds: ReadonlySet<TxId>): Transaction[][] {
  const seen = new Set<TxId>();
  return blocks.map((block) =>
    block.transactions.filter((t) => {
      if (storedTxIds.has(t.id) || seen.has(t.id)) return false;
      seen.add(t.id);
      return true;
    }),
  );
}

/** A transaction with inputs still waiting for an output: stored before the batch, or planned earlier in it. */
interface Waiter {
  unresolved: number;
  coinbase: boolean;
  /** Waiting inputs by index. */
  pending: Map<number, { index: number; prevTxId: TxId; prevVout: number }>;
  values: Map<number, bigint | null>;
  outputs: bigint[];
  /** Set for a transaction of the batch: its final state is updated in place. */
  planned?: PlannedTx;
}

export function planBatchWrite({ blocks, newTxs, storedOutputs, spenders, chainFees }: BatchPlanInput): BatchPlan {
  // Outputs readable by a block: stored before the batch, or written by an earlier block of it.
  const outputs = new Map(storedOutputs);
  const waiters = new Map<TxId, Waiter>();
  const waitingFor = new Map<TxId, Set<TxId>>();
  const addWaiter = (txId: TxId, w: Waiter): void => {
    waiters.set(txId, w);
    for (const p of w.pending.values()) {
      const set = waitingFor.get(p.prevTxId);
      if (set) set.add(txId);
      else waitingFor.set(p.prevTxId, new Set([txId]));
    }
  };
  for (const s of spenders) {
    addWaiter(s.txId, {
      unresolved: s.unresolved,
      coinbase: s.coinbase,
      pending: new Map(s.pending.map((p) => [p.index, p])),
      values: new Map(s.inputs.map((i) => [i.index, i.value])),
      outputs: s.outputs,
    });
  }

  const fees = new Map(chainFees);
  const planned: PlannedBlock[] = [];
  const txs: PlannedTx[] = [];
  const addresses = new Map<AddressId, { id: AddressId; chain: ChainKey; block: number }>();
  const backfills: BatchPlan['backfills'] = [];
  const txUpdates = new Map<TxId, { id: TxId; unresolved: number; fee: bigint | null }>();

  blocks.forEach((block, k) => {
    const mine = newTxs[k]!;
    const ids = new Set(mine.map((t) => t.id));
    // Waiting transactions as block-plan takes stored ones: only their inputs waiting for this block.
    const waiting = new Set<TxId>();
    for (const id of ids) for (const w of waitingFor.get(id) ?? []) waiting.add(w);
    const blockSpenders: StoredSpender[] = [];
    for (const txId of waiting) {
      const w = waiters.get(txId);
      if (!w) continue;
      const pending = [...w.pending.values()].filter((p) => ids.has(p.prevTxId));
      if (pending.length === 0) continue;
      blockSpenders.push({ txId, unresolved: w.unresolved, coinbase: w.coinbase, pending, inputs: [...w.values].map(([index, value]) => ({ index, value })), outputs: w.outputs });
    }

    let plan: BlockPlan;
    try {
      plan = planBlockWrite({ block, newTxs: mine, storedOutputs: outputs, spenders: blockSpenders, chainFees: fees.get(block.chain) ?? 0n });
    } catch (err) {
      // A bad block refuses the whole batch: the error names it.
      throw err instanceof AriadneError ? err.withContext({ block: blockLabel(block) }) : err;
    }
    fees.set(block.chain, plan.chainFees);
    planned.push({ block, counts: plan.counts, change: plan.change });
    for (const id of plan.addresses) if (!addresses.has(id)) addresses.set(id, { id, chain: block.chain, block: k });

    for (const b of plan.backfills) {
      const w = waiters.get(b.txId)!;
      w.values.set(b.index, b.value);
      w.pending.delete(b.index);
      if (w.planned) {
        const list = w.planned.inputs;
        const at = list.findIndex((i) => i.index === b.index);
        list[at] = { ...list[at]!, address: b.address, value: b.value, addressSource: 'prevout' };
      } else {
        backfills.push({ chain: block.chain, ...b });
      }
    }
    for (const u of plan.txUpdates) {
      const w = waiters.get(u.id)!;
      w.unresolved = u.unresolved;
      if (w.planned) {
        w.planned.unresolved = u.unresolved;
        // As the stored update does: a null fee keeps the one the transaction has.
        if (u.fee !== null) w.planned.fee = u.fee;
      } else {
        txUpdates.set(u.id, { id: u.id, unresolved: u.unresolved, fee: u.fee ?? txUpdates.get(u.id)?.fee ?? null });
      }
      if (w.pending.size === 0) waiters.delete(u.id);
    }

    for (const p of plan.txs) {
      txs.push(p);
      for (const o of p.tx.outputs) outputs.set(outpointKey(p.tx.id, o.index), { address: o.address, value: o.value });
      const pending = p.inputs.filter((i) => i.value === null && i.spends).map((i) => ({ index: i.index, prevTxId: i.spends!.txId, prevVout: i.spends!.vout }));
      if (pending.length === 0) continue;
      addWaiter(p.tx.id, {
        unresolved: p.unresolved,
        coinbase: p.tx.coinbase,
        pending: new Map(pending.map((x) => [x.index, x])),
        values: new Map(p.inputs.map((i) => [i.index, i.value])),
        outputs: p.tx.outputs.map((o) => o.value),
        planned: p,
      });
    }
  });

  const touchedChains = new Set(blocks.map((b) => b.chain));
  return {
    blocks: planned,
    txs,
    addresses: [...addresses.values()],
    backfills,
    txUpdates: [...txUpdates.values()],
    chainFees: new Map([...fees].filter(([chain]) => touchedChains.has(chain))),
  };
}

/**
 * Change-output detection as scored evidence (UTXO chains). Nothing here merges anything: each heuristic
 * names an output it believes returns value to the spender, with a confidence and a reason; the cluster
 * index merges on it only when asked to (ClusterIndex option `mergeChange`).
 *
 * Heuristics and confidences follow GraphSense (graphsense-lib,
 * src/graphsenselib/db/asynchronous/services/heuristics_service.py and heuristics.py):
 * - `direct-change` (100): an output pays an address that is also an input of the transaction
 *   (GraphSense `_direct_change_heuristic`; BlockSci `ChangeType::AddressReuse`).
 * - `one-time-change` (50): exactly one output meets all of: 2 to 10 outputs in the transaction; the output's
 *   address type equals the one type shared by every input (BlockSci `AddressType`); its value is not a
 *   multiple of 1,000 sat (GraphSense "not nicely divisible"; BlockSci `PowerOfTen` with digits = 3); its
 *   value is below the smallest input (BlockSci `OptimalChange`); the address appears once among the outputs
 *   and not among the inputs; and the address is fresh: this transaction is the first one in which it
 *   appears (BlockSci `ClientChangeAddressBehavior`).
 * - `multi-input-change` (50): an output's address is already in the same cluster as one of the inputs
 *   (GraphSense `_multi_input_change_heuristic`). Needs a cluster lookup.
 *
 * Deliberate difference from GraphSense: GraphSense's "not reused" test also refuses an address that later
 * receives or spends more than once, i.e. it looks into the future. We test freshness only up to this
 * transaction, so that the evidence for a transaction does not change as later blocks arrive and an index
 * built incrementally agrees with one built from scratch.
 *
 * Coinbase transactions, CoinJoins (coinjoin.ts) and account-chain transactions get no change evidence.
 *
 * [Reference]: Meiklejohn et al., "A Fistful of Bitcoins", IMC 2013 (one-time change);
 * Kalodner et al., BlockSci (change heuristics); Iknaio GraphSense (confidences).
 */
import type { AddressId, TxId } from '../../model/address.js';
import { bareAddress } from '../../model/address.js';
import { chainInfo } from '../../model/chain.js';
import type { Transaction } from '../../model/transaction.js';
import type { GraphReader } from '../../store/graph-store.js';
import { detectCoinJoin } from './coinjoin.js';

export type ChangeHeuristic = 'direct-change' | 'one-time-change' | 'multi-input-change';

export interface ChangeEvidence {
  txId: TxId;
  outputIndex: number;
  address: AddressId;
  heuristic: ChangeHeuristic;
  /** 0-100. */
  confidence: number;
  /** Why, with the numbers. */
  reason: string;
}

export interface ChangeOptions {
  /** Confidence given to each heuristic's evidence (GraphSense's figures by default). */
  confidence: Record<ChangeHeuristic, number>;
  /** one-time-change only looks at transactions with at most this many outputs (GraphSense: 10). */
  maxOutputs: number;
  /** one-time-change: a value that is a multiple of this (base units) is "round", hence likely a payment. */
  roundUnit: bigint;
}

export const CHANGE_DEFAULTS: ChangeOptions = {
  confidence: { 'direct-change': 100, 'one-time-change': 50, 'multi-input-change': 50 },
  maxOutputs: 10,
  roundUnit: 1000n,
};

/** What the pure evaluation needs to know beyond the transaction itself. */
export interface ChangeContext {
  /** True when `txId` is the first transaction in which `address` appears. */
  isFresh(address: AddressId, txId: TxId): boolean;
  /** Cluster id of an address (enables multi-input-change); null when unknown. */
  clusterOf?: (address: AddressId) => string | null;
}

/**
 * Address type as told by the address encoding: p2pkh (1...), p2sh (3...), p2wpkh (bc1q, 42 chars),
 * p2wsh (bc1q, 62 chars), p2tr (bc1p). Anything else is 'other' and never matches.
 */
export function addressKind(id: AddressId): string {
  const a = bareAddress(id);
  if (a.startsWith('1')) return 'p2pkh';
  if (a.startsWith('3')) return 'p2sh';
  if (a.startsWith('bc1q')) return a.length === 42 ? 'p2wpkh' : a.length === 62 ? 'p2wsh' : 'other';
  if (a.startsWith('bc1p')) return 'p2tr';
  return 'other';
}

/**
 * Change evidence for one transaction. Pure given `context`; deterministic; amounts in base units.
 * Returns evidence ordered by output index, then heuristic name.
 */
export function changeEvidenceFor(tx: Transaction, context: ChangeContext, options: Partial<ChangeOptions> = {}): ChangeEvidence[] {
  const opts = { ...CHANGE_DEFAULTS, ...options, confidence: { ...CHANGE_DEFAULTS.confidence, ...options.confidence } };
  if (tx.coinbase || chainInfo(tx.chain).kind !== 'utxo' || tx.inputs.length === 0) return [];
  if (detectCoinJoin(tx).isCoinJoin) return [];
  const out: ChangeEvidence[] = [];
  const inputAddresses = new Set(tx.inputs.map((i) => i.address).filter((a): a is AddressId => a !== null));

  // direct-change
  for (const o of tx.outputs) {
    if (o.address !== null && inputAddresses.has(o.address)) {
      out.push({
        txId: tx.id,
        outputIndex: o.index,
        address: o.address,
        heuristic: 'direct-change',
        confidence: opts.confidence['direct-change'],
        reason: `output ${o.index} pays ${o.address}, which is also an input address of the transaction`,
      });
    }
  }

  // one-time-change
  const oneTime = oneTimeChange(tx, inputAddresses, context, opts);
  if (oneTime) out.push(oneTime);

  // multi-input-change
  if (context.clusterOf) {
    const inputClusters = new Map<string, AddressId>();
    for (const a of [...inputAddresses].sort()) {
      const c = context.clusterOf(a);
      if (c !== null && !inputClusters.has(c)) inputClusters.set(c, a);
    }
    for (const o of tx.outputs) {
      if (o.address === null || inputAddresses.has(o.address)) continue;
      const c = context.clusterOf(o.address);
      const match = c === null ? undefined : inputClusters.get(c);
      if (match === undefined) continue;
      out.push({
        txId: tx.id,
        outputIndex: o.index,
        address: o.address,
        heuristic: 'multi-input-change',
        confidence: opts.confidence['multi-input-change'],
        reason: `output ${o.index} pays ${o.address}, already in cluster ${c} with input address ${match}`,
      });
    }
  }
  return out.sort((a, b) => a.outputIndex - b.outputIndex || (a.heuristic < b.heuristic ? -1 : a.heuristic > b.heuristic ? 1 : 0));
}

function oneTimeChange(tx: Transaction, inputAddresses: Set<AddressId>, context: ChangeContext, opts: ChangeOptions): ChangeEvidence | null {
  if (tx.outputs.length < 2 || tx.outputs.length > opts.maxOutputs) return null;
  // Every input must be known: the smallest input and the shared input type are otherwise unknowable.
  if (tx.inputs.some((i) => i.address === null || i.value === null)) return null;
  const kinds = new Set(tx.inputs.map((i) => addressKind(i.address!)));
  if (kinds.size !== 1) return null;
  const [inputKind] = [...kinds] as [string];
  if (inputKind === 'other') return null;
  const minInput = tx.inputs.reduce((m, i) => (i.value! < m ? i.value! : m), tx.inputs[0]!.value!);
  const seen = new Map<AddressId, number>();
  for (const o of tx.outputs) if (o.address !== null) seen.set(o.address, (seen.get(o.address) ?? 0) + 1);

  const candidates = tx.outputs.filter(
    (o) =>
      o.address !== null &&
      addressKind(o.address) === inputKind &&
      o.value % opts.roundUnit !== 0n &&
      o.value < minInput &&
      seen.get(o.address) === 1 &&
      !inputAddresses.has(o.address) &&
      context.isFresh(o.address, tx.id),
  );
  if (candidates.length !== 1) return null;
  const o = candidates[0]!;
  return {
    txId: tx.id,
    outputIndex: o.index,
    address: o.address!,
    heuristic: 'one-time-change',
    confidence: opts.confidence['one-time-change'],
    reason:
      `output ${o.index} (${o.value} sat to ${o.address}) is the only output that is of the inputs' type ${inputKind}, ` +
      `not a multiple of ${opts.roundUnit}, below the smallest input (${minInput}), and paid to an address first seen in this transaction`,
  };
}

/**
 * Reads what freshness needs for a batch of transactions: one `getFlows` call for every output address.
 * Returns a context whose `isFresh(address, txId)` is true when the address's oldest flow belongs to `txId`.
 */
export async function loadChangeContext(graph: GraphReader, txs: readonly Transaction[]): Promise<ChangeContext> {
  const addresses = new Set<AddressId>();
  let maxHeight = 0;
  for (const tx of txs) {
    if (tx.coinbase || chainInfo(tx.chain).kind !== 'utxo') continue;
    maxHeight = Math.max(maxHeight, tx.height);
    for (const o of tx.outputs) if (o.address !== null) addresses.add(o.address);
  }
  const first = new Map<AddressId, TxId>();
  if (addresses.size > 0) {
    const flows = await graph.getFlows([...addresses], { maxHeight });
    for (const [address, list] of flows) if (list[0]) first.set(address, list[0].txId);
  }
  return { isFresh: (address, txId) => first.get(address) === txId };
}

/**
 * Change evidence for many transactions: loads freshness data in one batched read, then evaluates each
 * transaction. `clusterOf` (e.g. from a ClusterIndex) enables multi-input-change.
 */
export async function detectChangeOutputs(
  graph: GraphReader,
  input: { transactions: readonly Transaction[]; clusterOf?: (address: AddressId) => string | null },
  options: Partial<ChangeOptions> = {},
): Promise<Map<TxId, ChangeEvidence[]>> {
  const base = await loadChangeContext(graph, input.transactions);
  const context: ChangeContext = input.clusterOf ? { ...base, clusterOf: input.clusterOf } : base;
  const out = new Map<TxId, ChangeEvidence[]>();
  for (const tx of input.transactions) out.set(tx.id, changeEvidenceFor(tx, context, options));
  return out;
}

/**
 * propagateTaint: follows tainted funds forward (where did they go?) or backward (where did they come
 * from?) from one or many sources, under one of five taint models (poison, haircut, FIFO, LIFO, TIHO), with
 * exact amounts. UTXO chains are traced output by output (utxo-taint.ts), account chains address by
 * address through a ledger of received lots (account-taint.ts).
 *
 * [References]: Möser, Böhme, Breuker 2014 (poison, haircut); Anderson, Shumailov, Ahmed, Rietmann 2019
 * "Bitcoin Redux" (FIFO, LIFO); Tironsakkul, Maarek, Eross, Just 2019 (TIHO). Definitions, fee rules and the
 * account-chain reading are in docs/analytics-taint-proximity.md.
 */
import { AriadneError, invalidInput, limitExceeded, notFound } from '../../errors.js';
import { chainOfId, type AddressId, type TxId } from '../../model/address.js';
import { chainInfo, type ChainKey } from '../../model/chain.js';
import { CATEGORIES, type Category } from '../../model/label.js';
import type { AssetId, Transaction } from '../../model/transaction.js';
import type { GraphReader } from '../../store/graph-store.js';
import { traverseAccount } from './account-taint.js';
import { TaintState, type TaintResult, type TaintSource } from './taint-result.js';
import { parseTaintModel, type TaintDirection, type TaintModel } from './taint-model.js';
import { traverseUtxo } from './utxo-taint.js';

export interface TaintOptions {
  model: TaintModel;
  direction: TaintDirection;
  /** Most transactions (UTXO) or transfers (account) between a source and a traced output. */
  maxHops: number;
  /** The configured ceiling for `maxHops`; asking for more is LIMIT_EXCEEDED. */
  maxHopsLimit: number;
  /** Taint below this many base units on an output is dropped (treated as clean) and not followed. */
  minAmount: bigint;
  /** Work budget: most transactions computed (UTXO) or in replayed histories (account). */
  maxTransactions: number;
  /** Addresses carrying one of these categories keep the taint that reaches them but pass none on. */
  stopAtCategories: readonly Category[];
  /** Account chains: the asset traced (native symbol or token id). Default: the asset of the first output
   * source, else the chain's native asset. UTXO chains have one asset. */
  asset: AssetId | undefined;
}

export const DEFAULTS: TaintOptions = {
  model: 'haircut',
  direction: 'forward',
  maxHops: 6,
  maxHopsLimit: 50,
  minAmount: 0n,
  maxTransactions: 10_000,
  stopAtCategories: [],
  asset: undefined,
};

function checkOptions(o: TaintOptions): void {
  parseTaintModel(o.model);
  if (o.direction !== 'forward' && o.direction !== 'backward') {
    throw invalidInput(`invalid taint direction ${JSON.stringify(o.direction)}: expected "forward" or "backward"`);
  }
  if (!Number.isSafeInteger(o.maxHops) || o.maxHops < 0) throw invalidInput(`invalid maxHops ${String(o.maxHops)}: expected an integer >= 0`);
  if (o.maxHops > o.maxHopsLimit) throw limitExceeded(`maxHops ${o.maxHops} is above the configured limit of ${o.maxHopsLimit}`);
  if (!Number.isSafeInteger(o.maxTransactions) || o.maxTransactions < 1) {
    throw invalidInput(`invalid maxTransactions ${String(o.maxTransactions)}: expected an integer >= 1`);
  }
  if (typeof o.minAmount !== 'bigint' || o.minAmount < 0n) throw invalidInput(`invalid minAmount ${String(o.minAmount)}: expected a bigint >= 0 in base units`);
  for (const c of o.stopAtCategories) {
    if (!(CATEGORIES as readonly string[]).includes(c)) throw invalidInput(`unknown stop category ${JSON.stringify(c)}: expected one of ${CATEGORIES.join(', ')}`);
  }
}

const sourceId = (s: TaintSource): string => ('address' in s ? s.address : s.txId);

/**
 * Traces taint from `sources` through `graph`.
 *
 * Sources: `{ address }` seeds every output (UTXO) or incoming transfer (account) the address received in
 * full; `{ txId }` every output of the transaction; `{ txId, index }` one output or transfer. Sources are
 * hop 0 and pinned at their full value. All sources must be on one chain.
 *
 * Units: base units of the traced asset (satoshi, wei, token units); `taint` fields are exact fractions,
 * `units` their integer views. Deterministic: the same graph and arguments give the same result, sorted
 * (outputs by hop, tx id, index; addresses by hop, id; transactions by hop, height, position).
 * Limits: `maxHops` (stops with `truncated.reason = 'max-hops'` when taint goes on), `maxTransactions`
 * (`truncated.reason = 'budget'`); a truncated result is a correct prefix of the traversal, but outputs at
 * its edge may miss taint that would have arrived by longer paths.
 * Errors: INVALID_INPUT (bad options, mixed chains, no sources), LIMIT_EXCEEDED (maxHops above its limit),
 * NOT_FOUND (unknown address, transaction or output).
 */
export async function propagateTaint(
  graph: GraphReader,
  sources: TaintSource | readonly TaintSource[],
  options: Partial<TaintOptions> = {},
): Promise<TaintResult> {
  const o: TaintOptions = { ...DEFAULTS, ...options };
  checkOptions(o);
  const list = Array.isArray(sources) ? (sources as readonly TaintSource[]) : [sources as TaintSource];
  if (list.length === 0) throw invalidInput('no taint sources: expected at least one { address }, { txId } or { txId, index }');
  const chains = new Set<ChainKey>(list.map((s) => chainOfId(sourceId(s))));
  if (chains.size > 1) throw invalidInput(`taint sources span several chains (${[...chains].join(', ')}): expected one chain per trace`);
  const chain = [...chains][0]!;
  const info = chainInfo(chain);

  // Look the sources up: one batched call per kind.
  const addressSources = [...new Set(list.filter((s): s is { address: AddressId } => 'address' in s).map((s) => s.address))];
  const txSources = list.filter((s): s is { txId: TxId } | { txId: TxId; index: number } => 'txId' in s);
  const summaries = addressSources.length > 0 ? await graph.getAddresses(addressSources) : new Map();
  for (const a of addressSources) if (!summaries.has(a)) throw notFound(`address ${a} is not in the graph`, { address: a });
  const txs: Map<TxId, Transaction> = txSources.length > 0 ? await graph.getTransactions([...new Set(txSources.map((s) => s.txId))]) : new Map();
  for (const s of txSources) {
    const tx = txs.get(s.txId);
    if (!tx) throw notFound(`transaction ${s.txId} is not in the graph`, { tx: s.txId });
    if ('index' in s && !tx.outputs.some((out) => out.index === s.index)) {
      throw notFound(`transaction ${s.txId} has no output ${s.index} (outputs: ${tx.outputs.map((out) => out.index).join(', ') || 'none'})`, { tx: s.txId });
    }
  }

  const firstOutput = txSources.find((s): s is { txId: TxId; index: number } => 'index' in s);
  const asset: AssetId =
    info.kind === 'utxo'
      ? info.nativeAsset
      : (o.asset ?? (firstOutput ? txs.get(firstOutput.txId)!.outputs.find((out) => out.index === firstOutput.index)!.asset : info.nativeAsset));
  if (info.kind === 'utxo' && o.asset !== undefined && o.asset !== info.nativeAsset) {
    throw invalidInput(`invalid asset ${JSON.stringify(o.asset)} for ${chain}: a UTXO chain has only ${info.nativeAsset}`);
  }

  const state = new TaintState(o.minAmount);
  for (const s of txSources) {
    const tx = txs.get(s.txId)!;
    if (tx.status === 'failed') continue;
    for (const out of tx.outputs) {
      if ('index' in s && out.index !== s.index) continue;
      if (out.asset !== asset || out.value === 0n) continue;
      state.seed({ txId: tx.id, index: out.index, address: out.address, value: out.value });
    }
  }
  if (addressSources.length > 0) {
    const flows = await graph.getFlows(addressSources, { side: 'output' });
    for (const a of addressSources) {
      for (const f of flows.get(a) ?? []) {
        if (f.asset !== asset || f.value === null || f.value === 0n) continue;
        state.seed({ txId: f.txId, index: f.index, address: a, value: f.value });
      }
    }
  }

  const settings = { model: o.model, direction: o.direction, maxHops: o.maxHops, maxTransactions: o.maxTransactions, stopAtCategories: o.stopAtCategories };
  try {
    if (info.kind === 'utxo') await traverseUtxo(graph, state, settings);
    else await traverseAccount(graph, state, settings, { asset, nativeAsset: info.nativeAsset, sourceAddresses: new Set(o.direction === 'forward' ? addressSources : []) });
  } catch (err) {
    if (err instanceof AriadneError) throw err;
    throw new AriadneError('INTERNAL', `taint propagation failed: ${(err as Error).message}`, {}, { cause: err });
  }
  return state.result({ model: o.model, direction: o.direction, chain, asset });
}

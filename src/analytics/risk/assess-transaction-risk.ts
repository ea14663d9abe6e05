/**
 * assessTransactionRisk: gathers a transaction's risk features (the scores of its input and output
 * addresses, the value it moved, whether it is a peel-chain hop) and scores it (score-transaction-risk.ts).
 *
 * - Address scores: assessAddressRisk for each distinct input and output address (at most maxAddresses,
 *   else LIMIT_EXCEEDED), or `deps.scoreAddress` when the caller has them cached.
 * - Amount: the value moved to addresses that are not inputs of the transaction (change excluded), in the
 *   native asset; on account chains, when no native value moved, the asset of the first token transfer.
 * - Peel chain: UTXO transactions shaped like a hop are followed with detectPeelChains (extended backward);
 *   a member is a hop of a chain of at least minLength hops.
 */
import { limitExceeded, notFound } from '../../errors.js';
import type { AddressId, TxId } from '../../model/address.js';
import { chainInfo } from '../../model/chain.js';
import type { AssetId, Transaction } from '../../model/transaction.js';
import type { GraphReader } from '../../store/graph-store.js';
import { detectPeelChains as defaultDetectPeelChains } from '../peel-chain/detect-peel-chains.js';
import { classifyPeelHop, peelOptions } from '../peel-chain/peel-hop.js';
import { assessAddressRisk, type AddressRiskDeps, type AssessAddressOptions } from './assess-address-risk.js';
import type { RiskScore } from './combine-factors.js';
import { DEFAULT_RISK_CONFIG, type RiskConfig } from './risk-config.js';
import type { TransactionRiskFeatures } from './risk-features.js';
import { scoreTransactionRisk } from './score-transaction-risk.js';

export interface TransactionRiskDeps extends AddressRiskDeps {
  /** Score of an address (0..100) from a cache; default: assessAddressRisk. */
  scoreAddress?: (address: AddressId) => Promise<number>;
}

export interface AssessTransactionOptions {
  config: RiskConfig;
  /** Most distinct addresses scored (default 20). */
  maxAddresses: number;
  /** Options of assessAddressRisk for each address (its `config` is this one's). */
  address: Partial<Omit<AssessAddressOptions, 'config'>>;
}

export const DEFAULTS: AssessTransactionOptions = { config: DEFAULT_RISK_CONFIG, maxAddresses: 20, address: {} };

export interface TransactionRiskAssessment extends RiskScore {
  txId: TxId;
  features: TransactionRiskFeatures;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The value a transaction moved to others and its asset (see the banner). Exact base units. */
export function movedAmount(tx: Transaction): { amount: bigint; asset: AssetId } {
  const info = chainInfo(tx.chain);
  if (tx.status === 'failed') return { amount: 0n, asset: info.nativeAsset };
  if (info.kind === 'utxo') {
    const senders = new Set(tx.inputs.map((i) => i.address).filter((a): a is AddressId => a !== null));
    const amount = tx.outputs.filter((o) => o.address !== null && !senders.has(o.address)).reduce((s, o) => s + o.value, 0n);
    return { amount, asset: info.nativeAsset };
  }
  const byAsset = new Map<AssetId, bigint>();
  for (const input of [...tx.inputs].sort((a, b) => a.index - b.index)) {
    const o = tx.outputs.find((x) => x.index === input.index);
    if (!o || !o.address || input.address === o.address) continue;
    byAsset.set(o.asset, (byAsset.get(o.asset) ?? 0n) + o.value);
  }
  const native = byAsset.get(info.nativeAsset);
  if (native !== undefined && native > 0n) return { amount: native, asset: info.nativeAsset };
  const first = [...byAsset.entries()].find(([, v]) => v > 0n);
  return first ? { amount: first[1], asset: first[0] } : { amount: 0n, asset: info.nativeAsset };
}

/**
 * Gathers the features of transaction `txId` and scores it. Errors: NOT_FOUND (unknown transaction),
 * LIMIT_EXCEEDED (more than maxAddresses distinct addresses), and those of assessAddressRisk.
 */
export async function assessTransactionRisk(
  graph: GraphReader,
  txId: TxId,
  deps: TransactionRiskDeps = {},
  options: Partial<AssessTransactionOptions> = {},
): Promise<TransactionRiskAssessment> {
  const o: AssessTransactionOptions = { ...DEFAULTS, ...options };
  const tx = (await graph.getTransactions([txId])).get(txId);
  if (!tx) throw notFound(`transaction ${txId} is not in the store`, { tx: txId });
  const inputs = [...new Set(tx.inputs.map((i) => i.address).filter((a): a is AddressId => a !== null))].sort(cmp);
  const outputs = [...new Set(tx.outputs.map((x) => x.address).filter((a): a is AddressId => a !== null))].sort(cmp);
  const distinct = [...new Set([...inputs, ...outputs])].sort(cmp);
  if (distinct.length > o.maxAddresses) {
    throw limitExceeded(`transaction ${txId} has ${distinct.length} distinct addresses, more than maxAddresses ${o.maxAddresses}`, { tx: txId, limit: o.maxAddresses });
  }
  const scores = new Map<AddressId, number>();
  for (const a of distinct) {
    scores.set(a, deps.scoreAddress ? await deps.scoreAddress(a) : (await assessAddressRisk(graph, a, deps, { ...o.address, config: o.config })).score);
  }

  let peelChain: TransactionRiskFeatures['peelChain'] = null;
  if (chainInfo(tx.chain).kind === 'utxo') {
    const opts = peelOptions({ ...o.address.peel, extendBackward: true, onBudget: 'truncate' });
    peelChain = { member: false, chainLength: 0 };
    if (classifyPeelHop(tx, opts)) {
      const r = await (deps.detectPeelChains ?? defaultDetectPeelChains)(graph, { txId }, opts);
      const chain = r.chains.find((c) => c.hops.some((h) => h.txId === txId));
      if (chain) peelChain = { member: true, chainLength: chain.length };
    }
  }

  const { amount, asset } = movedAmount(tx);
  const features: TransactionRiskFeatures = {
    txId,
    inputs: inputs.map((address) => ({ address, score: scores.get(address)! })),
    outputs: outputs.map((address) => ({ address, score: scores.get(address)! })),
    amount,
    asset,
    peelChain,
  };
  return { txId, ...scoreTransactionRisk(features, o.config), features };
}

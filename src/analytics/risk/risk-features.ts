/**
 * The features the risk scores read: plain data, gathered from the graph by assess-address-risk.ts and
 * assess-transaction-risk.ts, or built by hand in tests. `null` means "not assessed" (the analytic was not
 * run or could not say); a not-assessed feature adds nothing and its factor says so.
 *
 * Units: shares in basis points (0..10,000); hops and counts are integers; amounts are bigint base units.
 */
import { invalidInput } from '../../errors.js';
import type { AddressId, TxId } from '../../model/address.js';
import { CATEGORIES, type Category } from '../../model/label.js';
import type { AssetId } from '../../model/transaction.js';

export interface NearestLabelled {
  /** Hops to the nearest address carrying the category (0: the address itself carries it). */
  hops: number;
  /** That address, and one of its labels, for the explanation. */
  address?: AddressId;
  label?: string;
}

export interface ExposureShare {
  /** Share of value exchanged with addresses of the category as immediate counterparties, bps. */
  directBps: number;
  /** Share reaching them through unlabelled intermediaries, bps. */
  indirectBps: number;
}

export interface PeelChainFeature {
  /** 'operator': spends or receives the change of a hop; 'recipient': only received a peel. */
  role: 'none' | 'operator' | 'recipient';
  /** Hops of the longest chain the address takes part in (0 when none). */
  chainLength: number;
  startTxId?: TxId;
}

export interface BehaviourFeatures {
  /** Distinct transactions examined. */
  transactions: number;
  /** Distinct addresses that paid it. */
  fanIn: number;
  /** Distinct addresses it paid. */
  fanOut: number;
  /** Native-asset payments to or from other addresses. */
  payments: number;
  /** Of those, payments of a round amount. */
  roundPayments: number;
  /** Goh-Barabasi burstiness of the times between its transactions, in [-1, 1]; null below 3 transactions. */
  burstiness: number | null;
  /** Only the most recent transactions were examined (work budget). */
  truncated?: boolean;
}

export interface CentralityFeatures {
  /** Normalized directed betweenness in the address's neighbourhood, [0, 1]. */
  betweenness: number;
  /** Local clustering coefficient there, [0, 1]. */
  clustering: number;
  /** PageRank x nodes: 1 is a uniform share. */
  pagerankRatio: number;
  /** Addresses in the neighbourhood. */
  nodes: number;
}

export interface AddressRiskFeatures {
  address?: AddressId;
  /** Per exposure category: the nearest labelled address, null when none is within reach; absent: not assessed. */
  nearest: Partial<Record<Category, NearestLabelled | null>>;
  /** Per exposure category; absent: not assessed (or none). */
  exposure: Partial<Record<Category, ExposureShare>>;
  /** Share of received value traced back to taint-source labels, bps. */
  taintBps: number | null;
  peelChain: PeelChainFeature | null;
  /** Label categories of the address's cluster (its own labels included). */
  clusterCategories: Category[] | null;
  /** Cluster the categories come from, for the explanation. */
  cluster?: { id: string; size: number };
  behaviour: BehaviourFeatures | null;
  metrics: CentralityFeatures | null;
}

export interface ScoredParty {
  address: AddressId;
  /** The address's risk score, 0..100. */
  score: number;
}

export interface TransactionRiskFeatures {
  txId?: TxId;
  inputs: ScoredParty[];
  outputs: ScoredParty[];
  /** Value moved to addresses other than the inputs (change excluded), base units of `asset`. */
  amount: bigint;
  asset: AssetId;
  /** The transaction is a hop of a peel chain of this many hops; null: not assessed. */
  peelChain: { member: boolean; chainLength: number } | null;
}

const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

function need(ok: boolean, path: string, expected: string, got: unknown): void {
  if (!ok) throw invalidInput(`invalid risk feature ${path}: expected ${expected}, got ${JSON.stringify(got, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`);
}

/** Checks address features; throws INVALID_INPUT naming the first bad one. */
export function checkAddressFeatures(f: AddressRiskFeatures): void {
  need(typeof f === 'object' && f !== null, 'features', 'an object', f);
  need(typeof f.nearest === 'object' && f.nearest !== null, 'nearest', 'an object keyed by category', f.nearest);
  for (const [cat, n] of Object.entries(f.nearest)) {
    need((CATEGORIES as readonly string[]).includes(cat), `nearest.${cat}`, 'a known category', cat);
    if (n !== null) need(isInt(n?.hops, 0, 1_000), `nearest.${cat}.hops`, 'an integer >= 0', n?.hops);
  }
  need(typeof f.exposure === 'object' && f.exposure !== null, 'exposure', 'an object keyed by category', f.exposure);
  for (const [cat, s] of Object.entries(f.exposure)) {
    need((CATEGORIES as readonly string[]).includes(cat), `exposure.${cat}`, 'a known category', cat);
    need(isInt(s?.directBps, 0, 10_000), `exposure.${cat}.directBps`, 'an integer in 0..10000', s?.directBps);
    need(isInt(s?.indirectBps, 0, 10_000), `exposure.${cat}.indirectBps`, 'an integer in 0..10000', s?.indirectBps);
  }
  if (f.taintBps !== null) need(isInt(f.taintBps, 0, 10_000), 'taintBps', 'an integer in 0..10000 or null', f.taintBps);
  if (f.peelChain !== null) {
    need(['none', 'operator', 'recipient'].includes(f.peelChain?.role as string), 'peelChain.role', '"none", "operator" or "recipient"', f.peelChain?.role);
    need(isInt(f.peelChain.chainLength, 0, Number.MAX_SAFE_INTEGER), 'peelChain.chainLength', 'an integer >= 0', f.peelChain.chainLength);
  }
  if (f.clusterCategories !== null) {
    need(Array.isArray(f.clusterCategories), 'clusterCategories', 'an array of categories or null', f.clusterCategories);
    for (const c of f.clusterCategories) need((CATEGORIES as readonly string[]).includes(c), 'clusterCategories', `categories among ${CATEGORIES.join(', ')}`, c);
  }
  if (f.behaviour !== null) {
    const b = f.behaviour;
    for (const k of ['transactions', 'fanIn', 'fanOut', 'payments', 'roundPayments'] as const) {
      need(isInt(b?.[k], 0, Number.MAX_SAFE_INTEGER), `behaviour.${k}`, 'an integer >= 0', b?.[k]);
    }
    need(b.roundPayments <= b.payments, 'behaviour.roundPayments', `at most payments (${b.payments})`, b.roundPayments);
    if (b.burstiness !== null) need(typeof b.burstiness === 'number' && b.burstiness >= -1 && b.burstiness <= 1, 'behaviour.burstiness', 'a number in [-1, 1] or null', b.burstiness);
  }
  if (f.metrics !== null) {
    const m = f.metrics;
    for (const k of ['betweenness', 'clustering'] as const) {
      need(typeof m?.[k] === 'number' && m[k] >= 0 && m[k] <= 1, `metrics.${k}`, 'a number in [0, 1]', m?.[k]);
    }
    need(typeof m.pagerankRatio === 'number' && Number.isFinite(m.pagerankRatio) && m.pagerankRatio >= 0, 'metrics.pagerankRatio', 'a finite number >= 0', m.pagerankRatio);
  }
}

/** Checks transaction features; throws INVALID_INPUT naming the first bad one. */
export function checkTransactionFeatures(f: TransactionRiskFeatures): void {
  need(typeof f === 'object' && f !== null, 'features', 'an object', f);
  for (const side of ['inputs', 'outputs'] as const) {
    need(Array.isArray(f[side]), side, 'an array of { address, score }', f[side]);
    f[side].forEach((p, i) => need(isInt(p?.score, 0, 100), `${side}[${i}].score`, 'an integer in 0..100', p?.score));
  }
  need(typeof f.amount === 'bigint' && f.amount >= 0n, 'amount', 'a bigint >= 0 in base units', f.amount);
  need(typeof f.asset === 'string' && f.asset.length > 0, 'asset', 'an asset id such as "BTC"', f.asset);
  if (f.peelChain !== null) need(typeof f.peelChain?.member === 'boolean', 'peelChain.member', 'a boolean', f.peelChain?.member);
}

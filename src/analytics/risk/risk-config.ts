/**
 * Risk configuration: decision bands and factor weights as data (config/risk.json), validated on load.
 *
 * Units: weights are whole points out of 100 that a factor adds at full signal; signals and shares are
 * basis points (bps, 0..10,000); amounts are bigint base units written as decimal strings in the file.
 * The meaning of every number and why it has its default value: docs/analytics.md, "Risk score".
 *
 * Validation refuses, with a message naming the key, what it expected and what it got: unknown keys
 * (keys starting with "$" are comments and ignored), missing weights, bands out of order, a hop table that
 * grows with distance, unknown categories, and a configuration under which a direct (1-hop) sanctioned
 * counterparty would not reach the reject band on its own.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AriadneError, invalidInput } from '../../errors.js';
import { parseAmount } from '../../model/amount.js';
import { CATEGORIES, type Category } from '../../model/label.js';
import type { AssetId } from '../../model/transaction.js';

export interface RiskBands {
  /** Scores 0..approveMax: approve. */
  approveMax: number;
  /** Scores approveMax+1..reviewMax: review; above: reject. */
  reviewMax: number;
  /** Scores sarMin..100 also file a SAR (sarMin > reviewMax: only rejected subjects). */
  sarMin: number;
}

/** Factor names of the address score that do not depend on the exposure categories, in listing order. */
export const ADDRESS_BASE_FACTORS = [
  'taint',
  'peel_chain',
  'cluster_labels',
  'fan_in',
  'fan_out',
  'round_amounts',
  'burstiness',
  'intermediary',
  'flow_sink',
] as const;

export const TRANSACTION_FACTORS = ['input_address_risk', 'output_address_risk', 'peel_chain', 'large_amount'] as const;
export type TransactionFactorName = (typeof TRANSACTION_FACTORS)[number];

export interface RiskConfig {
  version: 1;
  bands: RiskBands;
  /** Signal of a labelled address at h hops (index h; 0 = the address itself); beyond the table: 0. */
  hopSignalBps: number[];
  /** How much an indirect exposure share counts relative to a direct one, in bps (5000 = half). */
  indirectExposureBps: number;
  address: {
    /** Each category c gets two factors: `c_proximity` (hops) and `c_exposure` (value share). */
    exposureCategories: Category[];
    /** Labels whose funds taint: the taint share is the part of received value traced back to them. */
    taintCategories: Category[];
    /** Severity of a cluster label category, bps; absent categories are 0. */
    categorySeverityBps: Partial<Record<Category, number>>;
    /** Peel-chain signal of an address that only received a peel (an operator gets 10000). */
    peelRecipientBps: number;
    /** Distinct counterparties: signal 0 at or below `low`, 10000 at or above `high`, linear between. */
    fan: { low: number; high: number };
    /** A payment is round when it is a multiple of 10^(decimals - decimalsKept) base units. */
    roundAmounts: { decimalsKept: number; minPayments: number };
    burstiness: { minTransactions: number };
    /** PageRank ratio (x uniform): signal 0 at or below 1, 10000 at or above `highRatio`. */
    flowSink: { highRatio: number };
    weights: Record<string, number>;
  };
  transaction: {
    weights: Record<TransactionFactorName, number>;
    /** Per asset: signal 0 at or below `from`, 10000 at or above `to` (base units), linear between. */
    largeAmount: Record<AssetId, { from: bigint; to: bigint }>;
  };
}

/** The address factor names a configuration defines, in listing order (also the tie-break order). */
export function addressFactorNames(config: Pick<RiskConfig, 'address'>): string[] {
  return [...config.address.exposureCategories.flatMap((c) => [`${c}_proximity`, `${c}_exposure`]), ...ADDRESS_BASE_FACTORS];
}

/** The file the service reads: config/risk.json at the repository root. */
export const DEFAULT_RISK_CONFIG_FILE = fileURLToPath(new URL('../../../config/risk.json', import.meta.url));

// ----------------------------------------------------------------------------------------------------------
// Validation

type Json = Record<string, unknown>;

class Checker {
  constructor(private readonly source: string) {}

  fail(path: string, expected: string, got: unknown): never {
    throw invalidInput(`risk config ${path}: expected ${expected}, got ${describe(got)}`, { file: this.source });
  }

  object(value: unknown, path: string, keys: readonly string[], optional: readonly string[] = []): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, 'an object', value);
    const obj = value as Json;
    for (const k of Object.keys(obj)) {
      if (k.startsWith('$')) continue;
      if (!keys.includes(k) && !optional.includes(k)) this.fail(`${path}.${k}`, `no such key (known keys: ${[...keys, ...optional].join(', ')})`, obj[k]);
    }
    for (const k of keys) if (!(k in obj)) this.fail(`${path}.${k}`, 'a value (the key is missing)', undefined);
    return obj;
  }

  int(value: unknown, path: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) this.fail(path, `an integer between ${min} and ${max}`, value);
    return value;
  }

  number(value: unknown, path: string, minExclusive: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= minExclusive) this.fail(path, `a number above ${minExclusive}`, value);
    return value;
  }

  categories(value: unknown, path: string): Category[] {
    if (!Array.isArray(value)) this.fail(path, 'an array of categories', value);
    const list = (value as unknown[]).map((c, i) => this.category(c, `${path}[${i}]`));
    if (new Set(list).size !== list.length) this.fail(path, 'distinct categories', value);
    return list;
  }

  category(value: unknown, path: string): Category {
    if (typeof value !== 'string' || !(CATEGORIES as readonly string[]).includes(value)) this.fail(path, `one of ${CATEGORIES.join(', ')}`, value);
    return value as Category;
  }

  amount(value: unknown, path: string): bigint {
    if (typeof value !== 'string') this.fail(path, 'a non-negative integer in base units as a decimal string', value);
    try {
      return parseAmount(value as string, path);
    } catch {
      return this.fail(path, 'a non-negative integer in base units as a decimal string', value);
    }
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

/**
 * Validates a parsed config/risk.json and returns the typed configuration. `source` names the file in
 * error messages. Throws INVALID_INPUT naming the first problem.
 */
export function parseRiskConfig(json: unknown, source = 'config/risk.json'): RiskConfig {
  const c = new Checker(source);
  const root = c.object(json, '$', ['version', 'bands', 'hopSignalBps', 'indirectExposureBps', 'address', 'transaction']);
  if (root.version !== 1) c.fail('version', '1', root.version);

  const b = c.object(root.bands, 'bands', ['approveMax', 'reviewMax', 'sarMin']);
  const approveMax = c.int(b.approveMax, 'bands.approveMax', 0, 98);
  const reviewMax = c.int(b.reviewMax, 'bands.reviewMax', approveMax + 1, 99);
  const sarMin = c.int(b.sarMin, 'bands.sarMin', reviewMax + 1, 100);

  if (!Array.isArray(root.hopSignalBps) || root.hopSignalBps.length === 0 || root.hopSignalBps.length > 11) {
    c.fail('hopSignalBps', 'an array of 1 to 11 signals (index = hops, 0 to 10)', root.hopSignalBps);
  }
  const hopSignalBps = (root.hopSignalBps as unknown[]).map((v, i) => c.int(v, `hopSignalBps[${i}]`, 0, 10_000));
  hopSignalBps.forEach((v, i) => {
    if (i > 0 && v > hopSignalBps[i - 1]!) c.fail(`hopSignalBps[${i}]`, `a signal no larger than at ${i - 1} hops (${hopSignalBps[i - 1]}): nearer is never safer`, v);
  });
  const indirectExposureBps = c.int(root.indirectExposureBps, 'indirectExposureBps', 0, 10_000);

  const a = c.object(root.address, 'address', [
    'exposureCategories',
    'taintCategories',
    'categorySeverityBps',
    'peelRecipientBps',
    'fan',
    'roundAmounts',
    'burstiness',
    'flowSink',
    'weights',
  ]);
  const exposureCategories = c.categories(a.exposureCategories, 'address.exposureCategories');
  if (!exposureCategories.includes('sanctioned')) c.fail('address.exposureCategories', 'a list that includes "sanctioned"', a.exposureCategories);
  const taintCategories = c.categories(a.taintCategories, 'address.taintCategories');
  const sev = c.object(a.categorySeverityBps, 'address.categorySeverityBps', [], CATEGORIES);
  const categorySeverityBps: Partial<Record<Category, number>> = {};
  for (const [k, v] of Object.entries(sev)) if (!k.startsWith('$')) categorySeverityBps[k as Category] = c.int(v, `address.categorySeverityBps.${k}`, 0, 10_000);
  const peelRecipientBps = c.int(a.peelRecipientBps, 'address.peelRecipientBps', 0, 10_000);
  const fan = c.object(a.fan, 'address.fan', ['low', 'high']);
  const fanLow = c.int(fan.low, 'address.fan.low', 0, 1_000_000_000);
  const fanHigh = c.int(fan.high, 'address.fan.high', fanLow + 1, 1_000_000_000);
  const round = c.object(a.roundAmounts, 'address.roundAmounts', ['decimalsKept', 'minPayments']);
  const decimalsKept = c.int(round.decimalsKept, 'address.roundAmounts.decimalsKept', 0, 18);
  const minPayments = c.int(round.minPayments, 'address.roundAmounts.minPayments', 1, 1_000_000);
  const burst = c.object(a.burstiness, 'address.burstiness', ['minTransactions']);
  const minTransactions = c.int(burst.minTransactions, 'address.burstiness.minTransactions', 3, 1_000_000);
  const sink = c.object(a.flowSink, 'address.flowSink', ['highRatio']);
  const highRatio = c.number(sink.highRatio, 'address.flowSink.highRatio', 1);

  const names = addressFactorNames({ address: { exposureCategories } as RiskConfig['address'] });
  const w = c.object(a.weights, 'address.weights', names);
  const weights: Record<string, number> = {};
  for (const n of names) weights[n] = c.int(w[n], `address.weights.${n}`, 0, 100);

  // A direct sanctioned counterparty (and the sanctioned address itself) must land in the reject band alone.
  const direct = Math.floor((weights.sanctioned_proximity! * Math.min(hopSignalBps[0]!, hopSignalBps[1] ?? 0)) / 10_000);
  if (direct <= reviewMax) {
    c.fail(
      'address.weights.sanctioned_proximity',
      `a weight that takes a 1-hop sanctioned counterparty above bands.reviewMax (${reviewMax}) on its own; with hopSignalBps[1] = ${hopSignalBps[1] ?? 0} it scores ${direct}`,
      weights.sanctioned_proximity,
    );
  }

  const t = c.object(root.transaction, 'transaction', ['weights', 'largeAmount']);
  const tw = c.object(t.weights, 'transaction.weights', TRANSACTION_FACTORS);
  const txWeights = {} as Record<TransactionFactorName, number>;
  for (const n of TRANSACTION_FACTORS) txWeights[n] = c.int(tw[n], `transaction.weights.${n}`, 0, 100);
  if (txWeights.input_address_risk !== 100 || txWeights.output_address_risk !== 100) {
    // The transaction inherits its addresses' scores point for point: a rejected address makes a rejected transaction.
    c.fail('transaction.weights.input_address_risk/output_address_risk', '100 each (a transaction inherits its addresses\' scores)', [txWeights.input_address_risk, txWeights.output_address_risk]);
  }
  const la = c.object(t.largeAmount, 'transaction.largeAmount', [], Object.keys(t.largeAmount as Json));
  const largeAmount: Record<AssetId, { from: bigint; to: bigint }> = {};
  for (const [asset, v] of Object.entries(la)) {
    if (asset.startsWith('$')) continue;
    const r = c.object(v, `transaction.largeAmount.${asset}`, ['from', 'to']);
    const from = c.amount(r.from, `transaction.largeAmount.${asset}.from`);
    const to = c.amount(r.to, `transaction.largeAmount.${asset}.to`);
    if (to <= from) c.fail(`transaction.largeAmount.${asset}.to`, `an amount above "from" (${from})`, r.to);
    largeAmount[asset] = { from, to };
  }

  return {
    version: 1,
    bands: { approveMax, reviewMax, sarMin },
    hopSignalBps,
    indirectExposureBps,
    address: {
      exposureCategories,
      taintCategories,
      categorySeverityBps,
      peelRecipientBps,
      fan: { low: fanLow, high: fanHigh },
      roundAmounts: { decimalsKept, minPayments },
      burstiness: { minTransactions },
      flowSink: { highRatio },
      weights,
    },
    transaction: { weights: txWeights, largeAmount },
  };
}

/** Reads and validates a risk configuration file (default config/risk.json). Errors: INVALID_INPUT with the file. */
export async function loadRiskConfig(file: string = DEFAULT_RISK_CONFIG_FILE): Promise<RiskConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw invalidInput(`cannot read risk config: ${(err as Error).message}`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalidInput(`risk config is not valid JSON: ${(err as Error).message}`, { file });
  }
  try {
    return parseRiskConfig(json, file);
  } catch (err) {
    throw err instanceof AriadneError ? err.withContext({ file }) : err;
  }
}

/**
 * The defaults, identical to config/risk.json (a test holds them equal), so that pure scoring needs no
 * file. The service should still load the file: that is where operators change them.
 */
export const DEFAULT_RISK_CONFIG: RiskConfig = parseRiskConfig({
  version: 1,
  bands: { approveMax: 30, reviewMax: 70, sarMin: 85 },
  hopSignalBps: [10_000, 10_000, 5_000, 2_500, 1_250],
  indirectExposureBps: 5_000,
  address: {
    exposureCategories: ['sanctioned', 'mixer', 'darknet'],
    taintCategories: ['sanctioned', 'terrorism', 'ransomware', 'darknet', 'hack', 'scam', 'fraud'],
    categorySeverityBps: { sanctioned: 10_000, terrorism: 10_000, ransomware: 9_000, darknet: 8_000, hack: 7_000, mixer: 6_000, scam: 6_000, fraud: 6_000, gambling: 2_000 },
    peelRecipientBps: 3_000,
    fan: { low: 10, high: 100 },
    roundAmounts: { decimalsKept: 2, minPayments: 5 },
    burstiness: { minTransactions: 5 },
    flowSink: { highRatio: 5 },
    weights: {
      sanctioned_proximity: 75,
      sanctioned_exposure: 25,
      mixer_proximity: 30,
      mixer_exposure: 20,
      darknet_proximity: 35,
      darknet_exposure: 25,
      taint: 20,
      peel_chain: 10,
      cluster_labels: 90,
      fan_in: 5,
      fan_out: 5,
      round_amounts: 5,
      burstiness: 5,
      intermediary: 5,
      flow_sink: 3,
    },
  },
  transaction: {
    weights: { input_address_risk: 100, output_address_risk: 100, peel_chain: 10, large_amount: 10 },
    largeAmount: {
      BTC: { from: '100000000', to: '10000000000' },
      ETH: { from: '10000000000000000000', to: '1000000000000000000000' },
    },
  },
}, 'DEFAULT_RISK_CONFIG');

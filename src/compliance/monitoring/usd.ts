/**
 * Exact USD equivalents. A price is "USD per whole unit" as a decimal string ("100000", "3012.45"); an
 * amount stays in base units (bigint). A USD value is the exact fraction num / den: no floating point, so a
 * 9,999.999 USD transfer is below a 10,000 USD threshold and 10,000.000 is at it. Values are rounded only
 * for display (formatUsd, down to the cent).
 */
import { invalidInput } from '../../errors.js';
import { isChainKey, nativeAssetDecimals } from '../../model/chain.js';

/** An exact non-negative USD amount num / den (den > 0). */
export interface Usd {
  num: bigint;
  den: bigint;
}

const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

export const ZERO_USD: Usd = { num: 0n, den: 1n };

/** Parses a non-negative decimal ("10000", "0.5", "3012.45"). Throws INVALID_INPUT naming `what`. */
export function parseUsd(text: string, what = 'USD amount'): Usd {
  const m = typeof text === 'string' ? DECIMAL.exec(text.trim()) : null;
  if (!m) throw invalidInput(`invalid ${what}: expected a non-negative decimal such as "10000" or "0.25", got ${JSON.stringify(text)}`);
  const frac = m[2] ?? '';
  return reduce({ num: BigInt(m[1]! + frac), den: 10n ** BigInt(frac.length) });
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

function reduce(u: Usd): Usd {
  const g = gcd(u.num, u.den);
  return g > 1n ? { num: u.num / g, den: u.den / g } : u;
}

export function addUsd(a: Usd, b: Usd): Usd {
  return reduce({ num: a.num * b.den + b.num * a.den, den: a.den * b.den });
}

export function sumUsd(values: Iterable<Usd>): Usd {
  let t = ZERO_USD;
  for (const v of values) t = addUsd(t, v);
  return t;
}

/** a * p / q for integers p >= 0, q > 0 (percentages, period scaling). */
export function scaleUsd(a: Usd, p: bigint, q: bigint): Usd {
  return reduce({ num: a.num * p, den: a.den * q });
}

/** -1, 0 or 1. */
export function compareUsd(a: Usd, b: Usd): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Rounded down to `decimals` places (default 2): display only. */
export function formatUsd(a: Usd, decimals = 2): string {
  const scale = 10n ** BigInt(decimals);
  const scaled = (a.num * scale) / a.den;
  const whole = scaled / scale;
  if (decimals === 0) return whole.toString();
  return `${whole}.${(scaled % scale).toString().padStart(decimals, '0')}`;
}

export interface AssetPrice {
  /** USD per whole unit. */
  usd: Usd;
  /** Decimals of the base unit (8 for BTC, 18 for ETH). */
  decimals: number;
}

export interface PriceTable {
  /** When the prices were taken (free text, usually a date). */
  asOf: string;
  prices: ReadonlyMap<string, AssetPrice>;
}

/**
 * Parses `{ asOf, usdPerUnit: { BTC: "100000", ETH: "3000", "eth:0xdAC1...": { usd: "1", decimals: 6 } } }`.
 * A plain string is the price of a native asset (BTC 8 decimals; ETH and other EVM natives 18); a token
 * needs its decimals. Throws INVALID_INPUT naming the asset.
 */
export function parsePriceTable(json: unknown): PriceTable {
  const raw = json as { asOf?: unknown; usdPerUnit?: unknown };
  if (!raw || typeof raw !== 'object' || !raw.usdPerUnit || typeof raw.usdPerUnit !== 'object') {
    throw invalidInput('price table: expected {"asOf": "...", "usdPerUnit": {"BTC": "100000", ...}}');
  }
  const prices = new Map<string, AssetPrice>();
  for (const [asset, entry] of Object.entries(raw.usdPerUnit as Record<string, unknown>)) {
    if (typeof entry === 'string') {
      prices.set(asset, { usd: parseUsd(entry, `price of ${asset}`), decimals: nativeDecimals(asset) });
      continue;
    }
    const e = entry as { usd?: unknown; decimals?: unknown };
    if (!e || typeof e !== 'object' || typeof e.usd !== 'string' || typeof e.decimals !== 'number' || !Number.isInteger(e.decimals) || e.decimals < 0 || e.decimals > 36) {
      throw invalidInput(`price of ${asset}: expected a decimal string, or {"usd": "<decimal>", "decimals": <0..36>} for a token, got ${JSON.stringify(entry)}`);
    }
    prices.set(asset, { usd: parseUsd(e.usd, `price of ${asset}`), decimals: e.decimals });
  }
  return { asOf: typeof raw.asOf === 'string' ? raw.asOf : '', prices };
}

function nativeDecimals(asset: string): number {
  const decimals = nativeAssetDecimals(asset);
  if (decimals !== null) return decimals;
  const colon = asset.indexOf(':');
  if (colon > 0 && isChainKey(asset.slice(0, colon))) {
    throw invalidInput(`price of token ${asset}: expected {"usd": "<decimal>", "decimals": <n>} (a token needs its decimals)`);
  }
  throw invalidInput(`price of ${asset}: unknown native asset; give {"usd": "<decimal>", "decimals": <n>}`);
}

/** The exact USD value of `value` base units of `asset`, or null when the table has no price for it. */
export function usdValue(table: PriceTable, asset: string, value: bigint): Usd | null {
  const p = table.prices.get(asset);
  if (!p) return null;
  return reduce({ num: value * p.usd.num, den: p.usd.den * 10n ** BigInt(p.decimals) });
}

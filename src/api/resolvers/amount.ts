/** Maps bigint amounts and exact fractions to the API's Amount and Fraction types. */
import { formatUnits } from '../../model/amount.js';
import { chainInfo, isChainKey } from '../../model/chain.js';

export interface AmountView {
  value: bigint;
  asset: string;
  unit: string;
  decimals: number | null;
  formatted: string | null;
}

const NATIVE_DECIMALS: Record<string, number> = { BTC: 8, ETH: 18, ETC: 18, BNB: 18, POL: 18, AVAX: 18, NATIVE: 18 };

/** The base unit an asset's amounts count: sat for BTC, wei for EVM native assets, token-unit for tokens. */
export function unitOf(asset: string): string {
  if (asset === 'BTC') return 'sat';
  if (NATIVE_DECIMALS[asset] !== undefined) return 'wei';
  return 'token-unit';
}

export function amountView(value: bigint, asset: string): AmountView {
  const decimals = NATIVE_DECIMALS[asset] ?? null;
  return { value, asset, unit: unitOf(asset), decimals, formatted: decimals === null ? null : formatUnits(value, decimals) };
}

export function nativeAsset(chain: string): string {
  return isChainKey(chain) ? chainInfo(chain).nativeAsset : 'NATIVE';
}

export interface FractionView {
  numerator: bigint;
  denominator: bigint;
}

export const fractionView = (r: { num: bigint; den: bigint }): FractionView => ({ numerator: r.num, denominator: r.den });

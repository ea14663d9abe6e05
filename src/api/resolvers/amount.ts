/** Maps bigint amounts and exact fractions to the API's Amount and Fraction types. */
import { formatUnits } from '../../model/amount.js';
import { chainInfo, isChainKey, nativeAssetDecimals } from '../../model/chain.js';

export interface AmountView {
  value: bigint;
  asset: string;
  unit: string;
  decimals: number | null;
  formatted: string | null;
}

/** The base unit an asset's amounts count: sat for BTC, wei for EVM native assets, token-unit for tokens. */
export function unitOf(asset: string): string {
  if (asset === 'BTC') return 'sat';
  if (nativeAssetDecimals(asset) !== null) return 'wei';
  return 'token-unit';
}

export function amountView(value: bigint, asset: string): AmountView {
  const decimals = nativeAssetDecimals(asset);
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

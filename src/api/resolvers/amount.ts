/** Maps a bigint amount to the API's Amount type, with the asset's decimals when known. */
import { formatUnits } from '../../model/amount.js';
import { chainInfo, isChainKey } from '../../model/chain.js';

export interface AmountView {
  value: bigint;
  asset: string;
  decimals: number | null;
  formatted: string | null;
}

const NATIVE_DECIMALS: Record<string, number> = { BTC: 8, ETH: 18, BNB: 18, POL: 18, AVAX: 18, NATIVE: 18 };

export function amountView(value: bigint, asset: string): AmountView {
  const decimals = NATIVE_DECIMALS[asset] ?? null;
  return { value, asset, decimals, formatted: decimals === null ? null : formatUnits(value, decimals) };
}

export function nativeAsset(chain: string): string {
  return isChainKey(chain) ? chainInfo(chain).nativeAsset : 'NATIVE';
}

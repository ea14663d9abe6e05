/**
 * Chains and their identifiers.
 *
 * A chain key prefixes every address and transaction id, so that ids never collide across chains:
 * - `btc`            Bitcoin mainnet (UTXO)
 * - `eth`            Ethereum mainnet, EVM chain id 1 (account)
 * - `evm-<chainId>`  any other EVM chain, told apart by its EIP-155 chain id (`evm-137` is Polygon PoS)
 */
import { invalidInput } from '../errors.js';

export type ChainKey = 'btc' | 'eth' | `evm-${number}`;
export type LedgerKind = 'utxo' | 'account';

export interface ChainInfo {
  key: ChainKey;
  kind: LedgerKind;
  /** Symbol of the native asset: BTC, ETH, or the EVM chain's native coin (unknown chains: `NATIVE`). */
  nativeAsset: string;
  /** Decimals of the native asset: 8 for satoshi, 18 for wei. */
  decimals: number;
  /** EIP-155 chain id, for EVM chains. */
  evmChainId?: number;
}

const NATIVE_SYMBOLS: Record<number, string> = { 1: 'ETH', 10: 'ETH', 61: 'ETC', 56: 'BNB', 137: 'POL', 8453: 'ETH', 42161: 'ETH', 43114: 'AVAX' };

export function evmChainKey(chainId: number): ChainKey {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw invalidInput(`invalid EVM chain id: expected a positive integer, got ${String(chainId)}`);
  }
  return chainId === 1 ? 'eth' : `evm-${chainId}`;
}

export function chainInfo(key: string): ChainInfo {
  if (key === 'btc') return { key: 'btc', kind: 'utxo', nativeAsset: 'BTC', decimals: 8 };
  if (key === 'eth') return { key: 'eth', kind: 'account', nativeAsset: 'ETH', decimals: 18, evmChainId: 1 };
  const m = /^evm-([1-9][0-9]{0,15})$/.exec(key);
  if (m) {
    const evmChainId = Number(m[1]);
    return { key: key as ChainKey, kind: 'account', nativeAsset: NATIVE_SYMBOLS[evmChainId] ?? 'NATIVE', decimals: 18, evmChainId };
  }
  throw invalidInput(`unknown chain "${key}": expected btc, eth, or evm-<chainId> (e.g. evm-137)`);
}

/**
 * Decimals of a native asset symbol (BTC 8; the EVM native coins 18), or null for a token id
 * (`<chain>:<contract>`) or an unknown symbol: token decimals come from token metadata, not from us.
 */
export function nativeAssetDecimals(asset: string): number | null {
  if (asset === 'BTC') return 8;
  if (asset === 'ETH' || asset === 'NATIVE' || Object.values(NATIVE_SYMBOLS).includes(asset)) return 18;
  return null;
}

export function isChainKey(key: string): key is ChainKey {
  return key === 'btc' || key === 'eth' || /^evm-[1-9][0-9]{0,15}$/.test(key);
}

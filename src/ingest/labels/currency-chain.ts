/**
 * Maps the currency code of a label list (OFAC "Digital Currency Address - XBT", a TagPack `currency` or
 * `network`) and the address itself to one of our chains, or to a reason for leaving it out.
 *
 *   XBT, BTC                 -> btc
 *   ETH                      -> eth
 *   USDT, USDC               -> by address form: 0x... -> eth (the ERC-20 tokens on Ethereum mainnet);
 *                               a Bitcoin address -> btc (USDT on the Omni Layer lives on Bitcoin
 *                               addresses); anything else (Tron T..., Solana ...) is skipped.
 *   ETC, BSC, BEP20, ARB     -> evm-61, evm-56, evm-56, evm-42161, for 0x addresses only: these codes name
 *                               one EVM chain each (Ethereum Classic, BNB Smart Chain, Arbitrum One).
 *   anything else            -> skipped (XMR, LTC, TRX, BCH, ZEC, BEP2 ...: chains we do not model;
 *                               MATIC, AVAX ...: a code that names a token on several chains is ambiguous).
 *
 * Only the form is looked at here; the address is validated when its id is built.
 */
import { type ChainKey, evmChainKey } from '../../model/chain.js';

export type CurrencyChain = { ok: true; chain: ChainKey } | { ok: false; reason: string };

/** EVM chains named by a currency code, by EIP-155 chain id. */
const EVM_CHAIN_CODES: Readonly<Record<string, number>> = { ETC: 61, BSC: 56, BEP20: 56, ARB: 42161 };
const MULTI_LEDGER_STABLECOINS = new Set(['USDT', 'USDC']);

const isEvmForm = (address: string): boolean => /^0x[0-9a-fA-F]{40}$/.test(address.trim());
const isBitcoinForm = (address: string): boolean => /^(1|3|bc1|BC1)[0-9A-Za-z]{20,90}$/.test(address.trim());

export function chainForCurrency(currency: string, address: string): CurrencyChain {
  const code = currency.trim().toUpperCase();
  if (code === 'XBT' || code === 'BTC') return { ok: true, chain: 'btc' };
  if (code === 'ETH') return { ok: true, chain: 'eth' };
  if (MULTI_LEDGER_STABLECOINS.has(code)) {
    if (isEvmForm(address)) return { ok: true, chain: 'eth' };
    if (isBitcoinForm(address)) return { ok: true, chain: 'btc' };
    return { ok: false, reason: `${code} address on a ledger we do not model (e.g. Tron)` };
  }
  const evmId = EVM_CHAIN_CODES[code];
  if (evmId !== undefined) {
    if (isEvmForm(address)) return { ok: true, chain: evmChainKey(evmId) };
    return { ok: false, reason: `${code} address that is not a 0x EVM address` };
  }
  return { ok: false, reason: `unsupported currency ${code === '' ? '(none)' : code}` };
}

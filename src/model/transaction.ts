/**
 * The one graph model for both ledger kinds (docs/data-model.md).
 *
 *   (Address) -[INPUT {index, value, asset}]-> (Transaction) -[OUTPUT {index, value, asset}]-> (Address)
 *
 * UTXO chains: one INPUT per spent outpoint, one OUTPUT per vout; `index` is vin / vout.
 * Account chains: a transaction's native transfer is INPUT index 0 (sender) and OUTPUT index 0 (recipient);
 * an ERC-20 `Transfer` log with log index k is INPUT and OUTPUT index k + 1 with `asset` = the token id.
 * Amounts are bigint base units everywhere.
 */
import type { ChainKey } from './chain.js';
import type { AddressId, TxId } from './address.js';

/** `BTC`, `ETH`, an EVM chain's native symbol, or a token id `<chain>:<checksummed contract>`. */
export type AssetId = string;

export const SCRIPT_TYPES = [
  'p2pk',
  'p2pkh',
  'p2sh',
  'p2wpkh',
  'p2wsh',
  'p2tr',
  'multisig',
  'nulldata',
  'witness_unknown',
  'nonstandard',
  'account',
] as const;
export type ScriptType = (typeof SCRIPT_TYPES)[number];

/** How an input's address became known. */
export type InputAddressSource =
  | 'prevout' // the spent output was ingested
  | 'prevouts-file' // a prevouts file or verbosity-3 JSON supplied it
  | 'script-sig' // public key in a P2PKH scriptSig
  | 'witness' // witness public key of a native P2WPKH spend
  | 'redeem-script' // P2SH redeem script (P2SH-P2WPKH included) or P2WSH witness script
  | 'account'; // account chains: the sender is explicit

export interface OutPoint {
  /** Chain-qualified id of the transaction whose output is spent. */
  txId: TxId;
  vout: number;
}

export interface TxInput {
  index: number;
  /** Null when the address cannot be known soundly yet (e.g. a P2PK spend before its prevout arrives). */
  address: AddressId | null;
  /** Null until the spent output (or a prevouts file) supplies it. */
  value: bigint | null;
  asset: AssetId;
  /** UTXO chains only. */
  spends?: OutPoint;
  addressSource?: InputAddressSource;
}

export interface TxOutput {
  index: number;
  /** Null for OP_RETURN, non-standard and bare multisig outputs: no address is invented. */
  address: AddressId | null;
  value: bigint;
  asset: AssetId;
  scriptType: ScriptType;
  /** Extra facts for outputs without an address, e.g. `{ m: 1, pubkeys: [...] }` for bare multisig. */
  detail?: Record<string, unknown>;
}

export interface Transaction {
  id: TxId;
  chain: ChainKey;
  /** Chain-native hash (txid for Bitcoin, 0x hash for EVM). */
  hash: string;
  blockHash: string;
  height: number;
  /** Block time, unix seconds. */
  time: number;
  /** Position in the block. */
  position: number;
  coinbase: boolean;
  /** Account chains: 'failed' when a receipt says status 0 (no value moved). */
  status: 'ok' | 'failed' | 'unknown';
  /** Fee in the native asset's base units; null when unknown (inputs not yet resolved, no receipt). */
  fee: bigint | null;
  inputs: TxInput[];
  outputs: TxOutput[];
}

export interface Block {
  chain: ChainKey;
  height: number;
  hash: string;
  /** Unix seconds. */
  time: number;
  transactions: Transaction[];
}

/**
 * Chain-qualified address ids: `btc:1A1zP1...`, `eth:0xAbC...` (EIP-55 checksum), `evm-137:0xAbC...`.
 *
 * Input is accepted with or without the chain prefix (a bare `0x...` means Ethereum mainnet, a bare
 * Bitcoin address means `btc`), and EVM hex in any letter case; what is stored and returned is always the
 * canonical form. A mixed-case EVM address whose checksum is wrong is refused, since it is most likely a typo.
 */
import { address as btcAddress, networks } from 'bitcoinjs-lib';
import { getAddress } from 'ethers';
import { invalidInput } from '../errors.js';
import { chainInfo, type ChainKey } from './chain.js';

export type AddressId = string & { readonly __brand?: 'AddressId' };
export type TxId = string & { readonly __brand?: 'TxId' };

/**
 * The witness programs a mainnet Bech32/Bech32m address may carry, as bitcoinjs's `toOutputScript` accepts
 * them (BIP 141, 173, 350): version 0 with 20 bytes (P2WPKH) or 32 (P2WSH), version 1 with 32 (Taproot),
 * versions 2-16 with 2 to 40 bytes (future versions).
 */
function checkWitnessProgram(version: number, bytes: number): void {
  if (version === 0 && (bytes === 20 || bytes === 32)) return;
  if (version === 1 && bytes === 32) return;
  if (version >= 2 && version <= 16 && bytes >= 2 && bytes <= 40) return;
  throw new Error(`expected a version 0 witness program of 20 or 32 bytes, version 1 of 32 or versions 2-16 of 2-40, got version ${version} of ${bytes} bytes`);
}

/** The prefix of a valid Bech32/Bech32m string, or null. */
function bech32Prefix(text: string): string | null {
  try {
    return btcAddress.fromBech32(text).prefix;
  } catch {
    return null;
  }
}

/**
 * The canonical form of a mainnet Bitcoin address (Bech32 in lower case). Throws INVALID_INPUT for anything
 * else. The checks are those of bitcoinjs's `toOutputScript`, made on the decoded address without building
 * the output script (toOutputScript tries Base58 first whatever the address and builds the script through
 * schema-checked payments: about 30 µs a call against 1 µs for a Bech32 decode): a Base58Check address (checksum,
 * 21 bytes, version 0x00 or 0x05) or a Bech32/Bech32m one (checksum, the encoding its witness version
 * requires, prefix bc, witness program above). A Taproot key is not checked to be on the curve, as in
 * Bitcoin Core.
 */
export function normalizeBitcoinAddress(text: string): string {
  const trimmed = text.trim();
  // Bech32 is case-insensitive but must not mix cases; bitcoinjs checks the checksum of both encodings.
  const candidate = /^(bc1|BC1)/.test(trimmed) ? trimmed.toLowerCase() : trimmed;
  try {
    // A Base58Check address of version 0x00 or 0x05 starts with 1 or 3: "bc1" can only be Bech32.
    if (candidate.startsWith('bc1')) {
      const decoded = btcAddress.fromBech32(candidate);
      if (decoded.prefix !== networks.bitcoin.bech32) throw new Error(`expected the prefix bc, got ${decoded.prefix}`);
      checkWitnessProgram(decoded.version, decoded.data.length);
    } else {
      let version: number;
      try {
        version = btcAddress.fromBase58Check(candidate).version;
      } catch (err) {
        // Another network's Bech32 address (tb1..., bcrt1...) is named as such, not as bad Base58.
        const prefix = bech32Prefix(candidate);
        throw prefix === null ? err : new Error(`expected the prefix bc, got ${prefix}`);
      }
      if (version !== networks.bitcoin.pubKeyHash && version !== networks.bitcoin.scriptHash) throw new Error(`expected version 0x00 or 0x05, got 0x${version.toString(16).padStart(2, '0')}`);
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw invalidInput(`invalid bitcoin address ${JSON.stringify(text)}: expected a mainnet Base58Check (1..., 3...) or Bech32/Bech32m (bc1...) address with a valid checksum (${reason})`);
  }
  return candidate;
}

export function normalizeEvmAddress(text: string): string {
  const trimmed = text.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(trimmed)) {
    throw invalidInput(`invalid EVM address ${JSON.stringify(text)}: expected 0x followed by 40 hex digits`);
  }
  try {
    return getAddress(trimmed);
  } catch {
    throw invalidInput(`invalid EVM address ${JSON.stringify(text)}: mixed-case EIP-55 checksum mismatch`);
  }
}

/** Builds the id of an address already known to be valid for the chain (adapters call this). */
export function addressId(chain: ChainKey, address: string): AddressId {
  const info = chainInfo(chain);
  return `${chain}:${info.kind === 'account' ? normalizeEvmAddress(address) : normalizeBitcoinAddress(address)}`;
}

/**
 * Parses user input into a canonical address id. Accepts `chain:address` or a bare address.
 * Throws INVALID_INPUT naming what was expected and what arrived.
 */
export function parseAddressId(text: string): AddressId {
  if (typeof text !== 'string' || text.trim() === '') {
    throw invalidInput(`invalid address: expected "btc:<address>", "eth:0x<40 hex>" or a bare address, got ${JSON.stringify(text)}`);
  }
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon > 0) {
    const chain = trimmed.slice(0, colon);
    const rest = trimmed.slice(colon + 1);
    return addressId(chainInfo(chain).key, rest);
  }
  if (/^0x/i.test(trimmed)) return addressId('eth', trimmed);
  return addressId('btc', trimmed);
}

export function chainOfId(id: string): ChainKey {
  const colon = id.indexOf(':');
  if (colon <= 0) throw invalidInput(`invalid id ${JSON.stringify(id)}: expected a chain prefix such as "btc:" or "eth:"`);
  return chainInfo(id.slice(0, colon)).key;
}

/** The address without its chain prefix. */
export function bareAddress(id: AddressId): string {
  return id.slice(id.indexOf(':') + 1);
}

export function txId(chain: ChainKey, hash: string): TxId {
  const info = chainInfo(chain);
  const clean = hash.trim().toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{64}$/.test(clean)) {
    throw invalidInput(`invalid transaction hash ${JSON.stringify(hash)}: expected 64 hex digits`);
  }
  return `${chain}:${info.kind === 'account' ? `0x${clean}` : clean}`;
}

/** Parses user input into a canonical transaction id (`btc:<txid>` or `eth:0x<hash>`). */
export function parseTxId(text: string): TxId {
  if (typeof text !== 'string') throw invalidInput(`invalid transaction id: expected a string, got ${typeof text}`);
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon > 0) return txId(chainInfo(trimmed.slice(0, colon)).key, trimmed.slice(colon + 1));
  return txId(/^0x/i.test(trimmed) ? 'eth' : 'btc', trimmed);
}

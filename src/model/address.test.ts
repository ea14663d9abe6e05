import { describe, expect, it } from 'vitest';
import { parseAddressId, parseTxId } from './address.js';

describe('address ids', () => {
  it('stores EVM addresses in EIP-55 form whatever the input case', () => {
    // EIP-55's own test vector.
    expect(parseAddressId('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')).toBe('eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
    expect(parseAddressId('eth:0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED'.replace('0X', '0x'))).toBe('eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
    expect(parseAddressId('evm-137:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')).toBe('evm-137:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
  });

  it('refuses a mixed-case EVM address with a wrong checksum', () => {
    expect(() => parseAddressId('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD')).toThrow(/checksum mismatch/);
  });

  it('accepts the Bitcoin address kinds, Taproot included (BIP350 vector)', () => {
    expect(parseAddressId('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toBe('btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    expect(parseAddressId('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4')).toBe('btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
    expect(parseAddressId('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0')).toBe('btc:bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0');
  });

  it('accepts future witness versions and refuses wrong encodings, lengths, prefixes and versions (BIP 173 and 350 vectors)', () => {
    expect(parseAddressId('BC1SW50QGDZ25J')).toBe('btc:bc1sw50qgdz25j');
    expect(parseAddressId('bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs')).toBe('btc:bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs');
    expect(parseAddressId('bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3')).toBe('btc:bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3');
    expect(parseAddressId('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')).toBe('btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy');
    // Bech32 where Bech32m is required (witness version 1), and the reverse (version 0).
    expect(() => parseAddressId('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd')).toThrow(/wrong encoding/);
    expect(() => parseAddressId('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh')).toThrow(/wrong encoding/);
    expect(() => parseAddressId('BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P')).toThrow(/got version 0 of 16 bytes/);
    expect(() => parseAddressId('bc1pw5dgrnzv')).toThrow(/got version 1 of 1 bytes/);
    expect(() => parseAddressId('tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx')).toThrow(/expected the prefix bc, got tb/);
    // A testnet P2PKH address: valid Base58Check, version 0x6f.
    expect(() => parseAddressId('mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn')).toThrow(/expected version 0x00 or 0x05, got 0x6f/);
  });

  it('names what was wrong with a bad address', () => {
    expect(() => parseAddressId("1BoatSLRHtKNngkdXEeobR76b53LETtpyX")).toThrow(/invalid bitcoin address "1BoatSLRHtKNngkdXEeobR76b53LETtpyX": expected a mainnet Base58Check/);
    expect(() => parseAddressId('doge:DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L')).toThrow(/unknown chain "doge"/);
    expect(() => parseAddressId('')).toThrow(/expected "btc:<address>"/);
  });

  it('normalizes transaction ids', () => {
    const hash = 'AB'.repeat(32);
    expect(parseTxId(hash)).toBe(`btc:${'ab'.repeat(32)}`);
    expect(parseTxId(`0x${hash}`)).toBe(`eth:0x${'ab'.repeat(32)}`);
    expect(() => parseTxId('btc:1234')).toThrow(/expected 64 hex digits/);
  });
});

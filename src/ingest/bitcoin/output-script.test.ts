import { payments } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { btcAddressId, classifyOutputScript } from './output-script.js';
import { base58check, ripemd160sha256 } from './test-support.js';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

// The genesis coinbase key; its P2PKH address 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa is public record.
const GENESIS_KEY =
  '04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f';
const G_COMPRESSED = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';

describe('classifyOutputScript', () => {
  it('gives a P2PK output the P2PKH address of its key and keeps the type p2pk', () => {
    const info = classifyOutputScript(hex(`41${GENESIS_KEY}ac`));
    expect(info).toEqual({ scriptType: 'p2pk', address: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', detail: { pubkey: GENESIS_KEY } });
    const compressed = classifyOutputScript(hex(`21${G_COMPRESSED}ac`));
    expect(compressed.scriptType).toBe('p2pk');
    expect(compressed.address).toBe(base58check(0x00, ripemd160sha256(hex(G_COMPRESSED))));
  });

  it('reads P2PKH and P2SH with base58check versions 0x00 and 0x05', () => {
    const h = '62e907b15cbf27d5425399ebf6f0fb50ebb88f18';
    expect(classifyOutputScript(hex(`76a914${h}88ac`))).toEqual({ scriptType: 'p2pkh', address: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' });
    expect(classifyOutputScript(hex(`a914${h}87`))).toEqual({ scriptType: 'p2sh', address: base58check(0x05, hex(h)) });
    expect(classifyOutputScript(hex(`a914${h}87`)).address).toBe(payments.p2sh({ hash: hex(h) }).address);
  });

  it('reads segwit v0 and v1 programs as the BIP173 and BIP350 example addresses', () => {
    expect(classifyOutputScript(hex('0014751e76e8199196d454941c45d1b3a323f1433bd6'))).toEqual({
      scriptType: 'p2wpkh',
      address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    });
    expect(classifyOutputScript(hex('00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262'))).toEqual({
      scriptType: 'p2wsh',
      address: 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3',
    });
    expect(classifyOutputScript(hex('512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'))).toEqual({
      scriptType: 'p2tr',
      address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    });
  });

  it('builds ids for every address type, P2TR included', () => {
    expect(btcAddressId('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0')).toBe('btc:bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0');
    expect(btcAddressId('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toBe('btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    expect(() => btcAddressId('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj1')).toThrow();
  });

  it('records other witness versions as witness_unknown without an address', () => {
    // BIP350 example BC1SW50QGDZ25J: version 16, program 751e.
    expect(classifyOutputScript(hex('6002751e'))).toEqual({ scriptType: 'witness_unknown', address: null, detail: { version: 16, program: '751e' } });
    expect(classifyOutputScript(hex(`5114${'11'.repeat(20)}`)).scriptType).toBe('witness_unknown'); // v1, 20 bytes
    // v0 programs other than 20 or 32 bytes are unspendable and non-standard, not "unknown".
    expect(classifyOutputScript(hex(`0018${'11'.repeat(24)}`)).scriptType).toBe('nonstandard');
  });

  it('records bare multisig honestly: no address, m, n and the keys', () => {
    const script = payments.p2ms({ m: 1, pubkeys: [hex(G_COMPRESSED), hex(GENESIS_KEY)] }).output!;
    expect(Buffer.from(script).toString('hex')).toBe(`5121${G_COMPRESSED}41${GENESIS_KEY}52ae`);
    expect(classifyOutputScript(script)).toEqual({ scriptType: 'multisig', address: null, detail: { m: 1, n: 2, pubkeys: [G_COMPRESSED, GENESIS_KEY] } });
    // m > n is not multisig.
    expect(classifyOutputScript(hex(`5221${G_COMPRESSED}51ae`)).scriptType).toBe('nonstandard');
  });

  it('records OP_RETURN data as nulldata, pushed bytes concatenated', () => {
    expect(classifyOutputScript(hex('6a146f6d6e69000000000000001f000000000bebc200'))).toEqual({
      scriptType: 'nulldata',
      address: null,
      detail: { data: '6f6d6e69000000000000001f000000000bebc200' },
    });
    expect(classifyOutputScript(hex('6a'))).toEqual({ scriptType: 'nulldata', address: null, detail: { data: '' } });
    expect(classifyOutputScript(hex('6a0201024c03aabbcc'))).toEqual({ scriptType: 'nulldata', address: null, detail: { data: '0102aabbcc' } });
    // OP_RETURN followed by a non-push opcode is not standard nulldata.
    expect(classifyOutputScript(hex('6a76')).scriptType).toBe('nonstandard');
  });

  it('calls everything else nonstandard and keeps the script', () => {
    expect(classifyOutputScript(hex(''))).toEqual({ scriptType: 'nonstandard', address: null, detail: { script: '' } });
    expect(classifyOutputScript(hex('51'))).toEqual({ scriptType: 'nonstandard', address: null, detail: { script: '51' } });
    // A push that runs past the end of the script.
    expect(classifyOutputScript(hex('4c05aabb')).scriptType).toBe('nonstandard');
    // A 33-byte "key" with a prefix no key has (05) is not P2PK.
    expect(classifyOutputScript(hex(`2105${G_COMPRESSED.slice(2)}ac`)).scriptType).toBe('nonstandard');
    // P2PKH with a wrong final opcode.
    expect(classifyOutputScript(hex(`76a914${'00'.repeat(20)}88ad`)).scriptType).toBe('nonstandard');
  });
});

import { Transaction, payments, script as bscript } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { decodeRawBlock } from './decode-raw-block.js';
import { deriveInputAddress } from './input-address.js';
import { GENESIS, rev, sha256d } from './test-support.js';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

// Real secp256k1 points: the generator G (compressed) and the genesis coinbase key (uncompressed).
const KEY_C = hex('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
const KEY_U = hex(
  '04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f',
);
// The genesis key compressed: 02/03 by the parity of y (its last byte 0x5f is odd -> 03).
const KEY_C2 = hex(`03${Buffer.from(KEY_U.subarray(1, 33)).toString('hex')}`);
// A strict-DER signature shape (r = 01.., s = 02..) followed by SIGHASH_ALL; not a valid signature, but
// derivation only looks at the shape.
const SIG = hex(`30440220${'01'.repeat(32)}0220${'02'.repeat(32)}01`);
const SCHNORR_SIG = hex('11'.repeat(64));

const compile = (chunks: (number | Uint8Array)[]): Uint8Array => bscript.compile(chunks);
const OP_0 = 0x00;

describe('deriveInputAddress', () => {
  it('P2PKH spend: the key in <sig> <pubkey> gives the P2PKH address, compressed or not', () => {
    for (const key of [KEY_C, KEY_U]) {
      expect(deriveInputAddress(compile([SIG, key]), [])).toEqual({
        address: payments.p2pkh({ pubkey: key }).address,
        scriptType: 'p2pkh',
        source: 'script-sig',
      });
    }
  });

  it('P2WPKH spend: witness [sig, compressed key] with an empty scriptSig gives the bech32 address', () => {
    expect(deriveInputAddress(new Uint8Array(0), [SIG, KEY_C])).toEqual({
      address: payments.p2wpkh({ pubkey: KEY_C }).address,
      scriptType: 'p2wpkh',
      source: 'witness',
    });
  });

  it('P2SH-P2WPKH spend: the 0014<hash> redeem script gives the P2SH address, when the witness key matches it', () => {
    const redeem = payments.p2wpkh({ pubkey: KEY_C });
    const expected = payments.p2sh({ redeem }).address;
    expect(deriveInputAddress(compile([redeem.output!]), [SIG, KEY_C])).toEqual({ address: expected, scriptType: 'p2sh', source: 'redeem-script' });
    // A witness key that does not hash to the program: not a consistent spend, no answer.
    expect(deriveInputAddress(compile([redeem.output!]), [SIG, KEY_C2])).toBeNull();
  });

  it('P2WSH spend: the last witness item is the witness script', () => {
    const witnessScript = payments.p2ms({ m: 1, pubkeys: [KEY_C, KEY_C2] }).output!;
    const expected = payments.p2wsh({ redeem: { output: witnessScript } }).address;
    expect(deriveInputAddress(new Uint8Array(0), [new Uint8Array(0), SIG, witnessScript])).toEqual({
      address: expected,
      scriptType: 'p2wsh',
      source: 'redeem-script',
    });
  });

  it('P2SH-P2WSH spend: the 0020<hash> redeem script gives the P2SH address, when the witness script matches it', () => {
    const witnessScript = payments.p2ms({ m: 1, pubkeys: [KEY_C, KEY_C2] }).output!;
    const p2wsh = payments.p2wsh({ redeem: { output: witnessScript } });
    const expected = payments.p2sh({ redeem: p2wsh }).address;
    expect(deriveInputAddress(compile([p2wsh.output!]), [new Uint8Array(0), SIG, witnessScript])?.address).toBe(expected);
    const other = payments.p2ms({ m: 1, pubkeys: [KEY_C2, KEY_C] }).output!;
    expect(deriveInputAddress(compile([p2wsh.output!]), [new Uint8Array(0), SIG, other])).toBeNull();
  });

  it('P2SH multisig spend: the last push of the scriptSig is the redeem script', () => {
    const redeem = payments.p2ms({ m: 2, pubkeys: [KEY_C, KEY_U, KEY_C2] });
    const expected = payments.p2sh({ redeem }).address;
    expect(deriveInputAddress(compile([OP_0, SIG, SIG, redeem.output!]), [])).toEqual({ address: expected, scriptType: 'p2sh', source: 'redeem-script' });
  });

  it('stays null where the spending data does not fix the address', () => {
    // P2PK spend: a signature only.
    expect(deriveInputAddress(compile([SIG]), [])).toBeNull();
    // Bare multisig spend: OP_0 and signatures, no script.
    expect(deriveInputAddress(compile([OP_0, SIG, SIG]), [])).toBeNull();
    // Taproot key path: one Schnorr signature.
    expect(deriveInputAddress(new Uint8Array(0), [SCHNORR_SIG])).toBeNull();
    // Taproot script path: [sig, tapscript, control block of 33 bytes] - the last item is not a script.
    const tapscript = compile([KEY_C.subarray(1), 0xac]);
    expect(deriveInputAddress(new Uint8Array(0), [SCHNORR_SIG, tapscript, hex(`c0${'22'.repeat(32)}`)])).toBeNull();
    // Taproot with an annex (last item starting 0x50).
    expect(deriveInputAddress(new Uint8Array(0), [SCHNORR_SIG, hex('50aa')])).toBeNull();
    // <sig> <33 bytes that are not a curve point>: x = 5 has no y on secp256k1 (5^3 + 7 = 132 is not a square mod p).
    expect(deriveInputAddress(compile([SIG, hex(`02${'00'.repeat(31)}05`)]), [])).toBeNull();
    // <not a signature> <key>.
    expect(deriveInputAddress(compile([hex('0102'), KEY_C]), [])).toBeNull();
    // Not push-only.
    expect(deriveInputAddress(hex('76a9'), [])).toBeNull();
    // A P2SH whose redeem script holds no key and no CHECKSIG is not recognised.
    expect(deriveInputAddress(compile([hex('01'), compile([0x51])]), [])).toBeNull();
  });
});

/** Builds a block by hand (no proof of work) around one coinbase and the given transactions. */
function buildBlock(txs: Transaction[], prevHash: string): Uint8Array {
  const coinbase = new Transaction();
  coinbase.version = 1;
  // BIP34-style push of height 1 would be 0x51; the parent below is genesis, so the height is 1 anyway.
  coinbase.addInput(new Uint8Array(32), 0xffffffff, 0xffffffff, hex('510101'));
  coinbase.addOutput(payments.p2pkh({ pubkey: KEY_C }).output!, 5_000_000_000n);
  const all = [coinbase, ...txs];
  const segwit = txs.some((tx) => tx.hasWitnesses());
  if (segwit) {
    // BIP141 commitment: merkle root of wtxids (coinbase = zeros) hashed with the 32-byte reserved value.
    const reserved = new Uint8Array(32);
    coinbase.setWitness(0, [reserved]);
    const wtxids = all.map((tx, i) => (i === 0 ? Buffer.alloc(32) : sha256d(tx.toBuffer())));
    const commitment = sha256d(Buffer.concat([merkle(wtxids), reserved]));
    coinbase.addOutput(hex(`6a24aa21a9ed${commitment.toString('hex')}`), 0n);
  }
  const txids = all.map((tx) => Buffer.from(tx.getHash()));
  const header = Buffer.alloc(80);
  header.writeInt32LE(1, 0);
  Buffer.from(prevHash, 'hex').reverse().copy(header, 4);
  merkle(txids).copy(header, 36);
  header.writeUInt32LE(1_231_469_665, 68);
  header.writeUInt32LE(0x1d00ffff, 72);
  return new Uint8Array(Buffer.concat([header, Buffer.from([all.length]), ...all.map((tx) => Buffer.from(tx.toBuffer()))]));
}

function merkle(hashes: Buffer[]): Buffer {
  let level = hashes;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256d(Buffer.concat([level[i]!, level[i + 1] ?? level[i]!])));
    level = next;
  }
  return level[0]!;
}

describe('decodeRawBlock on a hand-built block', () => {
  it('derives each input address and links each input to its reversed outpoint hash', () => {
    const prev = sha256d(Buffer.from('some earlier transaction'));
    const tx = new Transaction();
    tx.version = 2;
    tx.addInput(prev, 0, 0xffffffff, compile([SIG, KEY_U])); // P2PKH
    tx.addInput(prev, 1, 0xffffffff, new Uint8Array(0)); // P2WPKH
    tx.setWitness(1, [SIG, KEY_C]);
    const nested = payments.p2wpkh({ pubkey: KEY_C2 });
    tx.addInput(prev, 2, 0xffffffff, compile([nested.output!])); // P2SH-P2WPKH
    tx.setWitness(2, [SIG, KEY_C2]);
    tx.addInput(prev, 3, 0xffffffff, compile([SIG])); // P2PK: unknowable
    tx.addOutput(payments.p2wpkh({ pubkey: KEY_C }).output!, 1_000n);

    const block = decodeRawBlock(buildBlock([tx], GENESIS), { checkProofOfWork: false });
    expect(block.height).toBe(1);
    expect(block.time).toBe(1_231_469_665);
    const decoded = block.transactions[1]!;
    expect(decoded.hash).toBe(tx.getId());
    expect(decoded.inputs.map((i) => i.spends)).toEqual([0, 1, 2, 3].map((vout) => ({ txId: `btc:${rev(prev)}`, vout })));
    expect(decoded.inputs.map((i) => [i.address, i.addressSource, i.value])).toEqual([
      [`btc:${payments.p2pkh({ pubkey: KEY_U }).address}`, 'script-sig', null],
      [`btc:${payments.p2wpkh({ pubkey: KEY_C }).address}`, 'witness', null],
      [`btc:${payments.p2sh({ redeem: nested }).address}`, 'redeem-script', null],
      [null, undefined, null],
    ]);
    expect(decoded.fee).toBeNull();
    expect(decoded.outputs).toEqual([{ index: 0, address: `btc:${payments.p2wpkh({ pubkey: KEY_C }).address}`, value: 1_000n, asset: 'BTC', scriptType: 'p2wpkh' }]);
  });

  it('refuses the hand-built block under the default proof-of-work check', () => {
    const tx = new Transaction();
    tx.addInput(sha256d(Buffer.from('x')), 0, 0xffffffff, compile([SIG, KEY_C]));
    tx.addOutput(payments.p2pkh({ pubkey: KEY_C }).output!, 1n);
    expect(() => decodeRawBlock(buildBlock([tx], GENESIS))).toThrow(/proof-of-work/);
  });
});

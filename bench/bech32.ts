/**
 * Native SegWit v0 (P2WPKH) address text from a 20-byte key hash, written out here because the generator
 * makes up to millions of addresses and bitcoinjs-lib's `payments.p2wpkh` costs ~28 us each (this ~1 us).
 * bench/generator.test.ts checks the output against bitcoinjs-lib.
 *
 * [Reference]: BIP 173 "Base32 address format for native v0-16 witness outputs" (checksum polymod,
 * charset and 8-to-5 bit regrouping as in its reference implementation).
 */
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i]!;
  }
  return chk;
}

/** `bc1q...` for a 20-byte hash given as five 32-bit words (big-endian). */
export function p2wpkhFromWords(words: readonly number[]): string {
  // 160 bits -> 32 groups of 5 bits.
  const data: number[] = [0];
  let acc = 0;
  let bits = 0;
  for (let w = 0; w < 5; w++) {
    const word = words[w]! >>> 0;
    for (let byte = 3; byte >= 0; byte--) {
      acc = (acc << 8) | ((word >>> (byte * 8)) & 0xff);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        data.push((acc >>> bits) & 31);
      }
      acc &= (1 << bits) - 1;
    }
  }
  // hrp "bc" expanded: [3, 3, 0, 2, 3].
  const mod = polymod([3, 3, 0, 2, 3, ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  let out = 'bc1';
  for (const d of data) out += CHARSET[d];
  for (let i = 0; i < 6; i++) out += CHARSET[(mod >>> (5 * (5 - i))) & 31];
  return out;
}

/** The 20 bytes of five big-endian 32-bit words (for cross-checks). */
export function wordsToBytes(words: readonly number[]): Buffer {
  const buf = Buffer.alloc(20);
  for (let i = 0; i < 5; i++) buf.writeUInt32BE(words[i]! >>> 0, i * 4);
  return buf;
}

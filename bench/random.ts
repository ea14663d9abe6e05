/**
 * Deterministic randomness for the benchmark generator: a seeded PRNG (sfc32, seeded through splitmix32)
 * and integer hashes that turn (seed, counter) into address and transaction ids without storing them.
 * The same seed gives the same stream on every platform (32-bit integer arithmetic only).
 *
 * [Reference]: sfc32 is Chris Doty-Humphrey's "Small Fast Chaotic" generator from PractRand; splitmix32 and
 * the 32-bit finalizer are the MurmurHash3 `fmix32` mixing steps.
 */

/** MurmurHash3's 32-bit finalizer: a bijection on 32-bit integers with good avalanche. */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      return fmix32(s);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** Next 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi], bounds included. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  /**
   * An integer in [lo, hi] from a discrete power law P(k) ~ k^-alpha (inverse transform of the continuous
   * Pareto, floored): small values are common, large ones rare.
   */
  powerLaw(lo: number, hi: number, alpha: number): number {
    const u = this.float();
    const a = 1 - alpha;
    const x = Math.pow(Math.pow(lo, a) + u * (Math.pow(hi + 1, a) - Math.pow(lo, a)), 1 / a);
    return Math.min(hi, Math.max(lo, Math.floor(x)));
  }
}

const HEX = '0123456789abcdef';

/**
 * `words` 32-bit words (8 hex digits each) derived from (seed, domain, counter): distinct counters give
 * distinct first words (each step is a bijection of the counter), so ids never collide below 2^32.
 */
export function hashWords(seed: number, domain: number, counter: number, words: number): number[] {
  const out: number[] = [];
  const base = fmix32((seed ^ Math.imul(domain, 0x27d4eb2d)) >>> 0);
  for (let k = 0; k < words; k++) out.push(fmix32((Math.imul(counter, 0x9e3779b1) ^ base ^ Math.imul(k + 1, 0x85ebca6b)) >>> 0));
  return out;
}

/** 64 hex digits (a transaction hash) for a counter. */
export function hashHex64(seed: number, domain: number, counter: number): string {
  let s = '';
  for (const w of hashWords(seed, domain, counter, 8)) {
    for (let shift = 28; shift >= 0; shift -= 4) s += HEX[(w >>> shift) & 15];
  }
  return s;
}

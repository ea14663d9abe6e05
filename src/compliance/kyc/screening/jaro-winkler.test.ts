import { describe, expect, it } from 'vitest';
import { jaro, jaroWinkler } from './jaro-winkler.js';

// Worked examples of Winkler (1990), as reproduced in most references. By hand:
// MARTHA/MARHTA: m = 6, t = 1 (T/H swapped): jaro = (1 + 1 + 5/6) / 3 = 0.9444; prefix 3: + 0.3 x 0.0556 = 0.9611.
// DWAYNE/DUANE:  m = 4 (D, A, N, E), t = 0: jaro = (4/6 + 4/5 + 1) / 3 = 0.8222; prefix 1: + 0.1 x 0.1778 = 0.8400.
// DIXON/DICKSONX: m = 4 (D, I, O, N), t = 0: jaro = (4/5 + 4/8 + 1) / 3 = 0.7667; prefix 2: + 0.2 x 0.2333 = 0.8133.
describe('jaro and jaro-winkler', () => {
  it('reproduces the textbook values', () => {
    expect(jaro('MARTHA', 'MARHTA')).toBeCloseTo(0.9444, 4);
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.9611, 4);
    expect(jaro('DWAYNE', 'DUANE')).toBeCloseTo(0.8222, 4);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 4);
    expect(jaro('DIXON', 'DICKSONX')).toBeCloseTo(0.7667, 4);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.8133, 4);
  });

  it('is 1 for equal strings, 0 with nothing in common or an empty side, and symmetric', () => {
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
    expect(jaroWinkler('crate', 'trace')).toBe(jaroWinkler('trace', 'crate'));
  });

  it('gives no prefix bonus at or below the boost threshold 0.7', () => {
    // "crate" / "trace": window floor(5/2) - 1 = 1; r, a, e match in order (m = 3, t = 0):
    // jaro = (3/5 + 3/5 + 1) / 3 = 0.7333 > 0.7, but no common prefix: unchanged.
    expect(jaroWinkler('crate', 'trace')).toBeCloseTo(0.7333, 4);
    // "ab" / "ba": window 0, so only same positions match: none -> 0.
    expect(jaroWinkler('ab', 'ba')).toBe(0);
    // "abcd" / "axxx": m = 1: jaro = (1/4 + 1/4 + 1) / 3 = 0.5 <= 0.7: no bonus even with prefix "a".
    expect(jaroWinkler('abcd', 'axxx')).toBe(0.5);
  });
});

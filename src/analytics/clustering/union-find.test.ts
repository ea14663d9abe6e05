import { describe, expect, it } from 'vitest';
import { UnionFind } from './union-find.js';

describe('UnionFind', () => {
  it('starts every key as its own set and counts sets as they merge', () => {
    const uf = new UnionFind();
    for (const k of ['a', 'b', 'c', 'd', 'e']) uf.add(k);
    expect(uf.setCount).toBe(5);
    expect(uf.union('a', 'b').merged).toBe(true);
    expect(uf.union('c', 'd').merged).toBe(true);
    expect(uf.union('b', 'a').merged).toBe(false);
    expect(uf.setCount).toBe(3);
    uf.union('d', 'a');
    expect(uf.setCount).toBe(2);
    expect(uf.find('a')).toBe(uf.find('c'));
    expect(uf.find('e')).not.toBe(uf.find('a'));
    expect(uf.sizeOfSlot(uf.slotOf('b')!)).toBe(4);
    expect(uf.find('zzz')).toBeUndefined();
  });

  it('hangs the smaller set under the larger one, the older root winning a tie', () => {
    const uf = new UnionFind();
    const a = uf.add('a');
    const b = uf.add('b');
    const c = uf.add('c');
    // Tie (1 and 1): the older slot a stays root whatever the argument order.
    expect(uf.union('b', 'a')).toEqual({ merged: true, root: a, absorbed: b });
    // {a, b} (size 2) absorbs {c} (size 1) even when c is named first.
    expect(uf.union('c', 'b')).toEqual({ merged: true, root: a, absorbed: c });
  });

  it('merges 200,000 keys pairwise into one set that every key finds', () => {
    const uf = new UnionFind();
    const n = 200_000;
    for (let i = 0; i < n; i++) uf.add(`k${i}`);
    for (let step = 1; step < n; step *= 2) {
      for (let i = 0; i + step < n; i += 2 * step) uf.union(`k${i}`, `k${i + step}`);
    }
    expect(uf.setCount).toBe(1);
    const root = uf.find('k0');
    for (let i = 0; i < n; i += 9973) expect(uf.find(`k${i}`)).toBe(root);
    expect(uf.sizeOfSlot(root!)).toBe(n);
  });

  it('adds unknown keys on union', () => {
    const uf = new UnionFind();
    uf.union('x', 'y');
    expect(uf.count).toBe(2);
    expect(uf.keyOf(uf.find('y')!)).toBe('x');
  });
});

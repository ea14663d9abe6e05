import { describe, expect, it } from 'vitest';
import { addr, coinbase, spend, tinyGraph } from '../../ingest/scenario/tiny-graph.js';
import { splitLargestRemainder, valueEdges } from './value-edges.js';

describe('valueEdges', () => {
  it('splits a pooled UTXO transaction between its input addresses in proportion to what each put in', () => {
    const g = tinyGraph('btc');
    g.tx('a', { height: 1, inputs: [coinbase()], outputs: [['A', 6n]] });
    g.tx('b', { height: 1, inputs: [coinbase()], outputs: [['B', 4n]] });
    // Inputs A 6 + B 4 = 10; outputs C 7, A 2 (change), fee 1.
    const t = g.tx('t', { height: 2, inputs: [spend('a', 0), spend('b', 0)], outputs: [['C', 7n], ['A', 2n]] });
    // C's 7: A 7*6/10 = 4.2, B 7*4/10 = 2.8 -> floors 4 + 2 = 6, the spare unit to B (remainder .8 > .2): 4, 3.
    // A's 2: A 1.2, B 0.8 -> floors 1 + 0, the spare unit to B: A keeps 1 (self, dropped), B -> A 1.
    const byPair = new Map(valueEdges(t).map((e) => [`${e.from}>${e.to}`, e.value]));
    expect(byPair).toEqual(
      new Map([
        [`${addr('A')}>${addr('C')}`, 4n],
        [`${addr('B')}>${addr('A')}`, 1n],
        [`${addr('B')}>${addr('C')}`, 3n],
      ]),
    );
  });

  it('gives the whole output to the single input address and leaves the change out', () => {
    const g = tinyGraph('btc');
    g.tx('a', { height: 1, inputs: [coinbase()], outputs: [['A', 10n]] });
    const t = g.tx('t', { height: 2, inputs: [spend('a', 0)], outputs: [['B', 3n], ['A', 6n], ['B', 1n]] });
    expect(valueEdges(t).map((e) => [e.from, e.to, e.value])).toEqual([[addr('A'), addr('B'), 4n]]);
  });

  it('pairs account transfers index by index and keeps each asset apart', () => {
    const g = tinyGraph('eth');
    const t = g.tx('t', {
      height: 1,
      inputs: [
        { kind: 'account', name: 'A', value: 5n },
        { kind: 'account', name: 'B', value: 9n },
      ],
      outputs: [
        ['C', 5n],
        ['D', 9n],
      ],
    });
    // Transfer 1 is a token transfer (an ERC-20 log): its edge carries the token id, not ETH.
    t.inputs[1]!.asset = 'eth:0xToken';
    t.outputs[1]!.asset = 'eth:0xToken';
    const byPair = new Map(valueEdges(t).map((e) => [`${e.from}>${e.to}`, [e.value, e.asset]]));
    expect(byPair).toEqual(
      new Map([
        [`${addr('A', 'eth')}>${addr('C', 'eth')}`, [5n, 'ETH']],
        [`${addr('B', 'eth')}>${addr('D', 'eth')}`, [9n, 'eth:0xToken']],
      ]),
    );
  });

  it('makes no edge for failed transactions, coinbases or values below minValue', () => {
    const g = tinyGraph('eth');
    expect(valueEdges(g.transfer('f', 'A', 'B', 5n, 1))).toHaveLength(1);
    const failed = g.tx('x', { height: 2, status: 'failed', inputs: [{ kind: 'account', name: 'A', value: 5n }], outputs: [['B', 5n]] });
    expect(valueEdges(failed)).toEqual([]);
    expect(valueEdges(g.transfer('z', 'A', 'B', 0n, 3))).toEqual([]);
    expect(valueEdges(g.transfer('s', 'A', 'B', 4n, 4), 5n)).toEqual([]);
    const b = tinyGraph('btc');
    expect(valueEdges(b.tx('m', { height: 1, inputs: [coinbase()], outputs: [['A', 50n]] }))).toEqual([]);
  });

  it('keeps the pairs of a pooled transaction with an unknown input value, with value null', () => {
    const g = tinyGraph('btc');
    g.tx('a', { height: 1, inputs: [coinbase()], outputs: [['A', 6n]] });
    g.tx('b', { height: 1, inputs: [coinbase()], outputs: [['B', 4n]] });
    const t = g.tx('t', { height: 2, inputs: [spend('a', 0), spend('b', 0)], outputs: [['C', 9n]] });
    t.inputs[1]!.value = null;
    expect(valueEdges(t).map((e) => e.value)).toEqual([null, null]);
  });
});

describe('splitLargestRemainder', () => {
  it('sums exactly to the amount, also above 2^64', () => {
    const amount = 2n ** 70n + 7n;
    const parts = splitLargestRemainder(amount, [1n, 1n, 1n]);
    // (2^70 + 7) / 3: 2^70 = 1 (mod 3), so 2^70 + 7 = 8 = 2 (mod 3): two parts get the extra unit.
    const third = (amount - 2n) / 3n;
    expect(parts).toEqual([third + 1n, third + 1n, third]);
    expect(parts.reduce((s, p) => s + p, 0n)).toBe(amount);
  });

  it('refuses weights that sum to zero', () => {
    expect(() => splitLargestRemainder(5n, [0n, 0n])).toThrow(/expected weights >= 0 that sum to more than 0/);
  });
});

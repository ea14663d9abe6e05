import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/fixtures/prng.js';
import type { AddressId } from '../../model/address.js';
import type { Transaction } from '../../model/transaction.js';
import { transferEdges, utxoPairEdges, type PairFlow } from './edges.js';

/** A random Bitcoin transaction over a handful of addresses: repeats, unknown input values, zero outputs. */
function randomTx(rnd: () => number, n: number): Transaction {
  const pick = (): AddressId => `btc:addr${Math.floor(rnd() * 5)}`;
  const value = (): bigint => BigInt(Math.floor(rnd() * 4)); // 0..3, so that minValue filters some
  const inputs = Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, index) => ({
    index,
    address: rnd() < 0.1 ? null : pick(),
    value: rnd() < 0.1 ? null : value(),
    asset: 'BTC',
  }));
  const outputs = Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, index) => ({
    index,
    address: rnd() < 0.1 ? null : pick(),
    value: value(),
    asset: 'BTC',
    scriptType: 'p2wpkh' as const,
  }));
  return { id: `btc:t${n}`, chain: 'btc', hash: `t${n}`, blockHash: 'b', height: 1, time: 1, position: n, coinbase: false, status: 'ok', fee: null, inputs, outputs };
}

/** The flows an address has in a transaction, as the store lists them. */
function flowsOf(tx: Transaction, a: AddressId): PairFlow[] {
  return [
    ...tx.inputs.filter((i) => i.address === a).map((i) => ({ txId: tx.id, side: 'input' as const, value: i.value, asset: i.asset })),
    ...tx.outputs.filter((o) => o.address === a).map((o) => ({ txId: tx.id, side: 'output' as const, value: o.value, asset: o.asset })),
  ];
}

describe('utxoPairEdges', () => {
  it('equals transferEdges restricted to the pair, on 2,000 random transactions and every pair of their addresses', () => {
    const rnd = prng(7);
    let compared = 0;
    for (let n = 0; n < 2_000; n++) {
      const tx = randomTx(rnd, n);
      const minValue = BigInt(Math.floor(rnd() * 3));
      const all = transferEdges(tx, minValue);
      for (let a = 0; a < 5; a++) {
        for (let b = a + 1; b < 5; b++) {
          const x = `btc:addr${a}`;
          const y = `btc:addr${b}`;
          const expected = all.filter((e) => (e.from === x && e.to === y) || (e.from === y && e.to === x));
          // Other transactions' flows beside them must be ignored.
          const noise: PairFlow = { txId: 'btc:other', side: 'input', value: 5n, asset: 'BTC' };
          expect(utxoPairEdges(tx.id, x, [noise, ...flowsOf(tx, x)], y, [...flowsOf(tx, y), noise], minValue)).toEqual(expected);
          compared += expected.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(1_000);
  });
});

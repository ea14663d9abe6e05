import { afterEach, describe, expect, it } from 'vitest';
import type { Category } from '../../model/label.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import type { GraphStore } from '../../store/graph-store.js';
import { addr, coinbase, spend, tinyGraph, type TinyGraph } from '../../../test/fixtures/tiny-graph.js';
import { rational, ZERO } from '../taint/rational.js';
import { exposure } from './exposure.js';

const stores: GraphStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function load(g: TinyGraph, labels: [string, Category][]): Promise<GraphStore> {
  const store = await openEmbeddedStore({ dir: ':memory:' });
  stores.push(store);
  for (const b of g.blocks()) await store.writeBlock(b);
  for (const [name, category] of labels) {
    await store.addLabel({ address: addr(name, g.chain), category, label: name, source: 'test', confidence: 100, actor: null });
  }
  return store;
}

/** The hop-distance graph: a1 A->B 5, a2 B->C 5, a3 C->S 5, a4 A->E 10, a5 E->S 1, a6 D->A 2, a7 T->D 1, a8 A->G 1, a9 G->C 1. */
function evm(): TinyGraph {
  const g = tinyGraph('eth');
  g.transfer('a1', 'A', 'B', 5n, 1);
  g.transfer('a2', 'B', 'C', 5n, 2);
  g.transfer('a3', 'C', 'S', 5n, 3);
  g.transfer('a4', 'A', 'E', 10n, 4);
  g.transfer('a5', 'E', 'S', 1n, 5);
  g.transfer('a6', 'D', 'A', 2n, 6);
  g.transfer('a7', 'T', 'D', 1n, 7);
  g.transfer('a8', 'A', 'G', 1n, 8);
  g.transfer('a9', 'G', 'C', 1n, 9);
  return g;
}
const a = (name: string) => addr(name, 'eth');

describe('exposure on an account chain', () => {
  it('splits what A sent into direct and indirect exposure', async () => {
    const store = await load(evm(), [
      ['S', 'sanctioned'],
      ['E', 'exchange'],
    ]);
    const result = await exposure(store, a('A'), { direction: 'out', maxHops: 3 });
    // A sent 5 to B, 10 to E, 1 to G: total 16. E (exchange) is direct: 10. B passes its 5 to C, which
    // sends 5 to S (sanctioned, 3 hops): indirect 5. G's 1 reaches C after C paid S: C still holds it.
    expect(result.total).toEqual(rational(16n));
    expect(result.categories.map((c) => c.category)).toEqual(['sanctioned', 'exchange']);
    const [sanctioned, exchange] = result.categories;
    expect(sanctioned!.direct.amount).toEqual(ZERO);
    expect(sanctioned!.indirect).toEqual({ amount: rational(5n), units: 5n, bps: 3125 }); // 5/16
    expect(exchange!.direct).toEqual({ amount: rational(10n), units: 10n, bps: 6250 }); // 10/16
    expect(sanctioned!.counterparties).toEqual([{ address: a('S'), distance: 3, amount: rational(5n) }]);
    expect(result.unattributed).toEqual({ amount: rational(1n), units: 1n, bps: 625 });
  });

  it('does not reach past maxHops', async () => {
    const store = await load(evm(), [
      ['S', 'sanctioned'],
      ['E', 'exchange'],
    ]);
    const result = await exposure(store, a('A'), { direction: 'out', maxHops: 2 });
    expect(result.categories.map((c) => c.category)).toEqual(['exchange']);
    expect(result.unattributed.amount).toEqual(rational(6n)); // B's 5 now at C, G's 1 at C
    expect(result.unattributed.bps).toBe(3750);
  });

  it('traces what S received back to its sources', async () => {
    const store = await load(evm(), [
      ['S', 'sanctioned'],
      ['E', 'exchange'],
      ['A', 'scam'],
    ]);
    const result = await exposure(store, a('S'), { direction: 'in', maxHops: 3 });
    // S got 5 from C and 1 from E (direct exchange). C's 5 came from B's a2, B's from A's a1 (scam, 3 hops).
    expect(result.total).toEqual(rational(6n));
    expect(result.categories.map((c) => [c.category, c.direct.amount, c.indirect.amount])).toEqual([
      ['exchange', rational(1n), ZERO],
      ['scam', ZERO, rational(5n)],
    ]);
    // 1/6 = 1666.67 bps, 5/6 = 8333.33 bps: the spare point goes to the larger remainder
    expect(result.categories.map((c) => c.direct.bps + c.indirect.bps)).toEqual([1667, 8333]);
    expect(result.unattributed.amount).toEqual(ZERO);
  });
});

describe('exposure on a UTXO chain', () => {
  // c0: coinbase -> M 10 (mixer); c1: coinbase -> Q 5; c2: M 10 -> [U 6, V 4]; c3: [U 6, Q 5] -> T 11
  function btc(): TinyGraph {
    const g = tinyGraph('btc');
    g.tx('c0', { height: 1, inputs: [coinbase()], outputs: [['M', 10n]] });
    g.tx('c1', { height: 1, inputs: [coinbase()], outputs: [['Q', 5n]] });
    g.tx('c2', { height: 2, inputs: [spend('c0', 0)], outputs: [['U', 6n], ['V', 4n]] });
    g.tx('c3', { height: 3, inputs: [spend('c2', 0), spend('c1', 0)], outputs: [['T', 11n]] });
    return g;
  }

  it('attributes received funds by haircut through a pooled transaction', async () => {
    const store = await load(btc(), [['M', 'mixer']]);
    const result = await exposure(store, addr('T'), { direction: 'in' });
    // T's 11 came from U (6) and Q (5), unlabelled. U's 6 was 6 of the 10 M paid into c2: all of it from M
    // (mixer, 2 hops). Q's 5 was mined. 6/11 = 5454.5 bps, 5/11 = 4545.5: the spare point to 6/11.
    expect(result.total).toEqual(rational(11n));
    expect(result.categories.map((c) => [c.category, c.direct.amount, c.indirect.amount, c.indirect.bps])).toEqual([['mixer', ZERO, rational(6n), 5455]]);
    expect(result.coinbase).toEqual({ amount: rational(5n), units: 5n, bps: 4545 });
  });

  it('attributes sent funds forward and leaves unspent ones unattributed', async () => {
    const store = await load(btc(), [['T', 'exchange']]);
    const result = await exposure(store, addr('M'), { direction: 'out' });
    // M's 10 went to U 6 and V 4. U's 6 went with Q's clean 5 to T (exchange): 6 of T's 11 are M's.
    expect(result.total).toEqual(rational(10n));
    expect(result.categories.map((c) => [c.category, c.indirect.amount, c.indirect.bps])).toEqual([['exchange', rational(6n), 6000]]);
    expect(result.unattributed).toEqual({ amount: rational(4n), units: 4n, bps: 4000 });
  });

  it('refuses bad arguments', async () => {
    const store = await load(btc(), []);
    await expect(exposure(store, addr('T'), { maxHops: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(exposure(store, addr('T'), { maxHops: 11 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    await expect(exposure(store, addr('nobody'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(exposure(store, addr('T'), { direction: 'sideways' as 'in' })).rejects.toThrow(/expected "in" or "out"/);
  });
});

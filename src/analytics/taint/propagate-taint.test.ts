import { afterEach, describe, expect, it } from 'vitest';
import { AriadneError } from '../../errors.js';
import type { TxId } from '../../model/address.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import type { GraphStore } from '../../store/graph-store.js';
import { addr, coinbase, spend, tid, tinyGraph, type TinyGraph } from '../../../test/fixtures/tiny-graph.js';
import { propagateTaint } from './propagate-taint.js';
import { rational, type Rational, ZERO } from './rational.js';
import type { TaintResult } from './taint-result.js';
import { TAINT_MODELS, type TaintModel } from './taint-model.js';

const r = (n: bigint, d = 1n): Rational => rational(n, d);
const stores: GraphStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function load(g: TinyGraph): Promise<GraphStore> {
  const store = await openEmbeddedStore({ dir: ':memory:' });
  stores.push(store);
  for (const b of g.blocks()) await store.writeBlock(b);
  return store;
}

/** The taint of output `index` of test transaction `tx`, or undefined when it is not in the result. */
function taintOf(result: TaintResult, tx: string, index: number, chain: 'btc' | 'eth' = 'btc'): Rational | undefined {
  return result.outputs.find((o) => o.txId === tid(tx, chain) && o.index === index)?.taint;
}

/**
 * The Bitcoin test graph (all values in satoshi):
 *   t0: coinbase -> S 3          t1: coinbase -> C 7
 *   t2: [S 3, C 7] -> [X 4, Y 6]            (the worked example, no fee)
 *   t3: [Y 6] -> [Z 5], fee 1
 *   t4: [X 4, Z 5] -> [W 9]                 (reached at hop 2 via X and again at hop 3 via Y, Z)
 */
function btcGraph(): TinyGraph {
  const g = tinyGraph('btc');
  g.tx('t0', { height: 1, inputs: [coinbase()], outputs: [['S', 3n]] });
  g.tx('t1', { height: 1, inputs: [coinbase()], outputs: [['C', 7n]] });
  g.tx('t2', { height: 2, inputs: [spend('t0', 0), spend('t1', 0)], outputs: [['X', 4n], ['Y', 6n]] });
  g.tx('t3', { height: 3, inputs: [spend('t2', 1)], outputs: [['Z', 5n]] });
  g.tx('t4', { height: 4, inputs: [spend('t2', 0), spend('t3', 0)], outputs: [['W', 9n]] });
  return g;
}

describe('propagateTaint on a UTXO chain', () => {
  it('reproduces the worked example on the first hop for every model', async () => {
    const store = await load(btcGraph());
    const expected: Record<TaintModel, [Rational, Rational]> = {
      poison: [r(4n), r(6n)],
      haircut: [r(6n, 5n), r(9n, 5n)],
      fifo: [r(3n), ZERO],
      lifo: [ZERO, r(3n)],
      tiho: [ZERO, r(3n)],
    };
    for (const model of TAINT_MODELS) {
      const result = await propagateTaint(store, { txId: tid('t0'), index: 0 }, { model, maxHops: 1 });
      expect([taintOf(result, 't2', 0) ?? ZERO, taintOf(result, 't2', 1) ?? ZERO], model).toEqual(expected[model]);
    }
  });

  it('follows haircut taint through a fee and recomputes a transaction reached again by a longer path', async () => {
    const store = await load(btcGraph());
    const result = await propagateTaint(store, { txId: tid('t0'), index: 0 }, { model: 'haircut' });
    // t3: Y carries 9/5 of 6; Z = 5 * (9/5) / 6 = 3/2, fee = 1 * (9/5) / 6 = 3/10
    expect(taintOf(result, 't3', 0)).toEqual(r(3n, 2n));
    const t3 = result.transactions.find((t) => t.txId === tid('t3'))!;
    expect(t3.feeTaint).toEqual(r(3n, 10n));
    expect(t3.hop).toBe(2);
    // t4 first seen at hop 2 (via X = 6/5) and completed at hop 3 (via Z = 3/2): W = 6/5 + 3/2 = 27/10
    expect(taintOf(result, 't4', 0)).toEqual(r(27n, 10n));
    expect(result.outputs.find((o) => o.txId === tid('t4'))!.hop).toBe(2);
    // conservation: the source's 3 = W 27/10 + t3's fee 3/10
    expect(result.sourceTotal).toEqual(r(3n));
    expect(result.truncated).toBeNull();
    expect(result.visitedTransactions).toBe(3);
  });

  it('gives integer views that sum to the floor of each transaction’s taint (largest remainder)', async () => {
    const store = await load(btcGraph());
    const result = await propagateTaint(store, { txId: tid('t0'), index: 0 }, { model: 'haircut' });
    const units = (tx: string, i: number) => result.outputs.find((o) => o.txId === tid(tx) && o.index === i)!.units;
    // t2: 6/5 and 9/5 floor to 1 and 1; floor(3) - 2 = 1 unit to the larger remainder (4/5, Y)
    expect([units('t2', 0), units('t2', 1)]).toEqual([1n, 2n]);
    // t3: Z 3/2 and fee 3/10 -> floors 1 and 0, floor(9/5) = 1: nothing left to hand out
    expect(units('t3', 0)).toBe(1n);
    expect(result.transactions.find((t) => t.txId === tid('t3'))!.feeUnits).toBe(0n);
    // t4: 27/10 -> 2
    expect(units('t4', 0)).toBe(2n);
  });

  it('reports per-address taint, hops and the edges followed', async () => {
    const store = await load(btcGraph());
    const result = await propagateTaint(store, { address: addr('S') }, { model: 'fifo' });
    // FIFO: X gets all 3, Y none; t3 is never reached; t4 takes X (3 of 4) and clean Z: W = 3
    expect(result.addresses.map((a) => [a.address, a.taint, a.hop])).toEqual(
      [
        [addr('S'), r(3n), 0],
        [addr('X'), r(3n), 1],
        [addr('W'), r(3n), 2],
      ].sort((a, b) => (a[2] as number) - (b[2] as number) || ((a[0] as string) < (b[0] as string) ? -1 : 1)),
    );
    expect(result.transactions.map((t) => t.txId)).toEqual([tid('t2'), tid('t4')]);
    expect(result.edges).toEqual(
      [
        { from: { txId: tid('t0'), index: 0 }, to: { txId: tid('t2'), index: 0 }, via: tid('t2'), hop: 1 },
        { from: { txId: tid('t2'), index: 0 }, to: { txId: tid('t4'), index: 0 }, via: tid('t4'), hop: 2 },
      ].sort((a, b) => (a.from.txId < b.from.txId ? -1 : 1)),
    );
  });

  it('traces backward: where the funds of W came from', async () => {
    const store = await load(btcGraph());
    const result = await propagateTaint(store, { txId: tid('t4'), index: 0 }, { model: 'haircut', direction: 'backward' });
    // W 9 <- X 4 and Z 5 in full; Z 5 <- 5 of Y's 6 (the 1 fee is not traced); X 4 + Y 5 = 9 of t2's 10
    // <- S 3 * 9/10 = 27/10 and C 7 * 9/10 = 63/10.
    expect(taintOf(result, 't2', 0)).toEqual(r(4n));
    expect(taintOf(result, 't3', 0)).toEqual(r(5n));
    expect(taintOf(result, 't2', 1)).toEqual(r(5n));
    expect(taintOf(result, 't0', 0)).toEqual(r(27n, 10n));
    expect(taintOf(result, 't1', 0)).toEqual(r(63n, 10n));
    expect(result.outputs.find((o) => o.txId === tid('t0'))!.hop).toBe(2);
    const origins = result.transactions.filter((t) => t.coinbase).map((t) => t.txId);
    expect(origins.sort()).toEqual([tid('t0'), tid('t1')].sort());
  });

  it('traces backward with FIFO: W came from X (S 3 + C 1) and Z (C 5 via Y)', async () => {
    const store = await load(btcGraph());
    const result = await propagateTaint(store, { txId: tid('t4'), index: 0 }, { model: 'fifo', direction: 'backward' });
    // t2 line: S [0,3) C [3,10); X [0,4) Y [4,10). X traced 4 -> S 3, C 1; Y traced 5 (Z's 5, fee last) -> C 5
    expect(taintOf(result, 't0', 0)).toEqual(r(3n));
    expect(taintOf(result, 't1', 0)).toEqual(r(6n));
  });

  it('stops at the hop limit and says so', async () => {
    const store = await load(btcGraph());
    const result = await propagateTaint(store, { txId: tid('t0'), index: 0 }, { model: 'haircut', maxHops: 1 });
    expect(result.transactions.map((t) => t.txId)).toEqual([tid('t2')]);
    expect(result.truncated?.reason).toBe('max-hops');
  });

  it('stops when the work budget is spent and says so', async () => {
    const store = await load(btcGraph());
    const result = await propagateTaint(store, { txId: tid('t0'), index: 0 }, { model: 'haircut', maxTransactions: 2 });
    // round 1: t2; round 2: t3 and t4 in chain order -> t3 is the second, t4 is over budget
    expect(result.visitedTransactions).toBe(2);
    expect(result.truncated?.reason).toBe('budget');
    expect(taintOf(result, 't4', 0)).toBeUndefined();
  });

  it('drops taint below minAmount and does not follow it', async () => {
    const store = await load(btcGraph());
    // haircut gives X 6/5 and Y 9/5, both below 2
    const result = await propagateTaint(store, { txId: tid('t0'), index: 0 }, { model: 'haircut', minAmount: 2n });
    expect(result.outputs.map((o) => o.txId)).toEqual([tid('t0')]);
  });

  it('keeps taint that reaches a stop category there', async () => {
    const store = await load(btcGraph());
    await store.addLabel({ address: addr('Y'), category: 'exchange', label: 'Some exchange', source: 'test', confidence: 100, actor: null });
    const result = await propagateTaint(store, { txId: tid('t0'), index: 0 }, { model: 'haircut', stopAtCategories: ['exchange'] });
    const y = result.outputs.find((o) => o.txId === tid('t2') && o.index === 1)!;
    expect(y.stopped).toBe(true);
    expect(y.taint).toEqual(r(9n, 5n));
    // t3 spends only Y: never computed. t4 gets X's 6/5 and a clean Z.
    expect(result.transactions.map((t) => t.txId)).toEqual([tid('t2'), tid('t4')]);
    expect(taintOf(result, 't4', 0)).toEqual(r(6n, 5n));
  });

  it('lists a transaction it cannot compute (an input whose value is unknown) and does not guess', async () => {
    const g = btcGraph();
    // t5 spends W and an output of a transaction that was never ingested
    const t5 = g.tx('t5', { height: 5, inputs: [spend('t4', 0)], outputs: [['V', 9n]] });
    t5.inputs.push({ index: 1, address: null, value: null, asset: 'BTC', spends: { txId: tid('elsewhere'), vout: 0 } });
    t5.fee = null;
    const store = await load(g);
    const result = await propagateTaint(store, { txId: tid('t4'), index: 0 }, { model: 'haircut' });
    expect(result.incomplete).toEqual([{ txId: tid('t5'), reason: 'an input value is unknown (its spent output is not ingested)' }]);
    expect(taintOf(result, 't5', 0)).toBeUndefined();
  });

  it('reads one batch per round, not one call per output', async () => {
    const store = await load(btcGraph());
    const calls: Record<string, number> = {};
    const counted = new Proxy(store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls[String(prop)] = (calls[String(prop)] ?? 0) + 1;
          return value.apply(target, args);
        };
      },
    });
    await propagateTaint(counted, { txId: tid('t0'), index: 0 }, { model: 'haircut' });
    // the source lookup; round 1: S's spends (t2); round 2: X's and Y's spends (t4, t3) in one batch;
    // round 3: Z's spends (t4, already read) and W's (none): flows only; round 4: nothing new to read.
    expect(calls).toEqual({ getTransactions: 3, getFlows: 3 });
  });

  it('refuses bad arguments with clear errors', async () => {
    const store = await load(btcGraph());
    const src = { txId: tid('t0'), index: 0 };
    await expect(propagateTaint(store, src, { maxHops: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(propagateTaint(store, src, { maxHops: 51 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    await expect(propagateTaint(store, { address: addr('nobody') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(propagateTaint(store, { txId: tid('t0'), index: 5 })).rejects.toThrow(/has no output 5/);
    await expect(propagateTaint(store, [])).rejects.toBeInstanceOf(AriadneError);
    await expect(propagateTaint(store, [src, { address: addr('A', 'eth') }])).rejects.toThrow(/several chains/);
  });
});

/**
 * The account-chain example (wei), hand-drawn:
 *   e1 h1: H -> M 3      (the tainted transfer)
 *   e2 h2: F -> M 7      (clean)
 *   e3 h3: M -> P 4
 *   e4 h4: M -> Q 6
 *   e5 h5: P -> Q 2
 * M's lots are [3 tainted, 7 clean], then it sends 4 and 6: the worked example on an account.
 */
function evmGraph(fee = 0n): TinyGraph {
  const g = tinyGraph('eth');
  g.transfer('e1', 'H', 'M', 3n, 1);
  g.transfer('e2', 'F', 'M', 7n, 2);
  const e3 = g.transfer('e3', 'M', 'P', 4n, 3);
  e3.fee = fee;
  g.transfer('e4', 'M', 'Q', 6n, 4);
  g.transfer('e5', 'P', 'Q', 2n, 5);
  return g;
}

describe('propagateTaint on an account chain', () => {
  const e = (name: string): TxId => tid(name, 'eth');
  const at = (result: TaintResult, name: string) => taintOf(result, name, 0, 'eth') ?? ZERO;

  it('replays each address’s lots per model (forward from the tainted transfer)', async () => {
    const store = await load(evmGraph());
    // M -> P, M -> Q, P -> Q per model, by hand:
    const expected: Record<TaintModel, [Rational, Rational, Rational]> = {
      fifo: [r(3n), ZERO, r(3n, 2n)], // P's lot is 4 with 3 tainted: 2 * 3/4
      lifo: [ZERO, r(3n), ZERO], // M spends F's 7 first: 4 clean, then 3 clean + 3 tainted
      haircut: [r(6n, 5n), r(9n, 5n), r(3n, 5n)], // P -> Q: 2 * (6/5) / 4
      poison: [r(4n), r(6n), r(2n)],
      tiho: [r(3n), ZERO, r(2n)], // tainted part of the balance first, at M and at P
    };
    for (const model of TAINT_MODELS) {
      const result = await propagateTaint(store, { txId: e('e1'), index: 0 }, { model });
      expect([at(result, 'e3'), at(result, 'e4'), at(result, 'e5')], model).toEqual(expected[model]);
    }
  });

  it('treats a source address as sending only tainted funds and counts hops by transfers', async () => {
    const store = await load(evmGraph());
    const result = await propagateTaint(store, { address: addr('H', 'eth') }, { model: 'fifo' });
    expect(at(result, 'e1')).toEqual(r(3n));
    const hops = Object.fromEntries(result.outputs.map((o) => [o.txId, o.hop]));
    expect([hops[e('e1')], hops[e('e3')], hops[e('e5')]]).toEqual([1, 2, 3]);
    expect(result.addresses.find((a) => a.address === addr('Q', 'eth'))!.taint).toEqual(r(3n, 2n));
    // edge from M's tainted lot (e1) to its transfer to P (e3), then from P's lot (e3) to e5
    expect(result.edges.map((x) => [x.from.txId, x.to.txId])).toContainEqual([e('e1'), e('e3')]);
    expect(result.edges.map((x) => [x.from.txId, x.to.txId])).toContainEqual([e('e3'), e('e5')]);
  });

  it('draws the gas of the sender after its transfer (fee rule on accounts)', async () => {
    const store = await load(evmGraph(1n));
    // M: lots [3 T, 7 C]; e3 sends 4 and pays 1 gas; e4 sends 6 of the 5 left (1 unit of shortfall, clean)
    // haircut: e3 = 4 * 3/10 = 6/5; fee = 1 * (9/5) / 6 = 3/10; e4: the remaining 5 carry 3/2
    const haircut = await propagateTaint(store, { txId: e('e1'), index: 0 }, { model: 'haircut' });
    expect(at(haircut, 'e3')).toEqual(r(6n, 5n));
    expect(haircut.transactions.find((t) => t.txId === e('e3'))!.feeTaint).toEqual(r(3n, 10n));
    expect(at(haircut, 'e4')).toEqual(r(3n, 2n));
    // LIFO: e3 takes 4 of F's 7, the fee 1 more of it; e4 takes F's last 2 and H's 3 tainted (+1 shortfall)
    const lifo = await propagateTaint(store, { txId: e('e1'), index: 0 }, { model: 'lifo' });
    expect([at(lifo, 'e3'), at(lifo, 'e4')]).toEqual([ZERO, r(3n)]);
    expect(lifo.transactions.find((t) => t.txId === e('e3'))).toBeUndefined();
  });

  it('traces backward through the senders’ lots (FIFO)', async () => {
    const store = await load(evmGraph());
    const result = await propagateTaint(store, { address: addr('Q', 'eth') }, { model: 'fifo', direction: 'backward' });
    // Q received e4 (6) and e5 (2). M's e4 drew 6 of F's lot e2; P's e5 drew 2 of its lot e3; M's e3 drew
    // e1 3 and e2 1, so 2 of it traces to e1 3/2 and e2 1/2. Totals: e1 3/2, e2 6 + 1/2 = 13/2.
    expect(at(result, 'e3')).toEqual(r(2n));
    expect(at(result, 'e1')).toEqual(r(3n, 2n));
    expect(at(result, 'e2')).toEqual(r(13n, 2n));
    const hops = Object.fromEntries(result.outputs.map((o) => [o.txId, o.hop]));
    expect([hops[e('e4')], hops[e('e2')], hops[e('e3')], hops[e('e1')]]).toEqual([0, 1, 1, 2]);
  });
});

/**
 * The store contract: one suite that every GraphStore implementation runs (embedded, Neo4j). A case that
 * passes on one engine and fails on the other is a bug. Expected values are hand-computed from the tiny
 * literal graphs below.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphChange, GraphStore } from '../../src/store/graph-store.js';
import type { Label } from '../../src/model/label.js';
import { addr, coinbase, spend, tid, tinyGraph } from '../fixtures/tiny-graph.js';

export interface StoreFactory {
  /** A fresh, empty store. */
  open(): Promise<GraphStore>;
  /** Closes the store and opens the same data again (durability). */
  reopen(store: GraphStore): Promise<GraphStore>;
}

const sanction = (name: string, source = 'ofac-sdn'): Label => ({
  address: addr(name),
  category: 'sanctioned',
  label: 'OFAC SDN',
  source,
  confidence: 100,
  actor: null,
});

export function defineGraphStoreContract(engine: string, factory: StoreFactory): void {
  describe(`graph store contract: ${engine}`, () => {
    let store: GraphStore;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(async () => {
      await store.close();
    });

    function payments() {
      const g = tinyGraph('btc');
      g.tx('mint', { height: 1, inputs: [coinbase()], outputs: [['A', 5_000_000_000n]] });
      // A pays B 3 BTC and keeps 1.9999 BTC as change; fee 10,000 sat (hand: 50e8 - 30e8 - 19.9999e8 = 1e4).
      g.tx('pay', { height: 2, inputs: [spend('mint', 0)], outputs: [['B', 3_000_000_000n], ['A2', 1_999_990_000n]] });
      return g;
    }

    it('stores a block and returns its transactions with exact amounts and resolved inputs', async () => {
      const g = payments();
      for (const b of g.blocks()) await store.writeBlock(b);
      const txs = await store.getTransactions([tid('pay'), tid('mint'), tid('missing')]);
      expect(txs.size).toBe(2);
      const pay = txs.get(tid('pay'))!;
      expect(pay.inputs).toEqual([expect.objectContaining({ index: 0, address: addr('A'), value: 5_000_000_000n, spends: { txId: tid('mint'), vout: 0 } })]);
      expect(pay.outputs.map((o) => [o.index, o.address, o.value])).toEqual([
        [0, addr('B'), 3_000_000_000n],
        [1, addr('A2'), 1_999_990_000n],
      ]);
      expect(pay.fee).toBe(10_000n);
      expect(txs.get(tid('mint'))!.coinbase).toBe(true);
    });

    it('writing the same block twice changes nothing', async () => {
      const g = payments();
      for (const b of g.blocks()) await store.writeBlock(b);
      const before = await store.stats();
      const again = await store.writeBlock(g.blocks()[1]!);
      expect(again.written).toBe(false);
      expect(await store.stats()).toEqual(before);
      expect(before.transactions).toBe(2);
      expect(before.outputs).toBe(3);
      expect(before.inputs).toBe(1);
      expect(before.perChain.btc!.fees).toBe(10_000n);
    });

    it('resolves an input whose spent output arrives in a later write', async () => {
      const [mint, paid] = payments().blocks();
      // As a raw block arrives: the input names its outpoint, but neither value nor address is known.
      const pay = { ...paid!, transactions: paid!.transactions.map((t) => ({ ...t, fee: null, inputs: t.inputs.map((i) => ({ ...i, address: null, value: null })) })) };
      const first = await store.writeBlock(pay);
      expect(first.resolvedInputs).toBe(0);
      expect(first.unknownFees).toBe(1);
      const second = await store.writeBlock(mint!);
      expect(second.backfilledInputs).toBe(1);
      const tx = (await store.getTransactions([tid('pay')])).get(tid('pay'))!;
      expect(tx.inputs[0]!.value).toBe(5_000_000_000n);
      expect(tx.inputs[0]!.address).toBe(addr('A'));
      expect(tx.fee).toBe(10_000n);
      const stats = await store.stats();
      expect(stats.resolvedInputs).toBe(1);
      expect(stats.perChain.btc!.fees).toBe(10_000n);
      const flows = await store.getFlows([addr('A')]);
      expect(flows.get(addr('A'))!.map((f) => [f.side, f.txId, f.value])).toEqual([
        ['output', tid('mint'), 5_000_000_000n],
        ['input', tid('pay'), 5_000_000_000n],
      ]);
    });

    it('refuses a block that spends more than it has and writes nothing of it', async () => {
      const g = payments();
      const [mint] = g.blocks();
      await store.writeBlock(mint!);
      const bad = tinyGraph('btc');
      bad.tx('mint', { height: 1, inputs: [coinbase()], outputs: [['A', 5_000_000_000n]] });
      bad.tx('ok', { height: 2, inputs: [], outputs: [['C', 1n]] });
      bad.tx('over', { height: 2, inputs: [spend('mint', 0)], outputs: [['B', 6_000_000_000n]] });
      const before = await store.stats();
      await expect(store.writeBlock(bad.blocks()[1]!)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await store.stats()).toEqual(before);
      expect((await store.getTransactions([tid('ok')])).size).toBe(0);
      expect(await store.getFlows([addr('C')])).toEqual(new Map());
    });

    it('keeps wei amounts above 2^64 exact', async () => {
      const g = tinyGraph('eth');
      const big = 10n ** 30n + 7n;
      g.transfer('t', 'U', 'V', big, 100);
      for (const b of g.blocks()) await store.writeBlock(b);
      const summary = (await store.getAddresses([addr('V', 'eth')])).get(addr('V', 'eth'))!;
      expect(summary.totals).toEqual([{ asset: 'ETH', received: big, sent: 0n, balance: big }]);
      const sender = (await store.getAddresses([addr('U', 'eth')])).get(addr('U', 'eth'))!;
      expect(sender.totals[0]!.balance).toBe(-big);
    });

    it('summarizes an address: totals, first and last seen, transaction count', async () => {
      const g = payments();
      g.tx('back', { height: 5, inputs: [spend('pay', 0)], outputs: [['A', 2_999_000_000n]] });
      for (const b of g.blocks()) await store.writeBlock(b);
      const a = (await store.getAddresses([addr('A')])).get(addr('A'))!;
      // Received 50e8 at height 1 and 29.99e8 at height 5; sent 50e8 at height 2.
      expect(a.totals).toEqual([{ asset: 'BTC', received: 7_999_000_000n, sent: 5_000_000_000n, balance: 2_999_000_000n }]);
      expect(a.txCount).toBe(3);
      expect(a.firstSeen?.height).toBe(1);
      expect(a.lastSeen?.height).toBe(5);
      expect((await store.getAddresses([addr('nobody')])).size).toBe(0);
    });

    it('filters flows by side, height and minimum value', async () => {
      const g = payments();
      g.tx('back', { height: 5, inputs: [spend('pay', 0)], outputs: [['A', 2_999_000_000n]] });
      for (const b of g.blocks()) await store.writeBlock(b);
      const got = await store.getFlows([addr('A')], { side: 'output', minHeight: 2 });
      expect(got.get(addr('A'))!.map((f) => f.txId)).toEqual([tid('back')]);
      const big = await store.getFlows([addr('A')], { minValue: 3_000_000_000n });
      expect(big.get(addr('A'))!.map((f) => f.txId)).toEqual([tid('mint'), tid('pay')]);
    });

    it('lists transactions of a height range in chain order', async () => {
      const g = payments();
      g.tx('later', { height: 9, inputs: [spend('pay', 1)], outputs: [['D', 1_000n]] });
      for (const b of g.blocks()) await store.writeBlock(b);
      expect(await store.findTransactionsByHeight('btc', 2, 9)).toEqual([tid('pay'), tid('later')]);
      expect(await store.findTransactionsByHeight('btc', 3, 8)).toEqual([]);
    });

    it('knows the height of a stored block by its hash', async () => {
      const [mint] = payments().blocks();
      await store.writeBlock(mint!);
      expect(await store.blockHeight('btc', mint!.hash)).toBe(1);
      expect(await store.blockHeight('btc', '00'.repeat(32))).toBeNull();
      expect(await store.blockHeight('eth', mint!.hash)).toBeNull();
    });

    it('re-importing a newer list delists what it dropped and keeps the history', async () => {
      const first = await store.importLabels('ofac-sdn', [sanction('X'), sanction('Y')]);
      expect(first).toMatchObject({ added: 2, removed: 0, unchanged: 0 });
      const second = await store.importLabels('ofac-sdn', [sanction('Y'), sanction('Z')]);
      expect(second).toMatchObject({ added: 1, removed: 1, unchanged: 1 });
      expect(await store.findAddressesByCategory(['sanctioned'])).toEqual([addr('Y'), addr('Z')].sort());
      const history = await store.labelHistory(addr('X'));
      expect(history).toHaveLength(1);
      expect(history[0]!.removedAt).not.toBeNull();
      expect((await store.getLabels([addr('X')])).has(addr('X'))).toBe(false);
    });

    it('adds a single label once and removes it by id', async () => {
      const label: Label = { address: addr('E'), category: 'exchange', label: 'Example Exchange', source: 'manual', confidence: 80, actor: 'example' };
      const a = await store.addLabel(label);
      const b = await store.addLabel(label);
      expect(b.id).toBe(a.id);
      expect((await store.getLabels([addr('E')])).get(addr('E'))).toHaveLength(1);
      expect(await store.removeLabel(a.id)).toBe(true);
      expect(await store.removeLabel(a.id)).toBe(false);
      expect(await store.findAddressesByCategory(['exchange'])).toEqual([]);
    });

    it('notifies listeners of committed blocks and label changes', async () => {
      const seen: GraphChange[] = [];
      store.onChange((c) => seen.push(c));
      const [mint] = payments().blocks();
      await store.writeBlock(mint!);
      await store.writeBlock(mint!);
      await store.addLabel(sanction('X'));
      expect(seen).toEqual([
        { kind: 'block', chain: 'btc', height: 1, txIds: [tid('mint')], addresses: [addr('A')] },
        { kind: 'labels', addresses: [addr('X')] },
      ]);
    });

    it('still knows an address whose only label was removed, across a restart', async () => {
      const label = await store.addLabel(sanction('Q'));
      await store.removeLabel(label.id);
      const before = await store.getAddresses([addr('Q')]);
      expect(before.get(addr('Q'))).toMatchObject({ txCount: 0, totals: [] });
      store = await factory.reopen(store);
      expect(await store.getAddresses([addr('Q')])).toEqual(before);
    });

    it('refuses a UTXO fee given while input values are unknown', async () => {
      const [, paid] = payments().blocks();
      const bad = { ...paid!, transactions: paid!.transactions.map((t) => ({ ...t, inputs: t.inputs.map((i) => ({ ...i, value: null })) })) };
      await expect(store.writeBlock(bad)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('input values are unknown') });
    });

    it('keeps everything across a restart', async () => {
      const g = payments();
      for (const b of g.blocks()) await store.writeBlock(b);
      await store.addLabel(sanction('B'));
      const before = await store.stats();
      store = await factory.reopen(store);
      expect(await store.stats()).toEqual(before);
      expect((await store.getFlows([addr('B')])).get(addr('B'))!).toHaveLength(1);
      expect(await store.findAddressesByCategory(['sanctioned'])).toEqual([addr('B')]);
    });
  });
}

/**
 * The store contract: one suite that every GraphStore implementation runs (embedded, Neo4j). A case that
 * passes on one engine and fails on the other is a bug. Expected values are hand-computed from the tiny
 * literal graphs below.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphChange, GraphStore, WriteBlockResult } from '../../src/store/graph-store.js';
import type { Label } from '../../src/model/label.js';
import type { Block } from '../../src/model/transaction.js';
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

    // writeBlocks: the bulk load. Expected values are hand-computed, or those of writing the same blocks one by
    // one into a fresh store.
    describe('writeBlocks', () => {
      /** As a raw block arrives: inputs name their outpoint only, so the store must find value and address. */
      const raw = (block: Block): Block => ({
        ...block,
        transactions: block.transactions.map((t) => ({ ...t, fee: null, inputs: t.inputs.map((i) => ({ ...i, address: null, value: null })) })),
      });

      /** mint (h1) -> pay (h2) -> back (h5) -> later (h9), and 'extra' (h10) with a BIP30 repeat of mint. */
      function chain() {
        const g = payments();
        g.tx('back', { height: 5, inputs: [spend('pay', 0)], outputs: [['A', 2_999_000_000n]] });
        // Fee 2,999,000,000 - 2,998,000,000 - 900,000 = 100,000.
        g.tx('later', { height: 9, inputs: [spend('back', 0)], outputs: [['D', 2_998_000_000n], ['A', 900_000n]] });
        g.tx('extra', { height: 10, inputs: [coinbase()], outputs: [['E', 100n]] });
        const [mint, pay, back, later, extra] = g.blocks().map(raw);
        // The same coinbase transaction id again in block 10, as Bitcoin's blocks 91,812 and 91,842 repeat one.
        const repeat = { ...mint!.transactions[0]!, height: 10, blockHash: extra!.hash, position: 1, time: extra!.time };
        return { mint: mint!, pay: pay!, back: back!, later: later!, extra: { ...extra!, transactions: [...extra!.transactions, repeat] } };
      }

      /** Everything the read port says about the chain's transactions and addresses. */
      async function snapshot(s: GraphStore) {
        const txIds = ['mint', 'pay', 'back', 'later', 'extra'].map((n) => tid(n));
        const addresses = ['A', 'A2', 'B', 'D', 'E'].map((n) => addr(n));
        return {
          stats: await s.stats(),
          txs: await s.getTransactions(txIds),
          flows: await s.getFlows(addresses),
          summaries: await s.getAddresses(addresses),
          byHeight: await s.findTransactionsByHeight('btc', 0, 100),
        };
      }

      it('writes several blocks in one call, a later block spending the outputs of an earlier one', async () => {
        const { mint, pay, back } = chain();
        const seen: GraphChange[] = [];
        store.onChange((c) => seen.push(c));
        const results = await store.writeBlocks([mint, pay, back]);
        // Hand: pay spends mint's 50 BTC (fee 10,000 sat), back spends pay's 30 BTC to A (fee 1,000,000 sat).
        expect(results.map((r) => [r.height, r.written, r.transactions, r.inputs, r.resolvedInputs, r.backfilledInputs, r.outputs, r.newAddresses, r.fees, r.unknownFees])).toEqual([
          [1, true, 1, 0, 0, 0, 1, 1, 0n, 0],
          [2, true, 1, 1, 1, 0, 2, 2, 10_000n, 0],
          [5, true, 1, 1, 1, 0, 1, 0, 1_000_000n, 0],
        ]);
        const stats = await store.stats();
        expect(stats).toMatchObject({ blocks: 3, transactions: 3, inputs: 2, resolvedInputs: 2, outputs: 4, addresses: 3 });
        expect(stats.perChain.btc!.fees).toBe(1_010_000n);
        const txs = await store.getTransactions([tid('pay'), tid('back')]);
        expect(txs.get(tid('back'))!.inputs).toEqual([expect.objectContaining({ address: addr('B'), value: 3_000_000_000n, addressSource: 'prevout' })]);
        expect(txs.get(tid('back'))!.fee).toBe(1_000_000n);
        expect((await store.getFlows([addr('A')])).get(addr('A'))!.map((f) => [f.side, f.txId, f.value])).toEqual([
          ['output', tid('mint'), 5_000_000_000n],
          ['input', tid('pay'), 5_000_000_000n],
          ['output', tid('back'), 2_999_000_000n],
        ]);
        // One event per written block, after the commit, in batch order.
        expect(seen).toEqual([
          { kind: 'block', chain: 'btc', height: 1, txIds: [tid('mint')], addresses: [addr('A')] },
          { kind: 'block', chain: 'btc', height: 2, txIds: [tid('pay')], addresses: [addr('A'), addr('B'), addr('A2')] },
          { kind: 'block', chain: 'btc', height: 5, txIds: [tid('back')], addresses: [addr('B'), addr('A')] },
        ]);
      });

      it('stores nothing of a batch whose last block spends more than it has, and names that block', async () => {
        const { mint, pay } = chain();
        const g = tinyGraph('btc');
        g.tx('mint', { height: 1, inputs: [coinbase()], outputs: [['A', 5_000_000_000n]] });
        g.tx('pay', { height: 2, inputs: [spend('mint', 0)], outputs: [['B', 3_000_000_000n], ['A2', 1_999_990_000n]] });
        // Spends A2's 1,999,990,000 sat and creates 2,000,000,000: 10,000 sat too many.
        g.tx('over', { height: 3, inputs: [spend('pay', 1)], outputs: [['C', 2_000_000_000n]] });
        const over = raw(g.blocks()[2]!);
        const before = await store.stats();
        const seen: GraphChange[] = [];
        store.onChange((c) => seen.push(c));
        await expect(store.writeBlocks([mint, pay, over])).rejects.toMatchObject({
          code: 'INVALID_INPUT',
          message: 'transaction spends less than it creates: inputs minus outputs = -10000',
          context: { block: `btc:3:${over.hash}`, tx: tid('over') },
        });
        expect(await store.stats()).toEqual(before);
        expect((await store.getTransactions([tid('mint'), tid('pay'), tid('over')])).size).toBe(0);
        expect(await store.getFlows([addr('A'), addr('C')])).toEqual(new Map());
        expect(await store.blockHeight('btc', mint.hash)).toBeNull();
        expect(seen).toEqual([]);
        // Nothing was claimed: the good blocks alone are written afterwards.
        expect((await store.writeBlocks([mint, pay])).map((r) => r.written)).toEqual([true, true]);
      });

      it('writes nothing when the same batch runs again', async () => {
        const { mint, pay, back } = chain();
        await store.writeBlocks([mint, pay, back]);
        const before = await snapshot(store);
        const seen: GraphChange[] = [];
        store.onChange((c) => seen.push(c));
        const again = await store.writeBlocks([mint, pay, back]);
        expect(again.map((r) => [r.written, r.inputs, r.outputs, r.newAddresses, r.fees])).toEqual([
          [false, 0, 0, 0, 0n],
          [false, 0, 0, 0, 0n],
          [false, 0, 0, 0, 0n],
        ]);
        expect(await snapshot(store)).toEqual(before);
        expect(seen).toEqual([]);
      });

      it('skips the stored blocks of a batch that mixes stored and new ones, and a block given twice', async () => {
        const { mint, pay, back } = chain();
        await store.writeBlock(mint);
        const results = await store.writeBlocks([mint, pay, pay, back]);
        expect(results.map((r) => [r.height, r.written])).toEqual([
          [1, false],
          [2, true],
          [2, false],
          [5, true],
        ]);
        // Hand: as if written one by one: pay resolves from the stored mint, back from pay in the batch.
        expect(results[1]).toMatchObject({ resolvedInputs: 1, newAddresses: 2, fees: 10_000n });
        expect(results[3]).toMatchObject({ resolvedInputs: 1, newAddresses: 0, fees: 1_000_000n });
        const stats = await store.stats();
        expect(stats).toMatchObject({ blocks: 3, transactions: 3, inputs: 2, resolvedInputs: 2, outputs: 4, addresses: 3 });
        expect(stats.perChain.btc!.fees).toBe(1_010_000n);
      });

      it('gives the same results, counts, events and answers as writing the blocks one by one', async () => {
        const { mint, pay, back, later, extra } = chain();
        // pay is stored first, its input waiting for mint. In the batch, later waits for back (a later block of
        // the batch), back resolves from the stored pay, mint backfills the stored pay, extra repeats mint's id.
        const batch = [later, back, mint, extra];
        const run = async (s: GraphStore, write: (blocks: Block[]) => Promise<WriteBlockResult[]>) => {
          await s.writeBlock(pay);
          const seen: GraphChange[] = [];
          s.onChange((c) => seen.push(c));
          const results = await write(batch);
          return { results, seen, ...(await snapshot(s)) };
        };
        const oneByOne = await run(store, async (blocks) => {
          const out: WriteBlockResult[] = [];
          for (const b of blocks) out.push(await store.writeBlock(b));
          return out;
        });
        await store.close();
        store = await factory.open();
        const batched = await run(store, (blocks) => store.writeBlocks(blocks));
        expect(batched).toEqual(oneByOne);
        // Spot checks by hand: every input resolved, fees 10,000 + 1,000,000 + 100,000 sat, mint kept once.
        expect(batched.stats).toMatchObject({ blocks: 5, transactions: 5, inputs: 3, resolvedInputs: 3, outputs: 7, addresses: 5 });
        expect(batched.stats.perChain.btc!.fees).toBe(1_110_000n);
        expect(batched.results.map((r) => [r.height, r.backfilledInputs, r.fees, r.unknownFees])).toEqual([
          [9, 0, 0n, 1],
          [5, 1, 1_100_000n, 0],
          [1, 1, 10_000n, 0],
          [10, 0, 0n, 0],
        ]);
        expect(batched.txs.get(tid('mint'))!.height).toBe(1);
        expect(batched.txs.get(tid('later'))!.inputs[0]).toMatchObject({ address: addr('A'), value: 2_999_000_000n, addressSource: 'prevout' });
      });
    });
  });
}

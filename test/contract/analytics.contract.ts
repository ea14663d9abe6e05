/**
 * The analytics contract: every analytic, run through the read port of each engine, must give the answers
 * below. Expected values are hand-computed (seed/demo-laundering.md, the worked taint example of the issue)
 * or come from the independent implementation in test/fixtures/reference-clustering.ts.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../src/analytics/clustering/index.js';
import { detectPeelChains, scanPeelChains } from '../../src/analytics/peel-chain/index.js';
import { exposure, hopDistance, ProximityIndex } from '../../src/analytics/proximity/index.js';
import { propagateTaint, TAINT_MODELS, type TaintModel } from '../../src/analytics/taint/index.js';
import { allTransactionIds } from '../../src/app.js';
import { loadPrevoutsCsv, readBitcoinFile } from '../../src/ingest/bitcoin/index.js';
import { readScenarioFile, type Scenario } from '../../src/ingest/scenario/load-scenario.js';
import type { GraphStore } from '../../src/store/graph-store.js';
import { addr, coinbase, spend, tid, tinyGraph } from '../fixtures/tiny-graph.js';
import { referenceClustering } from '../fixtures/reference-clustering.js';

const root = path.resolve(import.meta.dirname, '../..');
const RAW = path.resolve(root, '../shared/data/bitcoin/block413567.raw');
const CSV = path.resolve(root, '../shared/data/bitcoin/block413567-prevouts.csv');

export interface AnalyticsStoreFactory {
  /** A fresh, empty store. */
  open(): Promise<GraphStore>;
}

/** Hop distances to the sanctioned LAZ following incoming funds, exchanges as stop points (seed/demo-laundering.md). */
const DEMO_DISTANCES_IN: Record<string, number> = {
  P0: 1, MIX1: 1, P1: 2, R1: 2, P2: 3, R2: 3, P3: 4, EX_D1: 4, P4: 5, R4: 5, P5: 6, R5: 6, P6: 7, R6: 7, C1: 2, MIX2: 2, EX_D2: 3, EX_HOT: 4,
};

export function defineAnalyticsContract(engine: string, factory: AnalyticsStoreFactory): void {
  describe(`analytics contract: ${engine}`, () => {
    describe('on the demo-laundering scenario', () => {
      let store: GraphStore;
      let scenario: Scenario;
      const a = (name: string) => scenario.addresses.get(name)!;
      beforeAll(async () => {
        store = await factory.open();
        scenario = await readScenarioFile(path.join(root, 'seed/demo-laundering.json'));
        for (const b of scenario.blocks) await store.writeBlock(b);
        await store.importLabels(`seed:${scenario.name}`, scenario.labels);
      });
      afterAll(async () => store?.close());

      it('gives the hand-computed hop distance of every address to the sanctioned entity (fresh search)', async () => {
        const got: Record<string, number | null> = {};
        for (const name of Object.keys(DEMO_DISTANCES_IN)) got[name] = (await hopDistance(store, a(name), { direction: 'in', maxHops: 8 })).distance;
        expect(got).toEqual(DEMO_DISTANCES_IN);
      });

      it('gives the same distances from the screening index, with an evidence path that ends at the entity', async () => {
        const index = await ProximityIndex.build(store, { maxHops: 8, maxHopsLimit: 8 });
        try {
          for (const [name, d] of Object.entries(DEMO_DISTANCES_IN)) {
            const r = await index.screen(a(name), { direction: 'in' });
            expect(r.distance, name).toBe(d);
            const path = r.paths[0]!;
            expect(path.addresses[0]).toBe(a(name));
            expect(path.addresses[path.addresses.length - 1]).toBe(a('LAZ'));
            expect(path.hops).toHaveLength(d);
          }
        } finally {
          index.close();
        }
      });

      it('finds the 6-hop peel chain from P0 with its peels', async () => {
        const result = await detectPeelChains(store, { address: a('P0') });
        expect(result.chains).toHaveLength(1);
        const chain = result.chains[0]!;
        expect(chain.length).toBe(6);
        expect(chain.totalPeeled).toBe(620_000_000n);
        expect(chain.hops.map((h) => h.peelAddress)).toEqual(['R1', 'R2', 'EX_D1', 'R4', 'R5', 'R6'].map(a));
        expect(chain.hops.map((h) => h.changeAddress)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6'].map(a));
        // floor(100,000,000 * 10^6 / 2,000,000,000) = 50,000 ppm, by hand.
        expect(chain.hops[0]!.peelRatioPpm).toBe(50_000);
        // The scan also finds C1's four deposits: one input, a 9,999,000 peel (about 10%) and the change back
        // to C1 each time, a peel chain whose change address is reused (seed/demo-laundering.md).
        const scan = await scanPeelChains(store, { chain: 'btc', fromHeight: 2_000_000, toHeight: 2_000_100 });
        expect(scan.chains.map((c) => [c.length, c.changeAddressReused])).toEqual([
          [6, false],
          [4, true],
        ]);
        expect(scan.chains[1]!.hops.map((h) => h.peelAddress)).toEqual(['EX_D2', 'EX_D2', 'EX_D2', 'EX_D2'].map(a));
      });

      it('clusters only the exchange deposit addresses swept together', async () => {
        const index = await ClusterIndex.build(store, await allTransactionIds(store));
        const ref = index.clusterOf(a('EX_D1'))!;
        expect(ref.size).toBe(2);
        expect(index.clusterOf(a('EX_D2'))!.id).toBe(ref.id);
        expect(index.clusters({ minSize: 2, limit: 100 }).total).toBe(1);
      });

      it('traces haircut taint from the sanctioned entity: all of C1 funding is tainted', async () => {
        const result = await propagateTaint(store, { address: a('LAZ') }, { model: 'haircut', maxHops: 3 });
        const c1 = result.outputs.find((o) => o.txId === scenario.graph.txs.get('mixout')!.id && o.index === 0)!;
        expect(c1.units).toBe(100_000_000n);
        expect(c1.hop).toBe(2);
      });
    });

    describe('on tiny graphs', () => {
      let store: GraphStore;
      afterAll(async () => store?.close());

      it('applies the worked taint example: inputs [3 tainted, 7 clean], outputs [4, 6], every model', async () => {
        store = await factory.open();
        const g = tinyGraph('btc');
        g.tx('dirty', { height: 1, inputs: [coinbase()], outputs: [['T', 3n]] });
        g.tx('clean', { height: 1, inputs: [coinbase()], outputs: [['K', 7n]] });
        g.tx('mix', { height: 2, inputs: [spend('dirty', 0), spend('clean', 0)], outputs: [['O4', 4n], ['O6', 6n]] });
        for (const b of g.blocks()) await store.writeBlock(b);
        const expected: Record<TaintModel, [string, string]> = {
          poison: ['4', '6'],
          haircut: ['6/5', '9/5'],
          fifo: ['3', '0'],
          lifo: ['0', '3'],
          tiho: ['0', '3'],
        };
        for (const model of TAINT_MODELS) {
          const result = await propagateTaint(store, { txId: tid('dirty'), index: 0 }, { model, maxHops: 1 });
          const of = (i: number) => {
            const o = result.outputs.find((x) => x.txId === tid('mix') && x.index === i);
            if (!o) return '0';
            return o.taint.den === 1n ? o.taint.num.toString() : `${o.taint.num}/${o.taint.den}`;
          };
          expect([of(0), of(1)], model).toEqual(expected[model]);
        }
      });

      it('measures direct exposure as a share of the value received', async () => {
        const s = await factory.open();
        const g = tinyGraph('btc');
        g.tx('m', { height: 1, inputs: [coinbase()], outputs: [['M', 30n]] });
        g.tx('x', { height: 1, inputs: [coinbase()], outputs: [['X', 10n]] });
        g.tx('pay', { height: 2, inputs: [spend('m', 0)], outputs: [['R', 30n]] });
        g.tx('pay2', { height: 2, inputs: [spend('x', 0)], outputs: [['R', 10n]] });
        for (const b of g.blocks()) await s.writeBlock(b);
        await s.addLabel({ address: addr('M'), category: 'mixer', label: 'mixer', source: 'test', confidence: 90, actor: null });
        const result = await exposure(s, addr('R'), { direction: 'in', maxHops: 1 });
        const mixer = result.categories.find((c) => c.category === 'mixer')!;
        // 30 of the 40 received came straight from the mixer: 7,500 bps direct, nothing indirect.
        expect(mixer.direct.bps).toBe(7_500);
        expect(mixer.direct.units).toBe(30n);
        expect(mixer.indirect.units).toBe(0n);
        await s.close();
      });
    });

    describe('on Bitcoin block 413,567 (real data)', () => {
      let store: GraphStore;
      beforeAll(async () => {
        store = await factory.open();
        const prevouts = await loadPrevoutsCsv(CSV);
        for await (const item of readBitcoinFile(RAW, { prevouts })) {
          if ('total' in item) continue;
          if (!item.ok) throw item.error;
          await store.writeBlock(item.block);
        }
      }, 300_000);
      afterAll(async () => store?.close());

      it('gives the published counts', async () => {
        const stats = await store.stats();
        expect(stats.perChain.btc).toMatchObject({ transactions: 1557, inputs: 4886, resolvedInputs: 4886, outputs: 3581, fees: 31_310_238n });
      });

      it('clusters it exactly as the independent union-find does', async () => {
        const expected = referenceClustering(RAW, CSV);
        const index = await ClusterIndex.build(store, await allTransactionIds(store));
        const multi = index.clusters({ minSize: 2, limit: 10_000 });
        expect(multi.items.map((c) => c.size)).toEqual(expected.multiSizes);
        expect(index.coinJoinExclusions().map((e) => e.txId.slice(4)).sort()).toEqual(expected.coinjoins);
      });
    });
  });
}

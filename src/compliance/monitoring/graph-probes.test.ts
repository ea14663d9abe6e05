import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addr, coinbase, spend, tid, tinyGraph } from '../../ingest/scenario/tiny-graph.js';
import { readScenarioFile } from '../../ingest/scenario/load-scenario.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../store/embedded/embedded-store.js';
import { analyticsProximity, graphProximity, labelJurisdictions, type ProximityProbe } from './graph-probes.js';
import { storeWith } from './test-support.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

const PROBES: [string, (g: EmbeddedStore, stopCategories?: ('exchange')[]) => ProximityProbe][] = [
  ['over analytics/proximity hopDistance', (g, stop) => analyticsProximity(g, stop ? { stopCategories: stop } : {})],
  ['own breadth-first search', (g, stop) => graphProximity(g, stop ? { stopCategories: stop } : {})],
];

describe.each(PROBES)('graph proximity %s', (_name, probeOf) => {
  it('reproduces the hop distances to the sanctioned LAZ of the demo scenario ground truth', async () => {
    const scenario = await readScenarioFile(path.join(repoRoot, 'seed/demo-laundering.json'));
    const store = await openEmbeddedStore({ dir: ':memory:' });
    for (const b of scenario.blocks) await store.writeBlock(b);
    await store.importLabels(`seed:${scenario.name}`, scenario.labels);
    // seed/demo-laundering.md, "Hop distance to the sanctioned LAZ, following incoming funds, exchanges as stop points".
    const expected: Record<string, number> = {
      P0: 1, MIX1: 1, P1: 2, R1: 2, P2: 3, R2: 3, P3: 4, EX_D1: 4, P4: 5, R4: 5, P5: 6, R5: 6, P6: 7, R6: 7, C1: 2, MIX2: 2, EX_D2: 3, EX_HOT: 4,
    };
    const ids = Object.keys(expected).map((n) => scenario.addresses.get(n)!);
    const found = await probeOf(store).nearest(ids, ['sanctioned'], { maxHops: 10, direction: 'in' });
    for (const [name, hops] of Object.entries(expected)) {
      const hit = found.get(scenario.addresses.get(name)!)!;
      expect(hit.map((h) => [h.target, h.hops]), name).toEqual([[scenario.addresses.get('LAZ'), hops]]);
    }
    const c1 = found.get(scenario.addresses.get('C1')!)![0]!;
    expect(c1.path).toEqual(['LAZ', 'MIX1', 'C1'].map((n) => scenario.addresses.get(n)));
    expect(c1.txIds).toEqual([tid('split'), tid('mixout')]);
    await store.close();
  });

  it('walks forward for "out", stops at exchanges, and reports hop 0 for a labelled start', async () => {
    const g = tinyGraph('btc');
    g.tx('f', { height: 1, inputs: [coinbase()], outputs: [['A', 100_000n]] });
    g.tx('a', { height: 2, inputs: [spend('f', 0)], outputs: [['EX', 90_000n]] });
    g.tx('b', { height: 3, inputs: [spend('a', 0)], outputs: [['MIX', 80_000n]] });
    g.tx('c', { height: 4, inputs: [spend('f', 0)], outputs: [['B', 50_000n]] });
    const store = await storeWith(g, [
      { name: 'EX', category: 'exchange' },
      { name: 'MIX', category: 'mixer' },
    ]);
    const probe = probeOf(store);
    // A -> EX -> MIX: EX is an exchange, not walked through.
    expect((await probe.nearest([addr('A')], ['mixer', 'exchange'], { maxHops: 5, direction: 'out' })).get(addr('A'))!.map((h) => [h.category, h.hops])).toEqual([['exchange', 1]]);
    // Without the stop rule the mixer is 2 hops away.
    const open = probeOf(store, []);
    expect((await open.nearest([addr('A')], ['mixer'], { maxHops: 5, direction: 'out' })).get(addr('A'))!.map((h) => [h.target, h.hops, h.path])).toEqual([
      [addr('MIX'), 2, [addr('A'), addr('EX'), addr('MIX')]],
    ]);
    // The start itself carries the label: hop 0, in both directions.
    expect((await probe.nearest([addr('MIX')], ['mixer'], { maxHops: 1, direction: 'both' })).get(addr('MIX'))!.map((h) => [h.direction, h.hops, h.path])).toEqual([
      ['in', 0, [addr('MIX')]],
      ['out', 0, [addr('MIX')]],
    ]);
    await store.close();
  });
});

describe('counterparty jurisdictions', () => {
  it('takes the configured address first, then the actor of a label, then a label detail country', async () => {
    const g = tinyGraph('btc');
    g.tx('f', { height: 1, inputs: [coinbase()], outputs: [['A', 1n], ['B', 1n], ['C', 1n], ['D', 1n]] });
    const store = await storeWith(g, [
      { name: 'A', category: 'exchange', actor: 'nobitex' },
      { name: 'B', category: 'exchange', detail: { country: 'ke' } },
      { name: 'C', category: 'exchange', actor: 'nobitex' },
    ]);
    const r = labelJurisdictions(store, { byAddress: { [addr('C')]: 'DE' }, byActor: { nobitex: 'IR' } });
    const got = await r.jurisdictionsOf([addr('A'), addr('B'), addr('C'), addr('D')]);
    expect(got).toEqual(
      new Map([
        [addr('A'), { country: 'IR', source: 'config:actor:nobitex' }],
        [addr('B'), { country: 'KE', source: 'label:test' }],
        [addr('C'), { country: 'DE', source: 'config:address' }],
      ]),
    );
    await store.close();
  });
});

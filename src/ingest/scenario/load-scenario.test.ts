import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import { readScenarioFile } from './load-scenario.js';

const seedFile = path.resolve(import.meta.dirname, '../../../seed/demo-laundering.json');

describe('demo-laundering scenario', () => {
  it('loads to the counts in its ground truth (seed/demo-laundering.md)', async () => {
    const scenario = await readScenarioFile(seedFile);
    const store = await openEmbeddedStore({ dir: ':memory:' });
    for (const b of scenario.blocks) await store.writeBlock(b);
    await store.importLabels(`seed:${scenario.name}`, scenario.labels);
    const stats = await store.stats();
    expect(stats.transactions).toBe(14);
    expect(stats.inputs).toBe(17);
    expect(stats.resolvedInputs).toBe(17);
    expect(stats.outputs).toBe(26);
    expect(stats.perChain.btc!.fees).toBe(130_000n);
    expect(stats.labels).toBe(3);
    const hot = (await store.getAddresses([scenario.addresses.get('EX_HOT')!])).get(scenario.addresses.get('EX_HOT')!)!;
    expect(hot.totals[0]!.received).toBe(129_986_000n);
    await store.close();
  });

  it('refuses an input that names an unknown output', async () => {
    const { buildScenario } = await import('./load-scenario.js');
    expect(() =>
      buildScenario({ name: 'bad', chain: 'btc', startHeight: 1, startTime: 0, secondsPerBlock: 600, labels: [], transactions: [{ name: 'a', height: 1, inputs: ['nope:0'], outputs: [] }] }),
    ).toThrow(/scenario: a spends unknown output nope:0/);
  });
});

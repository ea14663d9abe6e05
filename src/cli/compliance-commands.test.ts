import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScenarioFile } from '../ingest/scenario/load-scenario.js';
import { openEmbeddedStore } from '../store/embedded/embedded-store.js';
import { createComplianceService } from '../compliance/compliance-service.js';
import { openComplianceStore } from '../store/open-store.js';
import { registerComplianceCommands } from './compliance-commands.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'ariadne-cli-compliance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs one command line against the data directory, returning what it printed. */
async function cli(...args: string[]): Promise<string> {
  let out = '';
  const program = new Command().exitOverride();
  registerComplianceCommands(program, {
    out: (t) => (out += t),
    env: { ARIADNE_ACTOR: 'cli:tester' },
    async withService(work) {
      const graph = await openEmbeddedStore({ dir });
      try {
        return await work(await createComplianceService(graph, await openComplianceStore(graph), { sdnFile: path.resolve(repoRoot, '../shared/data/ofac/sdn-digital-currency-addresses-2025-11-19.csv') }));
      } finally {
        await graph.close();
      }
    },
  });
  await program.parseAsync(['node', 'ariadne', ...args]);
  return out;
}

describe('ariadne compliance', () => {
  beforeAll(async () => {
    const scenario = await readScenarioFile(path.join(repoRoot, 'seed/demo-laundering.json'));
    const graph = await openEmbeddedStore({ dir });
    for (const b of scenario.blocks) await graph.writeBlock(b);
    await graph.importLabels(`seed:${scenario.name}`, scenario.labels);
    await graph.close();
    const carol = scenario.customers[0]!;
    writeFileSync(
      path.join(dir, 'carol.json'),
      JSON.stringify({
        ...carol,
        dateOfBirth: '1988-04-12',
        address: '500 Market Street, San Francisco',
        idDocumentNumber: 'C12345678',
        email: 'carol.demo@example.com',
        occupation: 'graphic designer',
        sourceOfFunds: 'savings',
        expectedMonthlyVolumeUsd: '5000',
        identityVerification: 'document_and_biometric',
      }),
    );
  });

  it('onboards, monitors, works an alert, drafts a SAR and verifies the audit trail', async () => {
    expect(await cli('compliance', 'customer', 'add', path.join(dir, 'carol.json'))).toMatch(/^cust-carol: ACTIVE, screening CLEAR, risk HIGH \(score 185\)/);
    const monitor = JSON.parse(await cli('compliance', '--json', 'monitor', 'cust-carol'));
    expect(monitor.created.map((a: { ruleId: string }) => a.ruleId).sort()).toEqual(['large-transaction', 'mixer-interaction', 'peel-chain', 'sanctioned-counterparty', 'structuring']);
    const structuring = monitor.created.find((a: { ruleId: string }) => a.ruleId === 'structuring').id as string;
    expect(await cli('compliance', 'alert', 'review', structuring)).toBe(`${structuring}: IN_REVIEW\n`);
    expect(await cli('compliance', '--actor', 'cli:mlro', 'alert', 'escalate', structuring, '--note', 'four deposits')).toBe(`${structuring}: ESCALATED\n`);
    const sar = await cli('compliance', 'report', 'sar', structuring);
    expect(sar).toContain('WHO: The individual Carol Demo');
    const list = JSON.parse(await cli('compliance', '--json', 'alert', 'list', '--status', 'ESCALATED'));
    expect(list.map((a: { id: string }) => a.id)).toEqual([structuring]);
    const trail = JSON.parse(await cli('compliance', '--json', 'audit', 'list', '--subject', structuring));
    expect(trail.map((e: { actor: string; action: string }) => [e.actor, e.action])).toEqual([
      ['cli:tester', 'alert.create'],
      ['cli:tester', 'alert.status'],
      ['cli:mlro', 'alert.status'],
    ]);
    expect(await cli('compliance', 'audit', 'verify')).toMatch(/^audit trail intact: \d+ entries/);
  });

  it('refuses a closing without a disposition', async () => {
    await expect(cli('compliance', 'alert', 'close', 'alert-x')).rejects.toThrow(/--disposition/);
  });
});

/**
 * The compliance service end to end on the embedded store: the demo scenario's customer Carol
 * (seed/demo-laundering.json, ground truth in seed/demo-laundering.md), the three examples
 * (a structuring deposit of 9,999 USD, a remittance to a high-risk country, a withdrawal to a mixer),
 * onboarding, alert lifecycle, SAR and CTR drafts, monitoring as the graph changes, and audit tampering.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addr, coinbase, spend, tid, tinyGraph, type TinyGraph } from '../ingest/scenario/tiny-graph.js';
import { readScenarioFile, type Scenario } from '../ingest/scenario/load-scenario.js';
import { openEmbeddedStore, type EmbeddedStore } from '../store/embedded/embedded-store.js';
import { EmbeddedComplianceStore } from '../store/embedded/compliance/index.js';
import type { Alert, AuditContext } from '../store/compliance-store.js';
import { ComplianceService } from './compliance-service.js';
import { loadFatfLists } from './kyc/fatf-lists.js';
import { loadRiskMatrix } from './kyc/risk/risk-matrix.js';
import { loadSdnNames, type SdnNameIndex } from './kyc/screening/sdn-names.js';
import { analyticsProximity, graphPeelChains, labelJurisdictions } from './monitoring/graph-probes.js';
import { DEFAULT_MONITORING_CONFIG, parseMonitoringConfig } from './monitoring/monitoring-config.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const SDN_CSV = path.resolve(repoRoot, '../shared/data/ofac/sdn-digital-currency-addresses-2025-11-19.csv');
const rawConfig = JSON.parse(readFileSync(DEFAULT_MONITORING_CONFIG, 'utf8')) as Record<string, unknown>;
const NOW = Date.UTC(2025, 10, 22); // 2025-11-22T00:00:00Z
const DAY_MS = 86_400_000;
const analyst: AuditContext = { actor: 'cli:analyst' };

let sdn: SdnNameIndex;
let scenario: Scenario;
beforeAll(async () => {
  sdn = await loadSdnNames(SDN_CSV);
  scenario = await readScenarioFile(path.join(repoRoot, 'seed/demo-laundering.json'));
});

const opened: EmbeddedStore[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

async function setup(options: { config?: Record<string, unknown>; graph?: TinyGraph; labels?: { name: string; category: 'mixer' | 'sanctioned' | 'exchange'; actor?: string }[] } = {}) {
  const graph = await openEmbeddedStore({ dir: ':memory:' });
  opened.push(graph);
  if (options.graph) for (const b of options.graph.blocks()) await graph.writeBlock(b);
  if (options.labels) {
    await graph.importLabels('test', options.labels.map((l) => ({ address: addr(l.name), category: l.category, label: l.name, source: 'test', confidence: 100, actor: l.actor ?? null })));
  }
  let t = NOW;
  const clock = () => (t += 1000);
  const store = new EmbeddedComplianceStore(graph.db, { now: clock });
  const config = parseMonitoringConfig({ ...rawConfig, ...options.config });
  let n = 0;
  const service = new ComplianceService({
    graph,
    store,
    config,
    matrix: loadRiskMatrix(),
    fatf: loadFatfLists(),
    sdn,
    probes: { proximity: analyticsProximity(graph), peelChains: graphPeelChains(graph), jurisdictions: labelJurisdictions(graph, config.jurisdictions) },
    clock,
    newId: (prefix) => `${prefix}-${++n}`,
  });
  return { graph, store, service };
}

async function loadDemo(graph: EmbeddedStore): Promise<void> {
  for (const b of scenario.blocks) await graph.writeBlock(b);
  await graph.importLabels(`seed:${scenario.name}`, scenario.labels);
}

/** The scenario's Carol with the CDD fields the scenario file does not carry. */
function carolInput() {
  const c = scenario.customers.find((x) => x.id === 'cust-carol')!;
  return {
    id: c.id,
    type: c.type,
    legalName: c.legalName,
    country: c.country,
    addresses: c.addresses,
    dateOfBirth: '1988-04-12',
    address: '500 Market Street, San Francisco',
    nationality: 'US',
    idDocumentNumber: 'C12345678',
    email: 'carol.demo@example.com',
    occupation: 'graphic designer',
    occupationCategory: 'standard',
    sourceOfFunds: 'savings',
    expectedMonthlyVolumeUsd: '5000',
    identityVerification: 'document_and_biometric',
  };
}

function individual(id: string, addresses: string[], over: Record<string, unknown> = {}) {
  return {
    id,
    type: 'individual',
    legalName: 'Pat Sample',
    dateOfBirth: '1975-09-09',
    address: '1 High Street, Leeds',
    country: 'GB',
    idDocumentNumber: 'GB998877',
    email: 'pat@example.co.uk',
    occupation: 'engineer',
    sourceOfFunds: 'salary',
    expectedMonthlyVolumeUsd: '3000',
    identityVerification: 'document_and_biometric',
    addresses: addresses.map((a) => addr(a)),
    ...over,
  };
}

const byRule = (alerts: Alert[]) => Object.fromEntries(alerts.map((a) => [a.ruleId, a]));

describe('the demo customer Carol', () => {
  it('is onboarded CLEAR, rated HIGH (185 + sanctioned-exposure override) and gets an EDD task due in 30 days', async () => {
    const { graph, service } = await setup();
    await loadDemo(graph);
    const { customer, eddTask } = await service.onboardCustomer(carolInput(), analyst);
    expect(customer.status).toBe('ACTIVE');
    expect(customer.screening).toMatchObject({ decision: 'CLEAR', nameHits: [], pep: false });
    // C1 received from the mixer MIX1 (1 hop) whose funds came from the sanctioned LAZ (2 hops): ground truth "C1 2".
    expect(customer.screening!.addressHits.map((h) => [h.category, h.hops, h.direction])).toEqual([
      ['mixer', 1, 'in'],
      ['sanctioned', 2, 'in'],
    ]);
    // 15 (biometric) + 30 (savings) + 45 (observed 100,000 + 4 x 9,999 = 139,996 USD in 30 days) + 20 (US) + 15 + 60 (wallet) = 185.
    expect(customer.risk).toMatchObject({ score: 185, scoreLevel: 'MEDIUM', level: 'HIGH' });
    expect(customer.risk!.factors.find((f) => f.factor === 'volume_frequency')!.reason).toMatch(/observed 139996.00 USD in 30 days/);
    expect(eddTask).toMatchObject({ customerId: 'cust-carol', status: 'OPEN', riskLevel: 'HIGH' });
    expect(eddTask!.dueAt - eddTask!.openedAt).toBe(30 * DAY_MS);
  });

  it('raises structuring for her four 9,999 USD deposits, mixer and sanctioned exposure, the large mixer payout and her peel-shaped deposits', async () => {
    const { graph, service } = await setup();
    await loadDemo(graph);
    await service.onboardCustomer(carolInput(), analyst);
    const run = await service.runMonitoring({ customerIds: ['cust-carol'] }, { actor: 'system:monitor' });
    const alerts = byRule(run.created);
    expect(Object.keys(alerts).sort()).toEqual(['large-transaction', 'mixer-interaction', 'peel-chain', 'sanctioned-counterparty', 'structuring']);

    // Structuring: dep1..dep4, each 9,999,000 sat = 9,999 USD, 100 minutes apart (300 minutes in all).
    const s = alerts.structuring!;
    expect(s.evidence.transactions.map((t) => [t.txId, t.direction, t.value, t.usd])).toEqual(
      ['dep1', 'dep2', 'dep3', 'dep4'].map((n) => [tid(n), 'out', '9999000', '9999.00']),
    );
    expect(s.evidence.facts).toMatchObject({ count: 4, totalUsd: '39996.00', spanSeconds: 300 * 60 });
    expect(s.evidence.transactions[0]!.counterparties).toEqual([scenario.addresses.get('EX_D2')]);

    // Funded by the mixer, 1 hop; the sanctioned LAZ 2 hops back (score 95 - 15).
    expect(alerts['mixer-interaction']!.evidence.paths[0]).toMatchObject({ target: scenario.addresses.get('MIX1'), hops: 1, direction: 'in', txIds: [tid('mixout')] });
    expect(alerts['sanctioned-counterparty']).toMatchObject({ score: 80 });
    expect(alerts['sanctioned-counterparty']!.evidence.paths[0]!.addresses).toEqual(['LAZ', 'MIX1', 'C1'].map((x) => scenario.addresses.get(x)));
    // mixout paid C1 100,000,000 sat = 100,000 USD.
    expect(alerts['large-transaction']!.evidence.transactions.map((t) => [t.txId, t.usd])).toEqual([[tid('mixout'), '100000.00']]);
    // dep1..dep4: one input, two outputs, peel 9,999,000 of 99,990,000 (10%), change back to C1: a 4-hop chain from dep1.
    expect(alerts['peel-chain']!.evidence.facts).toMatchObject({ startTxId: tid('dep1'), length: 4, totalPeeled: '39996000' });

    // Running again finds the same facts: nothing new.
    const again = await service.runMonitoring({ customerIds: ['cust-carol'] }, { actor: 'system:monitor' });
    expect(again.created).toEqual([]);
    expect(again.duplicates).toBe(5);
  });

  it('drafts a SAR whose narrative carries the amounts, dates, addresses, paths and risk factors of the alerts', async () => {
    const { graph, service, store } = await setup();
    await loadDemo(graph);
    await service.onboardCustomer(carolInput(), analyst);
    const run = await service.runMonitoring({ customerIds: ['cust-carol'] }, { actor: 'system:monitor' });
    const alerts = byRule(run.created);
    const sar = await service.draftSar([alerts.structuring!.id, alerts['mixer-interaction']!.id], { actor: 'cli:mlro' });
    expect(sar).toMatchObject({ kind: 'SAR', status: 'DRAFT', customerId: 'cust-carol', createdBy: 'cli:mlro' });
    // In: mixout 100,000 USD; out: 4 x 9,999 = 39,996 USD.
    expect(sar.data.totals).toMatchObject({ inUsd: '100000.00', outUsd: '39996.00', byAsset: { BTC: { in: '100000000', out: '39996000' } } });
    // Times: start 2025-01-01T00:00:00Z + 600 s per block; mixout at +8 (01:20), dep4 at +40 (06:40).
    expect(sar.data.period).toEqual({ from: '2025-01-01T01:20:00Z', to: '2025-01-01T06:40:00Z' });
    const n = sar.narrative;
    expect(n).toContain('WHO: The individual Carol Demo (customer cust-carol, born 1988-04-12, US, ID document C12345678');
    expect(n).toContain('received 100000.00 USD and sent 39996.00 USD');
    expect(n).toContain(`2025-01-01T01:40:00Z sent 9999000 base units of BTC (9999.00 USD) to ${scenario.addresses.get('EX_D2')} in transaction ${tid('dep1')}`);
    expect(n).toContain(`${scenario.addresses.get('MIX1')} -> ${scenario.addresses.get('C1')} (mixer ${scenario.addresses.get('MIX1')}, 1 hop`);
    expect(n).toContain('Customer risk rating HIGH (weighted score 185;');
    expect(n).toContain('wallet_behaviour indirect_sanctioned');
    // Reviewable and exportable; the reading is audited.
    const reviewed = await service.reviewReport(sar.id, 'facts checked', { actor: 'cli:mlro2' });
    expect(reviewed).toMatchObject({ status: 'REVIEWED', reviewedBy: 'cli:mlro2', reviewNote: 'facts checked', version: 2 });
    const json = JSON.parse(await service.exportReport(sar.id, 'json', { actor: 'cli:mlro2' }));
    expect(json).toEqual(reviewed);
    const text = await service.exportReport(sar.id, 'text', { actor: 'cli:mlro2' });
    expect(text).toContain('NARRATIVE');
    expect(text).toContain(n.split('\n')[0]);
    expect((await store.readAudit({ subject: sar.id })).map((e) => [e.actor, e.action])).toEqual([
      ['cli:mlro', 'report.create'],
      ['cli:mlro2', 'report.read'],
      ['cli:mlro2', 'report.review'],
      ['cli:mlro2', 'report.read'],
      ['cli:mlro2', 'report.export'],
      ['cli:mlro2', 'report.read'],
      ['cli:mlro2', 'report.export'],
    ]);
  });

  it('drafts a CTR with the 100,000 USD payout and the day whose four deposits add up to 39,996 USD', async () => {
    const { graph, service } = await setup();
    await loadDemo(graph);
    await service.onboardCustomer(carolInput(), analyst);
    const ctr = await service.draftCtr('cust-carol', { fromTime: 1_735_689_600, toTime: 1_735_689_600 + 86_399 }, analyst);
    expect((ctr.data.largeTransactions as { txId: string; usd: string }[]).map((t) => [t.txId, t.usd])).toEqual([[tid('mixout'), '100000.00']]);
    expect(ctr.data.dailyAggregates).toEqual([
      { day: '2025-01-01', direction: 'in', totalUsd: '100000.00', count: 1, txIds: [tid('mixout')] },
      { day: '2025-01-01', direction: 'out', totalUsd: '39996.00', count: 4, txIds: ['dep1', 'dep2', 'dep3', 'dep4'].map((x) => tid(x)) },
    ]);
  });
});

describe('the issue examples through the service', () => {
  it('a remittance to a high-risk country raises a high-risk-jurisdiction alert', async () => {
    const g = tinyGraph('btc');
    // PAT is funded with 5,000 USD (below every threshold), then remits 2,000 USD to an Iranian exchange.
    g.tx('f', { height: 1, inputs: [coinbase()], outputs: [['PAT', 5_000_000n]] });
    g.tx('remit', { height: 2, inputs: [spend('f', 0)], outputs: [['NBX', 2_000_000n], ['PAT', 2_990_000n]] });
    const { service } = await setup({ graph: g, labels: [{ name: 'NBX', category: 'exchange', actor: 'nobitex' }], config: { counterpartyJurisdictions: { byActor: { nobitex: 'IR' } } } });
    await service.onboardCustomer(individual('cust-pat', ['PAT']), analyst);
    const run = await service.runMonitoring({ customerIds: ['cust-pat'] }, analyst);
    expect(run.created.map((a) => [a.ruleId, a.score, a.evidence.facts.country, a.evidence.transactions[0]!.usd])).toEqual([['high-risk-jurisdiction', 85, 'IR', '2000.00']]);
    expect(run.created[0]!.summary).toBe(`sent to ${addr('NBX')} in IR (FATF black list as of 2025-10-24): 2000.00 USD`);
  });

  it('a withdrawal to a mixer raises a mixer-interaction alert, re-rates the customer, and the alert moves through its lifecycle', async () => {
    const g = tinyGraph('btc');
    g.tx('f', { height: 1, inputs: [coinbase()], outputs: [['PAT', 5_000_000n]] });
    const { graph, service, store } = await setup({ graph: g, labels: [{ name: 'MIX', category: 'mixer' }] });
    const { customer } = await service.onboardCustomer(individual('cust-pat', ['PAT']), analyst);
    expect(customer.risk).toMatchObject({ level: 'LOW', score: 100 });
    const w = tinyGraph('btc');
    w.tx('f', { height: 1, inputs: [coinbase()], outputs: [['PAT', 5_000_000n]] });
    w.tx('wd', { height: 2, inputs: [spend('f', 0)], outputs: [['MIX', 3_000_000n], ['PAT', 1_990_000n]] });
    await graph.writeBlock(w.blocks()[1]!);
    const run = await service.runMonitoring({ customerIds: ['cust-pat'] }, { actor: 'system:monitor' });
    expect(run.created.map((a) => [a.ruleId, a.score, a.evidence.paths[0]!.direction, a.evidence.paths[0]!.hops])).toEqual([['mixer-interaction', 80, 'out', 1]]);
    // New exposure re-rates: wallet behaviour direct_mixer (3 x 20) -> 100 - 20 + 60 = 140, still LOW.
    expect(run.reRated).toEqual([{ customerId: 'cust-pat', from: 'LOW', to: 'LOW' }]);
    expect((await service.readCustomer('cust-pat', analyst)).risk).toMatchObject({ score: 140, level: 'LOW' });

    const id = run.created[0]!.id;
    await service.changeAlert(id, { kind: 'assign', assignee: 'cli:ann' }, analyst);
    await service.changeAlert(id, { kind: 'review' }, { actor: 'cli:ann' });
    await service.changeAlert(id, { kind: 'escalate', note: 'mixer withdrawal, no explanation' }, { actor: 'cli:ann' });
    const closed = await service.changeAlert(id, { kind: 'close', disposition: 'SAR_FILED' }, { actor: 'cli:mlro' });
    expect(closed).toMatchObject({ status: 'CLOSED', disposition: 'SAR_FILED', assignee: 'cli:ann', version: 5 });
    expect((await store.readAudit({ subject: id })).map((e) => [e.actor, e.action, e.details.to ?? null])).toEqual([
      ['system:monitor', 'alert.create', null],
      ['cli:analyst', 'alert.assign', 'cli:ann'],
      ['cli:ann', 'alert.status', 'IN_REVIEW'],
      ['cli:ann', 'alert.status', 'ESCALATED'],
      ['cli:mlro', 'alert.status', 'CLOSED'],
    ]);
    // Back from the fund flows to the alert.
    expect((await store.alertIdsByTransaction([tid('wd')])).get(tid('wd'))).toEqual([id]);
    expect((await store.alertIdsByAddress([addr('MIX')])).get(addr('MIX'))).toEqual([id]);
  });
});

describe('onboarding screening', () => {
  it('puts a customer whose alias is on the SDN list on PENDING_REVIEW, naming the entity', async () => {
    const { service } = await setup();
    const { customer } = await service.onboardCustomer(individual('cust-x', [], { legalName: 'Dmitry Khoroshev', aliases: ['D. Yurevich'] }), analyst);
    expect(customer.status).toBe('PENDING_REVIEW');
    expect(customer.screening!.decision).toBe('POTENTIAL_MATCH');
    // Both names point at the same SDN entity (the alias through its own alias "Yurievich Dmitry").
    expect(customer.screening!.nameHits.map((h) => [h.screenedName, h.primaryName]).sort()).toEqual([
      ['D. Yurevich', 'Khoroshev Dmitry Yuryevich'],
      ['Dmitry Khoroshev', 'Khoroshev Dmitry Yuryevich'],
    ]);
  });

  it('blocks a customer whose own wallet is sanctioned, and screens beneficial owners', async () => {
    const g = tinyGraph('btc');
    g.tx('f', { height: 1, inputs: [coinbase()], outputs: [['BAD', 1_000n]] });
    const { service } = await setup({ graph: g, labels: [{ name: 'BAD', category: 'sanctioned' }] });
    const { customer, eddTask } = await service.onboardCustomer(individual('cust-bad', ['BAD']), analyst);
    expect(customer.status).toBe('BLOCKED');
    expect(customer.screening!.decision).toBe('CONFIRMED_HIT');
    expect(customer.risk!.level).toBe('VERY_HIGH');
    expect(eddTask!.dueAt - eddTask!.openedAt).toBe(10 * DAY_MS);
    const firm = {
      type: 'entity',
      legalName: 'Harmless Imports Ltd',
      address: '2 Dock Road, Hull',
      country: 'GB',
      idDocumentNumber: '01234567',
      email: 'info@harmless.example',
      occupation: 'imports',
      sourceOfFunds: 'business_income',
      expectedMonthlyVolumeUsd: '40000',
      beneficialOwners: [{ name: 'Ekaterina Zhdanova', dateOfBirth: '1980-01-01', country: 'RU', ownershipPercent: 100 }],
    };
    const r = await service.onboardCustomer(firm, analyst);
    expect(r.customer.screening!.nameHits.map((h) => [h.of, h.primaryName])).toEqual([['owner:0', 'Zhdanova Ekaterina Valeryevna']]);
  });

  it('refuses invalid input with every problem, and records nothing', async () => {
    const { service, store } = await setup();
    await expect(service.onboardCustomer({ ...individual('c', []), email: 'no', dateOfBirth: '2010-01-01' }, analyst)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await store.auditHead()).toBeNull();
  });

  it('records ad hoc name screening as a decision', async () => {
    const { service, store } = await setup();
    const hits = await service.screenName('Хорошев Дмитрий', analyst);
    expect(hits[0]!.primaryName).toBe('Khoroshev Dmitry Yuryevich');
    const [entry] = await store.readAudit();
    expect(entry).toMatchObject({ actor: 'cli:analyst', action: 'screening.name', subject: '*' });
    expect(JSON.stringify(entry!.details)).not.toContain('Хорошев'); // the query itself is personal data: not copied
  });
});

describe('monitoring as the graph changes', () => {
  it('runs on new blocks of linked addresses and on new labels near them, re-rating and opening EDD', async () => {
    const g = tinyGraph('btc');
    g.tx('f', { height: 1, inputs: [coinbase()], outputs: [['X', 100_000_000n]] });
    g.tx('pay', { height: 2, inputs: [spend('f', 0)], outputs: [['PAT', 50_000_000n], ['X', 49_990_000n]] });
    const blocks = g.blocks();
    const { graph, service } = await setup();
    await graph.writeBlock(blocks[0]!);
    await service.onboardCustomer(individual('cust-pat', ['PAT']), analyst);
    const runs: Awaited<ReturnType<ComplianceService['runMonitoring']>>[] = [];
    let settle: () => void = () => {};
    const stop = service.attach(graph, { onRun: (r) => (runs.push(r), settle()), onError: (e) => { throw e; } });
    const next = () => new Promise<void>((resolve) => (settle = resolve));

    // A new block pays PAT 50,000,000 sat = 50,000 USD: a large transaction, found without asking.
    let wait = next();
    await graph.writeBlock(blocks[1]!);
    await wait;
    expect(runs[0]!.created.map((a) => [a.ruleId, a.evidence.transactions[0]!.txId])).toEqual([['large-transaction', tid('pay')]]);

    // X, who paid PAT, is now labelled sanctioned: 1 hop upstream of PAT -> alert, VERY_HIGH, EDD due in 10 days.
    wait = next();
    await graph.addLabel({ address: addr('X'), category: 'sanctioned', label: 'OFAC SDN', source: 'test', confidence: 100, actor: null });
    await wait;
    expect(runs[1]!.created.map((a) => [a.ruleId, a.score])).toEqual([['sanctioned-counterparty', 95]]);
    expect(runs[1]!.reRated).toEqual([{ customerId: 'cust-pat', from: 'LOW', to: 'VERY_HIGH' }]);
    expect(runs[1]!.eddOpened.map((t) => [t.customerId, t.riskLevel])).toEqual([['cust-pat', 'VERY_HIGH']]);
    stop();
  });
});

describe('audit trail', () => {
  it('records every KYC read with its actor, verifies, and names the entry edited in the database', async () => {
    const { graph, service, store } = await setup();
    await loadDemo(graph);
    await service.onboardCustomer(carolInput(), analyst);
    await service.readCustomer('cust-carol', { actor: 'api-key:k42', purpose: 'case review' });
    await service.runMonitoring({ customerIds: ['cust-carol'] }, { actor: 'system:monitor' });
    const reads = (await store.readAudit({ subject: 'cust-carol' })).filter((e) => e.action === 'customer.read');
    expect(reads.map((e) => [e.actor, e.details.purpose])).toEqual([
      ['api-key:k42', 'case review'],
      ['system:monitor', 're-rating after new alerts'],
    ]);
    const ok = await service.verifyAudit();
    expect(ok.ok).toBe(true);
    // Someone with the database file raises Carol's rating decision from HIGH to LOW.
    const rating = (await store.readAudit({ subject: 'cust-carol' })).find((e) => e.action === 'customer.rate')!;
    graph.db.exec('DROP TRIGGER cmp_audit_no_update');
    graph.db.prepare('UPDATE cmp_audit SET details = ? WHERE seq = ?').run(JSON.stringify({ ...rating.details, level: 'LOW' }), rating.seq);
    const broken = await service.verifyAudit();
    expect(broken).toMatchObject({ ok: false, badSeq: rating.seq, problem: 'edited', lastGoodSeq: rating.seq - 1 });
    expect(broken.message).toBe(`audit entry ${rating.seq} was edited: its content no longer hashes to its stored hash`);
  });
});

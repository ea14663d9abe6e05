/**
 * Runs every operation of docs/examples.graphql, in file order, over HTTP, with the role its `# role:`
 * comment names, against the demo scenario (seed/demo-laundering.json in an in-memory embedded store), and
 * checks the answers against the hand-computed ground truth of seed/demo-laundering.md (figures quoted
 * below). A failing example is a failing test: the documentation cannot drift from the service.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kind, parse, type OperationDefinitionNode } from '../../src/api/graphql-js.js';
import type { Role } from '../../src/api/auth/roles.js';
import type { Scenario } from '../../src/ingest/scenario/load-scenario.js';
import { loadDemoScenario, repoRoot, startTestService, type TestService } from './harness.js';

const file = path.join(repoRoot, 'docs', 'examples.graphql');
const text = readFileSync(file, 'utf8');
const document = parse(text);
const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);

/** The `# role:` comment in the lines right above an operation. */
function roleOf(op: OperationDefinitionNode): Role {
  const before = text.slice(0, op.loc!.start).split('\n').slice(-4).join('\n');
  const m = /# role: (screening|investigator|compliance|admin)\s*$/.exec(before.trimEnd());
  if (!m) throw new Error(`operation ${op.name?.value} has no "# role:" comment right above it`);
  return m[1] as Role;
}

let t: TestService;
let s: Scenario;
const a = (name: string) => s.addresses.get(name)!;
const tx = (name: string) => s.graph.txs.get(name)!.id;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const results = new Map<string, Json>();

/** Variables of the operations that take some, from the answers of earlier ones. */
const VARIABLES: Record<string, () => Record<string, unknown>> = {
  ReviewAlert: () => ({ id: results.get('EvaluateFourthDeposit').evaluateTransaction.alerts.find((x: Json) => x.ruleId === 'structuring').id }),
  DraftSar: () => ({ alertIds: results.get('EvaluateFourthDeposit').evaluateTransaction.alerts.map((x: Json) => x.id) }),
};

beforeAll(async () => {
  s = await loadDemoScenario();
  t = await startTestService({ blocks: s.blocks, labels: [{ source: `seed:${s.name}`, labels: s.labels }] });
});

afterAll(async () => {
  await t?.close();
});

/** What each example must answer (hand-computed; see seed/demo-laundering.md). */
const CHECKS: Record<string, (data: Json) => void> = {
  WhoAmI: (d) => expect(d.me).toEqual({ keyId: t.keyIds.screening, role: 'SCREENING' }),
  ScreenWallets: (d) => {
    // Distances following incoming funds: C1 2, P6 7, EX_HOT 4.
    expect(d.screen.map((r: Json) => r.distance)).toEqual([2, 7, 4]);
    expect(d.screen[0].paths[0].addresses).toEqual([a('C1'), a('MIX1'), a('LAZ')]);
    expect(d.screen[0].paths[0].hops.map((h: Json) => [h.transaction, h.received.value])).toEqual([
      [tx('mixout'), '100000000'],
      [tx('split'), '7999990000'],
    ]);
    // Screening risk (config/risk.json): sanctioned_proximity weight 75 x hop signal (2 hops 5,000 bps, 4 hops
    // 1,250, 7 hops beyond the table: 0) = 37.5 -> 38 (review), 9.375 -> 9 (approve), 0 (approve).
    expect(d.screen.map((r: Json) => [r.risk.score, r.decision])).toEqual([
      [38, 'REVIEW'],
      [0, 'APPROVE'],
      [9, 'APPROVE'],
    ]);
  },
  AddressOverview: ({ address: c }) => {
    // C1 received mixout 100,000,000 + changes 89,991,000 + 79,982,000 + 69,973,000 + 59,964,000 = 399,910,000;
    // it spent 100,000,000 + 89,991,000 + 79,982,000 + 69,973,000 = 339,946,000.
    expect(c.received.value).toBe('399910000');
    expect(c.sent.value).toBe('339946000');
    expect(c.balance).toEqual({ value: '59964000', unit: 'sat', formatted: '0.59964' });
    expect(c.txCount).toBe(5);
    // Heights +8 and +40; time = 1,735,689,600 + offset x 600.
    expect(c.firstSeen).toEqual({ height: 2_000_008, time: 1_735_694_400 });
    expect(c.lastSeen).toEqual({ height: 2_000_040, time: 1_735_713_600 });
    expect(c.cluster.size).toBe(1);
    expect(c.labels).toEqual([]);
    expect(c.neighbours.nodes.map((n: Json) => [n.address.id, n.direction, n.transactionCount, n.received.map((x: Json) => x.value), n.sent.map((x: Json) => x.value)])).toEqual(
      [
        [a('MIX1'), 'IN', 1, ['100000000'], []],
        [a('EX_D2'), 'OUT', 4, [], ['39996000']],
      ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );
    // Outgoing flows of at least 50,000,000 sat: C1 spends 100,000,000, 89,991,000, 79,982,000, 69,973,000.
    expect(c.transactions.totalCount).toBe(4);
    expect(c.transactions.nodes.map((n: Json) => [n.transaction.id, n.sent[0].value])).toEqual([
      [tx('dep1'), '100000000'],
      [tx('dep2'), '89991000'],
      [tx('dep3'), '79982000'],
      [tx('dep4'), '69973000'],
    ]);
    expect(c.risk.factors.reduce((sum: number, f: Json) => sum + f.contribution, 0)).toBe(c.risk.score);
    expect(c.risk.factors.find((f: Json) => f.name === 'sanctioned_proximity').value).toBe('2');
    expect(c.risk.factors.find((f: Json) => f.name === 'mixer_proximity').value).toBe('1');
  },
  SweepTransaction: ({ transaction: sweep }) => {
    expect(sweep.fee).toEqual({ value: '10000', unit: 'sat' });
    expect(sweep.inputs.map((i: Json) => [i.addressId, i.amount.value])).toEqual([
      [a('EX_D1'), '90000000'],
      [a('EX_D2'), '9999000'],
      [a('EX_D2'), '9999000'],
      [a('EX_D2'), '9999000'],
      [a('EX_D2'), '9999000'],
    ]);
    expect(sweep.inputs.map((i: Json) => i.spendsTx)).toEqual([tx('peel3'), tx('dep1'), tx('dep2'), tx('dep3'), tx('dep4')]);
    expect(sweep.outputs).toEqual([{ index: 0, addressId: a('EX_HOT'), amount: { value: '129986000' }, address: { labels: [{ category: 'EXCHANGE' }] } }]);
  },
  DepositCluster: ({ cluster: c }) => {
    const members = [a('EX_D1'), a('EX_D2')].sort();
    expect(c.id).toBe(members[0]);
    expect(c.size).toBe(2);
    expect(c.addresses.nodes.map((n: Json) => n.id)).toEqual(members);
    expect(c.evidence.nodes).toHaveLength(1);
    expect(c.evidence.nodes[0]).toMatchObject({ heuristic: 'multi-input', transaction: tx('sweep') });
    expect([c.evidence.nodes[0].a, c.evidence.nodes[0].b].sort()).toEqual(members);
  },
  TraceFromSanctioned: ({ trace }) => {
    const nodes = Object.fromEntries(trace.graph.nodes.map((n: Json) => [n.id, [n.kind, n.hop]]));
    expect(nodes).toEqual({
      [a('LAZ')]: ['ADDRESS', 0],
      [tx('split')]: ['TRANSACTION', 1],
      [a('P0')]: ['ADDRESS', 1],
      [a('MIX1')]: ['ADDRESS', 1],
      [tx('peel1')]: ['TRANSACTION', 2],
      [tx('mixout')]: ['TRANSACTION', 2],
      [a('R1')]: ['ADDRESS', 2],
      [a('P1')]: ['ADDRESS', 2],
      [a('C1')]: ['ADDRESS', 2],
      [a('MIX2')]: ['ADDRESS', 2],
    });
    const edges = trace.graph.edges.map((e: Json) => `${e.kind} ${e.from} ${e.to} ${e.amount.value}`).sort();
    expect(edges).toEqual(
      [
        `INPUT ${a('LAZ')} ${tx('split')} 10000000000`,
        `OUTPUT ${tx('split')} ${a('P0')} 2000000000`,
        `OUTPUT ${tx('split')} ${a('MIX1')} 7999990000`,
        `INPUT ${a('P0')} ${tx('peel1')} 2000000000`,
        `INPUT ${a('MIX1')} ${tx('mixout')} 7999990000`,
        `OUTPUT ${tx('peel1')} ${a('R1')} 100000000`,
        `OUTPUT ${tx('peel1')} ${a('P1')} 1899990000`,
        `OUTPUT ${tx('mixout')} ${a('C1')} 100000000`,
        `OUTPUT ${tx('mixout')} ${a('MIX2')} 7899980000`,
      ].sort(),
    );
    expect(trace.truncated).toEqual({ reason: 'MAX_HOPS' });
    expect(trace.graph.nodes.find((n: Json) => n.id === a('MIX1')).categories).toEqual(['MIXER']);
  },
  HaircutTaint: ({ taint }) => {
    expect(taint.sourceTotal.value).toBe('10000000000');
    // All of MIX1's input came from LAZ: C1's 100,000,000 sat are tainted in full.
    const c1 = taint.addresses.nodes.find((n: Json) => n.address === a('C1'));
    expect(c1).toMatchObject({ hop: 2, taint: { value: '100000000' }, exact: { numerator: '100000000', denominator: '1' } });
  },
  PeelChainFromStart: ({ peelChains }) => {
    expect(peelChains.chains.nodes).toHaveLength(1);
    const chain = peelChains.chains.nodes[0];
    expect(chain).toMatchObject({ startTransaction: tx('peel1'), length: 6, totalPeeled: { value: '620000000' }, changeAddressReused: false, end: 'unspent' });
    const peels = [100_000_000n, 120_000_000n, 90_000_000n, 110_000_000n, 95_000_000n, 105_000_000n];
    const changes = [1_899_990_000n, 1_779_980_000n, 1_689_970_000n, 1_579_960_000n, 1_484_950_000n, 1_379_940_000n];
    expect(chain.hops.map((h: Json) => h.peelAddress)).toEqual(['R1', 'R2', 'EX_D1', 'R4', 'R5', 'R6'].map(a));
    expect(chain.hops.map((h: Json) => h.changeAddress)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6'].map(a));
    expect(chain.hops.map((h: Json) => h.peel.value)).toEqual(peels.map(String));
    expect(chain.hops.map((h: Json) => h.change.value)).toEqual(changes.map(String));
    // floor(peel x 10^6 / (peel + change)): 100/2000 = 5% exactly, the others between 5% and 7.1%.
    expect(chain.hops.map((h: Json) => h.peelRatioPpm)).toEqual(peels.map((p, i) => Number((p * 1_000_000n) / (p + changes[i]!))));
    expect(chain.hops[0].peelRatioPpm).toBe(50_000);
  },
  PeelChainScan: ({ peelChains }) => {
    expect(peelChains.chains.totalCount).toBe(2);
    expect(peelChains.chains.nodes).toEqual([
      { startTransaction: tx('peel1'), length: 6, changeAddressReused: false, totalPeeled: { value: '620000000' } },
      // dep1..dep4: 4 x 9,999,000 peeled to EX_D2, change back to C1 each time.
      { startTransaction: tx('dep1'), length: 4, changeAddressReused: true, totalPeeled: { value: '39996000' } },
    ]);
  },
  DrawNeighbourhood: ({ subgraph }) => {
    expect(subgraph.center).toBe(a('C1'));
    expect(subgraph.truncated).toBe(false);
    expect(subgraph.nodes.map((n: Json) => [n.id, n.hop])).toEqual([[a('C1'), 0], ...[[a('EX_D2'), 1], [a('MIX1'), 1]].sort((x, y) => (x[0]! < y[0]! ? -1 : 1))]);
    expect(subgraph.edges.map((e: Json) => [e.source, e.target, e.amount.value, e.transactionCount]).sort()).toEqual(
      [
        [a('MIX1'), a('C1'), '100000000', 1],
        [a('C1'), a('EX_D2'), '39996000', 4],
      ].sort(),
    );
    expect(subgraph.nodes.find((n: Json) => n.id === a('MIX1'))).toMatchObject({ label: 'Demo mixer', categories: ['MIXER'] });
    expect(subgraph.nodes.find((n: Json) => n.id === a('C1')).balance.value).toBe('59964000');
    for (const n of subgraph.nodes) expect(Number.isFinite(n.x) && Number.isFinite(n.y)).toBe(true);
  },
  OnboardCustomer: ({ onboardCustomer }) => {
    expect(onboardCustomer.customer).toMatchObject({ id: 'cust-demo-carol', status: 'ACTIVE' });
    // C1 is 1 hop from the mixer and 2 from the sanctioned LAZ.
    const hits = onboardCustomer.customer.screening.addressHits.map((h: Json) => [h.category, h.target, h.hops]);
    expect(hits).toContainEqual(['mixer', a('MIX1'), 1]);
    expect(hits).toContainEqual(['sanctioned', a('LAZ'), 2]);
  },
  EvaluateFourthDeposit: ({ evaluateTransaction: e }) => {
    expect(e.transaction).toBe(tx('dep4'));
    expect(e.customers).toEqual(['cust-demo-carol']);
    const structuring = e.alerts.find((x: Json) => x.ruleId === 'structuring');
    // Four deposits of 9,999,000 sat = 9,999 USD each at the demo price of 100,000 USD/BTC.
    expect(structuring.evidence.transactions.map((x: Json) => [x.transaction, x.amount.value, x.usd])).toEqual(
      ['dep1', 'dep2', 'dep3', 'dep4'].map((n) => [tx(n), '9999000', '9999.00']),
    );
    expect(e.alerts.map((x: Json) => x.ruleId)).toEqual(expect.arrayContaining(['structuring', 'mixer-interaction', 'sanctioned-counterparty']));
  },
  OpenAlerts: ({ alerts }) => {
    const raised = results.get('EvaluateFourthDeposit').evaluateTransaction.alerts.map((x: Json) => x.id).sort();
    expect(alerts.nodes.map((x: Json) => x.id).sort()).toEqual(raised);
    expect(alerts.nodes.every((x: Json) => x.customerId === 'cust-demo-carol')).toBe(true);
  },
  ReviewAlert: ({ updateAlert }) => {
    expect(updateAlert).toMatchObject({ status: 'IN_REVIEW', assignee: 'analyst-1' });
    expect(updateAlert.notes).toEqual([expect.objectContaining({ actor: `api-key:${t.keyIds.investigator}`, text: 'Four deposits just under the threshold.' })]);
  },
  DraftSar: ({ draftSar }) => {
    expect(draftSar).toMatchObject({ kind: 'SAR', status: 'DRAFT' });
    expect(draftSar.narrative).toContain('Carol Demo');
  },
  CustomerFile: ({ customer }) => {
    expect(customer).toMatchObject({ id: 'cust-demo-carol', legalName: 'Carol Demo', email: 'carol@example.com' });
    expect(customer.addresses.nodes).toEqual([{ id: a('C1') }]);
    expect(customer.alerts.nodes.length).toBe(results.get('EvaluateFourthDeposit').evaluateTransaction.alerts.length);
  },
  AuditTrail: ({ auditLog }) => {
    const actor = `api-key:${t.keyIds.compliance}`;
    expect(auditLog.nodes).toContainEqual(expect.objectContaining({ actor, action: 'customer.read', subject: 'cust-demo-carol' }));
    expect(auditLog.nodes).toContainEqual(expect.objectContaining({ actor, action: 'api.request', subject: 'CustomerFile' }));
    expect(auditLog.nodes.map((e: Json) => e.seq)).toEqual(auditLog.nodes.map((_: Json, i: number) => i + 1));
  },
  LabelAddress: ({ addLabel }) => expect(addLabel).toMatchObject({ address: a('R1'), category: 'SCAM', source: `manual:${t.keyIds.admin}` }),
  CreateScreeningKey: ({ createApiKey }) => {
    expect(createApiKey.key).toMatch(/^ariadne_[A-Za-z0-9_-]{43}$/);
    expect(createApiKey.apiKey.role).toBe('SCREENING');
  },
  Stats: ({ stats }) => {
    // The demo alone: 14 transactions, one per block (heights +0..+8, +10, +20, +30, +40, +50); every one but
    // the coinbase pays 10,000 sat: 130,000.
    expect(stats.transactions).toBe(14);
    expect(stats.chains).toEqual([{ chain: 'btc', blocks: 14, transactions: 14, fees: { value: '130000', unit: 'sat', formatted: '0.0013' } }]);
  },
};

describe('docs/examples.graphql', () => {
  it('has a check for every example, and every example names its role', () => {
    expect(operations.map((o) => o.name!.value).sort()).toEqual(Object.keys(CHECKS).sort());
    for (const op of operations) expect(() => roleOf(op)).not.toThrow();
  });

  for (const op of operations) {
    const name = op.name!.value;
    it(`${name} runs as ${roleOf(op)} and answers the ground truth`, async () => {
      const r = await t.gql<Json>(text, { role: roleOf(op), operationName: name, variables: VARIABLES[name]?.() ?? {} });
      const body = r.body;
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      results.set(name, body.data);
      CHECKS[name]!(body.data);
    });
  }
});

/**
 * Compliance operations over HTTP on the demo scenario: onboarding errors, profile updates with version
 * checks, linking addresses, customer paging, the alert lifecycle through updateAlert, SAR drafting checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/ingest/scenario/load-scenario.js';
import { loadDemoScenario, startTestService, type TestService } from './harness.js';

let t: TestService;
let s: Scenario;
let alerts: { id: string; ruleId: string }[];
const a = (name: string) => s.addresses.get(name)!;

const base = {
  type: 'INDIVIDUAL',
  legalName: 'Erin Example',
  dateOfBirth: '1990-06-01',
  postalAddress: '3 Low Rd, Bristol',
  country: 'GB',
  idDocumentNumber: 'Q1234567',
  email: 'erin@example.com',
  occupation: 'Nurse',
  occupationCategory: 'standard',
  sourceOfFunds: 'salary',
  expectedMonthlyVolumeUsd: '3000',
  identityVerification: 'document_and_biometric',
};

const ONBOARD = 'mutation($input: CustomerInput!) { onboardCustomer(input: $input) { customer { id status version email } } }';

beforeAll(async () => {
  s = await loadDemoScenario();
  t = await startTestService({ blocks: s.blocks, labels: [{ source: `seed:${s.name}`, labels: s.labels }] });
  for (const [id, addresses] of [
    ['cust-a', [a('C1')]],
    ['cust-b', []],
    ['cust-c', []],
  ] as const) {
    const r = await t.gql(ONBOARD, { role: 'compliance', variables: { input: { ...base, id, addresses } } });
    expect(r.body.errors).toBeUndefined();
  }
  const e = await t.gql<{ evaluateTransaction: { alerts: { id: string; ruleId: string }[] } }>(`mutation { evaluateTransaction(id: "${s.graph.txs.get('dep4')!.id}") { alerts { id ruleId } } }`, { role: 'compliance' });
  alerts = e.body.data!.evaluateTransaction.alerts;
});

afterAll(async () => {
  await t?.close();
});

describe('customers', () => {
  it('lists every problem of an onboarding record at once', async () => {
    const r = await t.gql(ONBOARD, { role: 'compliance', variables: { input: { ...base, id: 'cust-bad', email: 'not-an-email', country: 'XX', dateOfBirth: '2020-01-01' } } });
    expect(r.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const message = r.body.errors![0]!.message;
    for (const field of ['email', 'country', 'dateOfBirth']) expect(message).toContain(field);
  });

  it('refuses an existing id with CONFLICT', async () => {
    const r = await t.gql(ONBOARD, { role: 'compliance', variables: { input: { ...base, id: 'cust-b' } } });
    expect(r.body.errors![0]!.extensions!.code).toBe('CONFLICT');
  });

  it('updates only the fields given, and refuses a stale version', async () => {
    const before = await t.gql<{ customer: { version: number; email: string; occupation: string } }>('{ customer(id: "cust-b") { version email occupation } }', { role: 'compliance' });
    const v = before.body.data!.customer.version;
    const stale = await t.gql(`mutation { updateCustomer(id: "cust-b", input: { email: "new@example.com" }, expectedVersion: ${v + 7}) { customer { id } } }`, { role: 'compliance' });
    expect(stale.body.errors![0]!.extensions!.code).toBe('CONFLICT');
    const r = await t.gql<{ updateCustomer: { customer: { email: string; occupation: string; status: string; version: number } } }>(
      `mutation { updateCustomer(id: "cust-b", input: { email: "new@example.com", status: PENDING_REVIEW }, expectedVersion: ${v}) { customer { email occupation status version } } }`,
      { role: 'compliance' },
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.updateCustomer.customer).toMatchObject({ email: 'new@example.com', occupation: 'Nurse', status: 'PENDING_REVIEW' });
    expect(r.body.data!.updateCustomer.customer.version).toBeGreaterThan(v);
    const bad = await t.gql('mutation { updateCustomer(id: "cust-b", input: { email: "broken" }) { customer { id } } }', { role: 'compliance' });
    expect(bad.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const audit = await t.gql<{ auditLog: { nodes: { action: string; subject: string; details: { fields?: string[] } }[] } }>('{ auditLog(subject: "cust-b", first: 100) { nodes { action subject details } } }', { role: 'admin' });
    expect(audit.body.data!.auditLog.nodes).toContainEqual(expect.objectContaining({ action: 'customer.update', details: { fields: ['email'] } }));
  });

  it('links addresses, which become visible from the address', async () => {
    const r = await t.gql<{ linkAddresses: { customer: { addresses: { nodes: { id: string }[] } } } }>(
      `mutation { linkAddresses(customerId: "cust-c", addresses: ["${a('EX_D2')}", "${a('R1')}"]) { customer { addresses { nodes { id } } } } }`,
      { role: 'compliance' },
    );
    expect(r.body.data!.linkAddresses.customer.addresses.nodes.map((n) => n.id)).toEqual([a('EX_D2'), a('R1')].sort());
    const back = await t.gql<{ address: { customers: string[] } }>(`{ address(id: "${a('R1')}") { customers } }`, { role: 'compliance' });
    expect(back.body.data!.address.customers).toEqual(['cust-c']);
  });

  it('pages customers by id', async () => {
    const p1 = await t.gql<{ customers: { nodes: { id: string; country: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>('{ customers(first: 2) { nodes { id country } pageInfo { hasNextPage endCursor } } }', { role: 'compliance' });
    expect(p1.body.data!.customers.nodes.map((c) => c.id)).toEqual(['cust-a', 'cust-b']);
    expect(p1.body.data!.customers.pageInfo.hasNextPage).toBe(true);
    const p2 = await t.gql<{ customers: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } } }>(`{ customers(first: 2, after: "${p1.body.data!.customers.pageInfo.endCursor}") { nodes { id } pageInfo { hasNextPage } } }`, { role: 'compliance' });
    expect(p2.body.data!.customers.nodes.map((c) => c.id)).toEqual(['cust-c']);
    expect(p2.body.data!.customers.pageInfo.hasNextPage).toBe(false);
  });
});

describe('alerts', () => {
  const update = (id: string, input: string) => t.gql<{ updateAlert: { status: string; disposition: string | null; version: number } }>(`mutation { updateAlert(id: "${id}", input: ${input}) { status disposition version } }`, { role: 'investigator' });

  it('follows the lifecycle and names what is allowed when a move is not', async () => {
    const id = alerts.find((x) => x.ruleId === 'structuring')!.id;
    const early = await update(id, '{ status: ESCALATED }');
    expect(early.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(early.body.errors![0]!.message).toContain('allowed next: IN_REVIEW');
    expect((await update(id, '{ status: IN_REVIEW }')).body.data!.updateAlert.status).toBe('IN_REVIEW');
    expect((await update(id, '{ status: CLOSED }')).body.errors![0]!.message).toContain('needs a disposition');
    expect((await update(id, '{ status: CLOSED, disposition: SAR_FILED }')).body.errors![0]!.message).toContain('SAR_FILED closes an ESCALATED alert');
    expect((await update(id, '{ status: ESCALATED, note: "to the MLRO" }')).body.data!.updateAlert.status).toBe('ESCALATED');
    expect((await update(id, '{ status: CLOSED, disposition: SAR_FILED }')).body.data!.updateAlert).toMatchObject({ status: 'CLOSED', disposition: 'SAR_FILED' });
    expect((await update(id, '{ status: OPEN }')).body.errors![0]!.message).toContain('cannot be reopened');
  });

  it('refuses a stale version and an empty update', async () => {
    const id = alerts.find((x) => x.ruleId !== 'structuring')!.id;
    expect((await update(id, '{ note: "x", expectedVersion: 99 }')).body.errors![0]!.extensions!.code).toBe('CONFLICT');
    expect((await update(id, '{}')).body.errors![0]!.message).toContain('nothing to change');
    expect((await update('alert-none', '{ note: "x" }')).body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });

  it('drafts a SAR only for the customer the alerts are about', async () => {
    const ids = JSON.stringify(alerts.map((x) => x.id));
    const wrong = await t.gql(`mutation { draftSar(input: { alertIds: ${ids}, customerId: "cust-b" }) { id } }`, { role: 'compliance' });
    expect(wrong.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const ok = await t.gql<{ draftSar: { customerId: string; alertIds: string[] } }>(`mutation { draftSar(input: { alertIds: ${ids}, customerId: "cust-a" }) { customerId alertIds } }`, { role: 'compliance' });
    expect(ok.body.data!.draftSar.customerId).toBe('cust-a');
    expect([...ok.body.data!.draftSar.alertIds].sort()).toEqual(alerts.map((x) => x.id).sort());
    const listed = await t.gql<{ reports: { nodes: { customerId: string }[] } }>('{ reports(filter: { customerId: "cust-a" }) { nodes { customerId } } }', { role: 'compliance' });
    expect(listed.body.data!.reports.nodes).toEqual([{ customerId: 'cust-a' }]);
  });
});

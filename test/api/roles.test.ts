/**
 * Every role against every operation, over HTTP (fetch against the running service), on the demo scenario.
 *
 * The expected outcomes are written here from the issue's role table, not read from the code:
 *   screening = screen only; investigator = graph queries and alerts; compliance = KYC data and SARs;
 *   admin = ingest, labels and keys. Roles are cumulative (a compliance key can do what an investigator
 *   can); customers' personal data is visible only to compliance and admin.
 * Allowed: HTTP 200 and no error at all. Refused: HTTP 403, FORBIDDEN, and nothing ran.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from '../../src/api/graphql-js.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/api/auth/roles.js';
import type { Scenario } from '../../src/ingest/scenario/load-scenario.js';
import { loadDemoScenario, repoRoot, startTestService, type TestService } from './harness.js';

const SCREENING_UP: Role[] = ['screening', 'investigator', 'compliance', 'admin'];
const INVESTIGATOR_UP: Role[] = ['investigator', 'compliance', 'admin'];
const COMPLIANCE_UP: Role[] = ['compliance', 'admin'];
const ADMIN_ONLY: Role[] = ['admin'];

let t: TestService;
let s: Scenario;
let alertId: string;
const a = (name: string) => s.addresses.get(name)!;
const tx = (name: string) => s.graph.txs.get(name)!.id;

interface Case {
  /** Root field or protected field, as `Type.field`. */
  coordinate: string;
  allowed: Role[];
  query: (role: Role) => string;
  variables?: (role: Role) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

const customerInput = (id: string) => ({
  id,
  type: 'INDIVIDUAL',
  legalName: 'Dana Example',
  dateOfBirth: '1980-02-03',
  postalAddress: '2 High St, Leeds',
  country: 'GB',
  idDocumentNumber: 'X99887766',
  email: 'dana@example.com',
  occupation: 'Teacher',
  occupationCategory: 'standard',
  sourceOfFunds: 'salary',
  expectedMonthlyVolumeUsd: '2000',
  identityVerification: 'document',
  addresses: [],
});

const CASES: Case[] = [
  { coordinate: 'Query.me', allowed: SCREENING_UP, query: () => '{ me { keyId role } }' },
  { coordinate: 'Query.stats', allowed: INVESTIGATOR_UP, query: () => '{ stats { transactions } }' },
  { coordinate: 'Query.screen', allowed: SCREENING_UP, query: () => `{ screen(addresses: ["${a('C1')}"]) { distance decision paths { addresses } } }` },
  { coordinate: 'Query.address', allowed: INVESTIGATOR_UP, query: () => `{ address(id: "${a('C1')}") { id labels { category } } }` },
  { coordinate: 'Query.transaction', allowed: INVESTIGATOR_UP, query: () => `{ transaction(id: "${tx('dep1')}") { id } }` },
  { coordinate: 'Query.cluster', allowed: INVESTIGATOR_UP, query: () => `{ cluster(id: "${a('EX_D1')}") { id size } }` },
  { coordinate: 'Query.trace', allowed: INVESTIGATOR_UP, query: () => `{ trace(from: "${a('LAZ')}", maxHops: 2) { graph { nodes { id } } } }` },
  { coordinate: 'Query.taint', allowed: INVESTIGATOR_UP, query: () => `{ taint(sources: [{ address: "${a('LAZ')}" }], maxHops: 2) { sourceTotal { value } } }` },
  { coordinate: 'Query.peelChains', allowed: INVESTIGATOR_UP, query: () => `{ peelChains(start: "${tx('peel1')}") { chains { totalCount } } }` },
  { coordinate: 'Query.subgraph', allowed: INVESTIGATOR_UP, query: () => `{ subgraph(center: "${a('C1')}", hops: 1) { nodes { id } } }` },
  { coordinate: 'Query.alert', allowed: INVESTIGATOR_UP, query: () => `{ alert(id: "${alertId}") { id status } }` },
  { coordinate: 'Query.alerts', allowed: INVESTIGATOR_UP, query: () => '{ alerts(first: 5) { nodes { id customerId } } }' },
  {
    coordinate: 'Mutation.updateAlert',
    allowed: INVESTIGATOR_UP,
    query: (role) => `mutation { updateAlert(id: "${alertId}", input: { note: "checked by ${role}" }) { id notes { text } } }`,
  },
  { coordinate: 'Query.customer', allowed: COMPLIANCE_UP, query: () => '{ customer(id: "cust-carol") { id legalName } }' },
  { coordinate: 'Query.customers', allowed: COMPLIANCE_UP, query: () => '{ customers(first: 5) { nodes { id } } }' },
  { coordinate: 'Query.report', allowed: COMPLIANCE_UP, query: () => '{ report(id: "no-such-report") { id } }' },
  { coordinate: 'Query.reports', allowed: COMPLIANCE_UP, query: () => '{ reports(first: 5) { nodes { id } } }' },
  { coordinate: 'Query.auditLog', allowed: COMPLIANCE_UP, query: () => '{ auditLog(first: 5) { nodes { seq action } } }' },
  {
    coordinate: 'Mutation.onboardCustomer',
    allowed: COMPLIANCE_UP,
    query: () => 'mutation($input: CustomerInput!) { onboardCustomer(input: $input) { customer { id } } }',
    variables: (role) => ({ input: customerInput(`cust-${role}`) }),
  },
  { coordinate: 'Mutation.updateCustomer', allowed: COMPLIANCE_UP, query: () => 'mutation { updateCustomer(id: "cust-carol", input: { occupation: "Engineer" }) { customer { id } } }' },
  { coordinate: 'Mutation.linkAddresses', allowed: COMPLIANCE_UP, query: () => `mutation { linkAddresses(customerId: "cust-carol", addresses: ["${a('C1')}"]) { customer { id } } }` },
  { coordinate: 'Mutation.evaluateTransaction', allowed: COMPLIANCE_UP, query: () => `mutation { evaluateTransaction(id: "${tx('dep2')}") { customers } }` },
  { coordinate: 'Mutation.draftSar', allowed: COMPLIANCE_UP, query: () => `mutation { draftSar(input: { alertIds: ["${alertId}"] }) { id kind } }` },
  {
    coordinate: 'Mutation.addLabel',
    allowed: ADMIN_ONLY,
    query: (role) => `mutation { addLabel(input: { address: "${a('R1')}", category: SCAM, label: "added by ${role}" }) { id } }`,
  },
  { coordinate: 'Mutation.removeLabel', allowed: ADMIN_ONLY, query: () => 'mutation { removeLabel(id: "999999") }' },
  {
    coordinate: 'Mutation.importSanctionsList',
    allowed: ADMIN_ONLY,
    query: () => 'mutation { importSanctionsList(input: { format: ADDRESS_LIST, currency: "XBT", content: "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\\n" }) { source added unchanged } }',
  },
  { coordinate: 'Mutation.ingestBlocks', allowed: ADMIN_ONLY, query: () => 'mutation { ingestBlocks(input: { format: BITCOIN_RAW_HEX, blocks: ["00"] }) { written failures { index code } } }' },
  { coordinate: 'Mutation.createApiKey', allowed: ADMIN_ONLY, query: () => 'mutation { createApiKey(role: SCREENING, name: "made in a test") { key apiKey { id role } } }' },
  {
    coordinate: 'Mutation.revokeApiKey',
    allowed: ADMIN_ONLY,
    query: () => 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }',
    variables: async () => {
      const r = await t.gql<{ createApiKey: { apiKey: { id: string } } }>('mutation { createApiKey(role: SCREENING, name: "to revoke") { apiKey { id } } }', { role: 'admin' });
      return { id: r.body.data!.createApiKey.apiKey.id };
    },
  },
  { coordinate: 'Query.apiKeys', allowed: ADMIN_ONLY, query: () => '{ apiKeys(first: 5) { nodes { id role } } }' },
  // Protected fields reached through operations the role may use.
  { coordinate: 'ScreeningResult.address', allowed: INVESTIGATOR_UP, query: () => `{ screen(addresses: ["${a('C1')}"]) { address { id } } }` },
  { coordinate: 'Address.alerts', allowed: INVESTIGATOR_UP, query: () => `{ address(id: "${a('C1')}") { alerts } }` },
  { coordinate: 'Transaction.alerts', allowed: INVESTIGATOR_UP, query: () => `{ transaction(id: "${tx('dep1')}") { alerts } }` },
  { coordinate: 'Address.customers', allowed: COMPLIANCE_UP, query: () => `{ address(id: "${a('C1')}") { customers } }` },
  { coordinate: 'Alert.customer', allowed: COMPLIANCE_UP, query: () => `{ alert(id: "${alertId}") { customer { legalName } } }` },
  { coordinate: 'Alert.reports', allowed: COMPLIANCE_UP, query: () => `{ alert(id: "${alertId}") { reports { id } } }` },
];

beforeAll(async () => {
  s = await loadDemoScenario();
  t = await startTestService({ blocks: s.blocks, labels: [{ source: `seed:${s.name}`, labels: s.labels }] });
  const onboard = await t.gql('mutation($input: CustomerInput!) { onboardCustomer(input: $input) { customer { id } } }', {
    role: 'compliance',
    variables: { input: { ...customerInput('cust-carol'), legalName: 'Carol Demo', country: 'US', addresses: [a('C1')] } },
  });
  expect(onboard.body.errors, t.logs.join("\n")).toBeUndefined();
  const evaluated = await t.gql<{ evaluateTransaction: { alerts: { id: string; ruleId: string }[] } }>(`mutation { evaluateTransaction(id: "${tx('dep4')}") { alerts { id ruleId } } }`, { role: 'compliance' });
  expect(evaluated.body.errors).toBeUndefined();
  alertId = evaluated.body.data!.evaluateTransaction.alerts.find((x) => x.ruleId === 'structuring')!.id;
});

afterAll(async () => {
  await t?.close();
});

describe('the role table covers the schema', () => {
  it('has a case for every query and mutation of schema.graphql', () => {
    const schema = buildSchema(readFileSync(path.join(repoRoot, 'schema.graphql'), 'utf8'));
    const roots = [
      ...Object.keys(schema.getQueryType()!.getFields()).map((f) => `Query.${f}`),
      ...Object.keys(schema.getMutationType()!.getFields()).map((f) => `Mutation.${f}`),
    ].sort();
    expect(CASES.map((c) => c.coordinate).filter((c) => c.startsWith('Query.') || c.startsWith('Mutation.')).sort()).toEqual(roots);
  });
});

describe.each(ROLES)('role %s', (role) => {
  it.each(CASES.map((c) => [c.coordinate, c] as const))('%s', async (_coordinate, c) => {
    const variables = c.variables ? await c.variables(role) : {};
    const r = await t.gql(c.query(role), { role, variables });
    if (c.allowed.includes(role)) {
      expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
      expect(r.status).toBe(200);
    } else {
      expect(r.status).toBe(403);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(r.body.errors?.[0]?.message).toContain(c.coordinate);
      expect(r.body.data ?? null).toBeNull();
    }
  });
});

describe('refused operations change nothing', () => {
  it('an investigator cannot add a label, and the label is not there afterwards', async () => {
    const r = await t.gql(`mutation { addLabel(input: { address: "${a('R2')}", category: HACK, label: "by investigator" }) { id } }`, { role: 'investigator' });
    expect(r.status).toBe(403);
    const labels = await t.store.getLabels([a('R2')]);
    expect((labels.get(a('R2')) ?? []).map((l) => l.label)).not.toContain('by investigator');
  });

  it('a screening key cannot onboard a customer, and no customer is created', async () => {
    const r = await t.gql('mutation($input: CustomerInput!) { onboardCustomer(input: $input) { customer { id } } }', { role: 'screening', variables: { input: customerInput('cust-refused') } });
    expect(r.status).toBe(403);
    const read = await t.gql('{ customer(id: "cust-refused") { id } }', { role: 'admin' });
    expect(read.body.data).toEqual({ customer: null });
  });
});

describe('audit of customer and SAR access', () => {
  it('writes the key id of every query that touches customers, refused attempts included', async () => {
    await t.gql('query ReadCarol { customer(id: "cust-carol") { legalName email } }', { role: 'compliance' });
    await t.gql('query PeekCarol { customer(id: "cust-carol") { legalName } }', { role: 'investigator' });
    const log = await t.gql<{ auditLog: { nodes: { actor: string; action: string; subject: string; details: Record<string, unknown> }[] } }>(
      '{ auditLog(first: 500) { nodes { actor action subject details } } }',
      { role: 'admin' },
    );
    const entries = log.body.data!.auditLog.nodes;
    const compliance = `api-key:${t.keyIds.compliance}`;
    const investigator = `api-key:${t.keyIds.investigator}`;
    expect(entries).toContainEqual(expect.objectContaining({ actor: compliance, action: 'api.request', subject: 'ReadCarol', details: expect.objectContaining({ keyId: t.keyIds.compliance, fields: ['Query.customer'] }) }));
    expect(entries).toContainEqual(expect.objectContaining({ actor: compliance, action: 'customer.read', subject: 'cust-carol' }));
    expect(entries).toContainEqual(expect.objectContaining({ actor: investigator, action: 'api.denied', subject: 'PeekCarol' }));
    expect(entries.some((e) => e.actor === investigator && e.action === 'customer.read')).toBe(false);
  });

  it('writes SAR drafting with the key id', async () => {
    const r = await t.gql<{ draftSar: { id: string } }>(`mutation DraftOne { draftSar(input: { alertIds: ["${alertId}"], customerId: "cust-carol" }) { id } }`, { role: 'compliance' });
    expect(r.body.errors).toBeUndefined();
    const log = await t.gql<{ auditLog: { nodes: { actor: string; action: string; subject: string }[] } }>('{ auditLog(first: 500) { nodes { actor action subject } } }', { role: 'admin' });
    expect(log.body.data!.auditLog.nodes).toContainEqual({ actor: `api-key:${t.keyIds.compliance}`, action: 'report.create', subject: r.body.data!.draftSar.id });
    expect(log.body.data!.auditLog.nodes).toContainEqual({ actor: `api-key:${t.keyIds.compliance}`, action: 'api.request', subject: 'DraftOne' });
  });
});

/**
 * Compliance resolvers: customers (personal data: every read goes through the audited store reads with
 * the key's id as actor), alerts, reports (SAR drafts) and the audit trail. The decisions (validation,
 * screening, risk rating, monitoring rules, alert lifecycle, SAR narrative) are the compliance domain's;
 * these resolvers only call it and map its records to the schema.
 */
import { AriadneError } from '../../errors.js';
import type { AddressId } from '../../model/address.js';
import type { Alert, AlertEvidence, AlertQuery, AuditEntry, Customer, CustomerQuery, CustomerSummary, EvidencePath, EvidenceTransaction, Report, ReportQuery, ReportSummary } from '../../store/compliance-store.js';
import type { ComplianceAccess } from '../compliance-access.js';
import type { ApiContext } from '../context.js';
import { pageSize } from '../limits.js';
import { connectionByKey, connectionFromPage, decodeCursor, encodeCursor, offsetAfter, type Connection, type PageArgs } from '../paging.js';
import { amountView } from './amount.js';
import { loadAddresses } from './graph.js';
import { complianceMutations } from './compliance-mutations.js';

/** The request's compliance access; STORE_UNAVAILABLE when the app runs without a compliance store. */
export function compliance(ctx: ApiContext): ComplianceAccess {
  if (!ctx.compliance) throw new AriadneError('STORE_UNAVAILABLE', 'this service runs without a compliance store: customers, alerts and reports are not available');
  return ctx.compliance;
}

type CustomerParent = Customer | CustomerSummary;

/** The full record behind a customer parent (a list gives summaries): one audited, batched read. */
async function full(ctx: ApiContext, c: CustomerParent): Promise<Customer> {
  if ('legalName' in c) return c;
  const found = await compliance(ctx).loaders.customer.load(c.id);
  if (!found) throw new AriadneError('NOT_FOUND', `customer ${c.id} is no longer stored`);
  return found;
}

const pii =
  <K extends keyof Customer>(key: K) =>
  async (c: CustomerParent, _: unknown, ctx: ApiContext): Promise<Customer[K]> =>
    (await full(ctx, c))[key];

/** Alerts paged by offset from the store, newest first. */
async function alertPage(ctx: ApiContext, list: string, query: Omit<AlertQuery, 'offset' | 'limit'>, args: PageArgs): Promise<Connection<Alert>> {
  const first = pageSize(args.first);
  const offset = offsetAfter(list, args.after);
  const items = first === 0 ? [] : await compliance(ctx).store.findAlerts({ ...query, offset, limit: first + 1 });
  return connectionFromPage(list, items, offset, first, null);
}

const evidenceTransaction = (t: EvidenceTransaction) => ({
  transaction: t.txId,
  height: t.height,
  time: t.time,
  direction: t.direction,
  amount: amountView(BigInt(t.value), t.asset),
  usd: t.usd,
  counterparties: t.counterparties,
  linkedAddresses: t.linkedAddresses,
});

const evidencePath = (p: EvidencePath) => ({ ...p, transactions: p.txIds });

export const complianceResolvers = {
  Query: {
    customer: (_: unknown, args: { id: string }, ctx: ApiContext) => compliance(ctx).loaders.customer.load(args.id),
    customers: async (_: unknown, args: PageArgs & { filter?: { status?: Customer['status'] | null; riskLevel?: CustomerSummary['riskLevel'] | null } | null }, ctx: ApiContext) => {
      const first = pageSize(args.first);
      const query: CustomerQuery = { limit: first + 1 };
      if (args.filter?.status) query.status = args.filter.status;
      if (args.filter?.riskLevel) query.riskLevel = args.filter.riskLevel;
      if (args.after) query.after = decodeCursor('customers', args.after);
      const items = first === 0 ? [] : await compliance(ctx).store.listCustomers(query, compliance(ctx).audit);
      const page = items.slice(0, first);
      const edges = page.map((node) => ({ cursor: encodeCursor('customers', node.id), node }));
      return {
        edges,
        nodes: page,
        pageInfo: { hasNextPage: items.length > first, hasPreviousPage: !!args.after, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
        totalCount: null,
      };
    },
    alert: (_: unknown, args: { id: string }, ctx: ApiContext) => compliance(ctx).loaders.alert.load(args.id),
    alerts: (_: unknown, args: PageArgs & { filter?: { status?: Alert['status'][] | null; customerId?: string | null; ruleId?: string | null; assignee?: string | null } | null }, ctx: ApiContext) => {
      const f = args.filter ?? {};
      const query: Omit<AlertQuery, 'offset' | 'limit'> = {};
      if (f.status && f.status.length > 0) query.status = f.status;
      if (f.customerId) query.customerId = f.customerId;
      if (f.ruleId) query.ruleId = f.ruleId;
      if (f.assignee) query.assignee = f.assignee;
      return alertPage(ctx, 'alerts', query, args);
    },
    report: (_: unknown, args: { id: string }, ctx: ApiContext) => compliance(ctx).loaders.report.load(args.id),
    reports: async (_: unknown, args: PageArgs & { filter?: { customerId?: string | null; alertId?: string | null; kind?: string | null; status?: string | null } | null }, ctx: ApiContext) => {
      const f = args.filter ?? {};
      const query: ReportQuery = {};
      if (f.customerId) query.customerId = f.customerId;
      if (f.alertId) query.alertId = f.alertId;
      if (f.kind) query.kind = f.kind as ReportQuery['kind'];
      if (f.status) query.status = f.status as ReportQuery['status'];
      return connectionByKey('reports', await compliance(ctx).store.listReports(query), args, (r) => r.id);
    },
    auditLog: async (_: unknown, args: PageArgs & { subject?: string | null }, ctx: ApiContext) => {
      const first = pageSize(args.first);
      const fromSeq = args.after ? Number(decodeCursor('audit', args.after)) + 1 : 1;
      const items = first === 0 ? [] : await compliance(ctx).store.readAudit({ fromSeq, limit: first + 1, ...(args.subject ? { subject: args.subject } : {}) });
      const page = items.slice(0, first);
      const edges = page.map((node) => ({ cursor: encodeCursor('audit', String(node.seq)), node }));
      return {
        edges,
        nodes: page,
        pageInfo: { hasNextPage: items.length > first, hasPreviousPage: fromSeq > 1, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
        totalCount: null,
      };
    },
  },
  Mutation: complianceMutations,
  Customer: {
    legalName: pii('legalName'),
    aliases: pii('aliases'),
    dateOfBirth: pii('dateOfBirth'),
    postalAddress: pii('address'),
    nationality: pii('nationality'),
    idDocumentNumber: pii('idDocumentNumber'),
    email: pii('email'),
    occupation: pii('occupation'),
    occupationCategory: pii('occupationCategory'),
    sourceOfFunds: pii('sourceOfFunds'),
    sourceOfFundsDetail: pii('sourceOfFundsDetail'),
    expectedMonthlyVolumeUsd: pii('expectedMonthlyVolumeUsd'),
    pep: pii('pep'),
    identityVerification: pii('identityVerification'),
    beneficialOwners: pii('beneficialOwners'),
    screening: pii('screening'),
    risk: pii('risk'),
    updatedAt: pii('updatedAt'),
    version: pii('version'),
    riskLevel: async (c: CustomerParent, _: unknown, ctx: ApiContext) => ('riskLevel' in c ? c.riskLevel : ((await full(ctx, c)).risk?.level ?? null)),
    addresses: async (c: CustomerParent, args: PageArgs, ctx: ApiContext) => {
      const ids: AddressId[] = 'addresses' in c ? c.addresses : ((await compliance(ctx).store.linkedAddresses([c.id])).get(c.id) ?? []);
      const page = connectionByKey(`customer-addresses:${c.id}`, [...ids].sort(), args, (a) => a);
      const nodes = await loadAddresses(ctx, page.nodes);
      return { ...page, nodes, edges: page.edges.map((e, i) => ({ cursor: e.cursor, node: nodes[i]! })) };
    },
    alerts: (c: CustomerParent, args: PageArgs, ctx: ApiContext) => alertPage(ctx, `customer-alerts:${c.id}`, { customerId: c.id }, args),
  },
  Alert: {
    customer: (a: Alert, _: unknown, ctx: ApiContext) => (a.customerId ? compliance(ctx).loaders.customer.load(a.customerId) : null),
    reports: async (a: Alert, _: unknown, ctx: ApiContext): Promise<ReportSummary[]> => compliance(ctx).store.listReports({ alertId: a.id }),
  },
  AlertEvidence: {
    transactions: (e: AlertEvidence) => e.transactions.map(evidenceTransaction),
    paths: (e: AlertEvidence) => e.paths.map(evidencePath),
  },
  AddressHit: {
    path: (h: { path: AddressId[] }) => h.path,
    transactions: (h: { txIds: string[] }) => h.txIds,
  },
  Report: {
    data: (r: Report) => r.data,
  },
  CustomerResult: {
    eddTask: (r: { eddTask: unknown }) => r.eddTask ?? null,
  },
  AuditEntry: {
    at: (e: AuditEntry) => e.at,
  },
};

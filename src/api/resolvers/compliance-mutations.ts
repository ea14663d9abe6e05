/**
 * Compliance mutations: onboarding and updating customers, linking addresses, transaction monitoring,
 * alert lifecycle and SAR drafts. Each calls the compliance domain (ComplianceService) with the request's
 * audit actor (`api-key:<key id>`); the store records the audit entries with each change.
 */
import type { AlertCommand } from '../../compliance/alerts/alert-lifecycle.js';
import { validateCustomerInput } from '../../compliance/kyc/validate-customer.js';
import { AriadneError, invalidInput, limitExceeded, notFound } from '../../errors.js';
import { parseAddressId, parseTxId, type AddressId } from '../../model/address.js';
import type { Alert, AlertDisposition, AlertStatus, AuditNote, Customer, CustomerStatus } from '../../store/compliance-store.js';
import type { ComplianceAccess } from '../compliance-access.js';
import type { ApiContext } from '../context.js';
import { API_LIMITS } from '../limits.js';

function access(ctx: ApiContext): ComplianceAccess {
  if (!ctx.compliance) throw new AriadneError('STORE_UNAVAILABLE', 'this service runs without a compliance store: customers, alerts and reports are not available');
  return ctx.compliance;
}

function addressList(list: readonly string[], what: string): AddressId[] {
  if (list.length > API_LIMITS.maxLinkAddresses) throw limitExceeded(`${what}: at most ${API_LIMITS.maxLinkAddresses} addresses per call, got ${list.length}`);
  const bad: string[] = [];
  const ids = list.map((a) => {
    try {
      return parseAddressId(a);
    } catch (err) {
      bad.push(err instanceof Error ? err.message : String(err));
      return '';
    }
  });
  if (bad.length > 0) throw invalidInput(`${what}: ${bad.length} invalid address${bad.length > 1 ? 'es' : ''}; the first: ${bad[0]}`);
  return [...new Set(ids)];
}

interface OwnerInput {
  name: string;
  dateOfBirth: string;
  country: string;
  ownershipPercent: number;
  control?: boolean | null;
  pep?: boolean | null;
}

interface CustomerFields {
  legalName?: string | null;
  aliases?: string[] | null;
  dateOfBirth?: string | null;
  postalAddress?: string | null;
  country?: string | null;
  nationality?: string | null;
  idDocumentNumber?: string | null;
  email?: string | null;
  occupation?: string | null;
  occupationCategory?: string | null;
  sourceOfFunds?: string | null;
  sourceOfFundsDetail?: string | null;
  expectedMonthlyVolumeUsd?: string | null;
  pep?: boolean | null;
  identityVerification?: string | null;
  beneficialOwners?: OwnerInput[] | null;
}

/** The API's field names to the compliance domain's (`postalAddress` is the domain's `address`). */
function domainFields(input: CustomerFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    out[k === 'postalAddress' ? 'address' : k] = k === 'beneficialOwners' && Array.isArray(v) ? v.map((o: OwnerInput) => ({ ...o, control: o.control ?? false, pep: o.pep ?? false })) : v;
  }
  return out;
}

const PROFILE_FIELDS = [
  'type',
  'legalName',
  'aliases',
  'dateOfBirth',
  'address',
  'country',
  'nationality',
  'idDocumentNumber',
  'email',
  'occupation',
  'occupationCategory',
  'sourceOfFunds',
  'sourceOfFundsDetail',
  'expectedMonthlyVolumeUsd',
  'pep',
  'identityVerification',
  'beneficialOwners',
] as const;

/**
 * Updates a customer's profile fields: validated as a whole record, stored with a `customer.update` audit
 * entry naming the changed fields (not their values), then screened and rated again by the domain.
 */
async function updateCustomer(ctx: ApiContext, id: string, input: CustomerFields & { status?: CustomerStatus | null }, expectedVersion: number | null | undefined) {
  const { service, store, audit } = access(ctx);
  const current = await service.readCustomer(id, { ...audit, purpose: 'customer update' });
  if (expectedVersion !== null && expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new AriadneError('CONFLICT', `customer ${id} is at version ${current.version}, not ${expectedVersion}: read it again and retry`, { customer: id });
  }
  const { status, ...fields } = input;
  const changes = domainFields(fields);
  const merged: Record<string, unknown> = { id, addresses: current.addresses };
  for (const f of PROFILE_FIELDS) merged[f] = f in changes ? changes[f] : current[f];
  const valid = validateCustomerInput(merged, Date.now());
  const changed = PROFILE_FIELDS.filter((f) => JSON.stringify(valid[f]) !== JSON.stringify(current[f]));
  const next: Customer = { ...current, ...Object.fromEntries(PROFILE_FIELDS.map((f) => [f, valid[f]])), status: status ?? current.status, updatedAt: Date.now() };
  const notes: AuditNote[] = [
    ...(changed.length > 0 ? [{ action: 'customer.update', details: { fields: [...changed] } }] : []),
    ...(next.status !== current.status ? [{ action: 'customer.status', details: { from: current.status, to: next.status } }] : []),
  ];
  if (notes.length === 0) return service.reassessCustomer(id, audit, 'update without changes');
  await store.updateCustomers([{ record: next, expectedVersion: current.version, audit: notes }], audit);
  return service.reassessCustomer(id, audit, `profile update (${[...changed, ...(next.status !== current.status ? ['status'] : [])].join(', ')})`);
}

/** The lifecycle commands an update asks for, in the order they apply. */
function alertCommands(input: { status?: AlertStatus | null; disposition?: AlertDisposition | null; assignee?: string | null; note?: string | null }): AlertCommand[] {
  const commands: AlertCommand[] = [];
  if (input.assignee !== null && input.assignee !== undefined) commands.push({ kind: 'assign', assignee: input.assignee.trim() === '' ? null : input.assignee.trim() });
  const note = input.note?.trim() ? input.note.trim() : undefined;
  if (input.disposition && input.status !== 'CLOSED') throw invalidInput('a disposition goes with status CLOSED');
  switch (input.status ?? null) {
    case null:
      if (note) commands.push({ kind: 'note', text: note });
      break;
    case 'IN_REVIEW':
      commands.push({ kind: 'review', ...(note ? { note } : {}) });
      break;
    case 'ESCALATED':
      commands.push({ kind: 'escalate', ...(note ? { note } : {}) });
      break;
    case 'CLOSED':
      if (!input.disposition) throw invalidInput('closing an alert needs a disposition: FALSE_POSITIVE, SAR_FILED or NO_ACTION');
      commands.push({ kind: 'close', disposition: input.disposition, ...(note ? { note } : {}) });
      break;
    case 'OPEN':
      throw invalidInput('an alert cannot be reopened: the lifecycle is OPEN -> IN_REVIEW -> ESCALATED -> CLOSED');
    default:
      throw invalidInput(`unknown alert status ${JSON.stringify(input.status)}`);
  }
  if (commands.length === 0) throw invalidInput('nothing to change: give status, assignee or note');
  return commands;
}

export const complianceMutations = {
  onboardCustomer: async (_: unknown, args: { input: CustomerFields & { id: string; type: string; addresses?: string[] | null } }, ctx: ApiContext) => {
    const { service, audit } = access(ctx);
    const { addresses, ...rest } = args.input;
    const input = { ...domainFields(rest), id: args.input.id, type: args.input.type, addresses: addressList(addresses ?? [], 'onboardCustomer') };
    return service.onboardCustomer(input, audit);
  },
  updateCustomer: (_: unknown, args: { id: string; input: CustomerFields & { status?: CustomerStatus | null }; expectedVersion?: number | null }, ctx: ApiContext) =>
    updateCustomer(ctx, args.id, args.input, args.expectedVersion),
  linkAddresses: async (_: unknown, args: { customerId: string; addresses: string[] }, ctx: ApiContext) => {
    const ids = addressList(args.addresses, 'linkAddresses');
    if (ids.length === 0) throw invalidInput('linkAddresses: expected at least one address');
    const { service, audit } = access(ctx);
    return service.linkAddresses(args.customerId, ids, audit);
  },
  evaluateTransaction: async (_: unknown, args: { id: string }, ctx: ApiContext) => {
    const { service, store, audit } = access(ctx);
    const txId = parseTxId(args.id);
    const tx = await ctx.loaders.transaction.load(txId);
    if (!tx) throw notFound(`transaction ${txId} is not in the store`, { tx: txId });
    const addresses = [...new Set([...tx.inputs, ...tx.outputs].map((x) => x.address).filter((a): a is AddressId => a !== null))];
    const links = await store.linkedCustomers(addresses);
    const customerIds = [...new Set([...links.values()].flat())].sort();
    const rules = service.deps.config.rules.filter((r) => r.params.enabled).map((r) => r.rule.id);
    if (customerIds.length === 0) return { transaction: txId, customers: [], alerts: [], duplicates: 0, reRated: [], rules };
    const r = await service.runMonitoring({ customerIds, asOf: tx.time, newTxIds: [txId] }, audit);
    return { transaction: txId, customers: customerIds, alerts: r.created, duplicates: r.duplicates, reRated: r.reRated.map((x) => ({ customerId: x.customerId, from: x.from, to: x.to })), rules };
  },
  updateAlert: async (
    _: unknown,
    args: { id: string; input: { status?: AlertStatus | null; disposition?: AlertDisposition | null; assignee?: string | null; note?: string | null; expectedVersion?: number | null } },
    ctx: ApiContext,
  ) => {
    const { service, audit } = access(ctx);
    const current = await service.getAlert(args.id);
    const v = args.input.expectedVersion;
    if (v !== null && v !== undefined && v !== current.version) throw new AriadneError('CONFLICT', `alert ${args.id} is at version ${current.version}, not ${v}: read it again and retry`, { alert: args.id });
    let alert: Alert = current;
    for (const command of alertCommands(args.input)) alert = await service.changeAlert(args.id, command, audit);
    return alert;
  },
  draftSar: async (_: unknown, args: { input: { alertIds: string[]; customerId?: string | null } }, ctx: ApiContext) => {
    const { service, store, audit } = access(ctx);
    const ids = [...new Set(args.input.alertIds)];
    if (ids.length === 0) throw invalidInput('draftSar: expected at least one alert id');
    if (ids.length > API_LIMITS.maxPageSize) throw limitExceeded(`draftSar: at most ${API_LIMITS.maxPageSize} alerts per report, got ${ids.length}`);
    if (args.input.customerId) {
      const found = await store.getAlerts(ids);
      const other = [...found.values()].filter((a) => a.customerId !== args.input.customerId);
      if (other.length > 0) throw invalidInput(`draftSar: alerts ${other.map((a) => a.id).join(', ')} are not about customer ${args.input.customerId}`);
    }
    return service.draftSar(ids, audit);
  },
};

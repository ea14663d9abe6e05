/**
 * The compliance port: customers (KYC / CDD records), their screening and risk ratings, enhanced due
 * diligence (EDD) tasks, alerts, reports (SAR drafts, CTR-style reports) and the hash-chained audit trail.
 * Every backend keeps these in the same store as the graph, linked to addresses and transactions, so that an
 * investigator can go from a customer to the fund flows and back (docs/compliance.md).
 *
 * Conventions (as graph-store.ts):
 * - All methods are async and batched: many ids in, a Map out; missing ids are absent from the Map.
 * - Ids are chosen by the caller (the compliance domain), so that every engine stores the same ids.
 * - Domain times are unix milliseconds chosen by the caller; chain times inside evidence are unix seconds.
 * - Amounts inside stored evidence are decimal strings of base units (evidence is a document, not arithmetic).
 *
 * Audit (the contract every engine keeps, tested by test/contract/compliance.contract.ts):
 * - Every method that reads personal data or changes anything takes an `AuditContext` whose `actor` is
 *   required (an API key id, `cli:<user>`, `system:<component>`); a blank actor is refused before anything
 *   is read or written.
 * - Each written record carries its own audit notes; the store appends one entry per note, with the
 *   record's id as subject, IN THE SAME TRANSACTION as the change: a change without its entries, or entries
 *   without their change, cannot be committed. A write item without notes is refused.
 * - PII reads (`readCustomers`, `listCustomers`, `readReports`) append their access entries themselves.
 * - The store stamps `at` with its own clock and never updates or deletes an entry. Entries form a chain:
 *   seq 1, 2, 3 ... with no gap; `prevHash` is the previous entry's hash (GENESIS_HASH for seq 1); `hash` is
 *   `auditEntryHash(entry)`. The head (last seq and hash) is also recorded on its own, so that a deleted
 *   last entry is detected too.
 * - A batch is atomic: when one item is refused (CONFLICT, NOT_FOUND, INVALID_INPUT) nothing of the batch
 *   is written, audit entries included.
 */
import { createHash } from 'node:crypto';
import { invalidInput } from '../errors.js';
import type { AddressId, TxId } from '../model/address.js';

// ---------------------------------------------------------------- JSON and the audit hash

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** prevHash of the first entry: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, keys whose value is `undefined`
 * left out (as JSON.stringify does). Throws INVALID_INPUT on values JSON cannot hold exactly (NaN,
 * Infinity, bigint, functions), so that two engines can never hash different texts for one entry.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw invalidInput(`canonical JSON: expected a finite number, got ${String(value)}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw invalidInput(`canonical JSON: expected JSON data, got a ${typeof value} (amounts go in as decimal strings)`);
  }
}

/** An audit entry as stored. */
export interface AuditEntry {
  /** 1, 2, 3 ... without gaps. */
  seq: number;
  /** Unix ms, stamped by the store. */
  at: number;
  actor: string;
  /** What happened: `customer.read`, `alert.status` ... (AUDIT_ACTIONS). */
  action: string;
  /** The id of the record concerned (customer, alert, report, EDD task id), or `*` for list reads. */
  subject: string;
  /** Ids, field names, decisions and figures; personal data itself is never copied here. */
  details: JsonObject;
  prevHash: string;
  hash: string;
}

/** SHA-256 (lowercase hex) of the canonical JSON of {seq, at, actor, action, subject, details, prevHash}. */
export function auditEntryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, subject, details, prevHash } = entry;
  return createHash('sha256').update(canonicalJson({ seq, at, actor, action, subject, details, prevHash }), 'utf8').digest('hex');
}

/** The actions the compliance domain records. Engines accept any non-empty action; these are the ones in use. */
export const AUDIT_ACTIONS = [
  'customer.create',
  'customer.read',
  'customer.list',
  'customer.update',
  'customer.screen',
  'customer.rate',
  'customer.status',
  'screening.name',
  'edd.open',
  'edd.close',
  'alert.create',
  'alert.assign',
  'alert.note',
  'alert.status',
  'monitoring.run',
  'report.create',
  'report.read',
  'report.list',
  'report.review',
  'report.export',
] as const;

/** Who does it, and (for reads) why. */
export interface AuditContext {
  /** Required: API key id, `cli:<user>`, `system:<component>`. */
  actor: string;
  /** Why personal data is read ("alert review", "SAR draft"); recorded on read entries. */
  purpose?: string;
}

export interface AuditNote {
  action: string;
  details?: JsonObject;
}

/** A record to create, with the audit notes the store appends for it (subject = the record's id). */
export interface Write<T> {
  record: T;
  audit: readonly AuditNote[];
}

/** A new version of a stored record: refused with CONFLICT unless the stored version is `expectedVersion`. */
export interface Update<T> extends Write<T> {
  expectedVersion: number;
}

/** Throws INVALID_INPUT unless the context names an actor; every engine calls it first. */
export function assertAuditContext(ctx: AuditContext | undefined): asserts ctx is AuditContext {
  if (!ctx || typeof ctx.actor !== 'string' || ctx.actor.trim() === '') {
    throw invalidInput(`audit actor required: expected a non-empty actor (API key id, "cli:<user>", "system:<name>"), got ${ctx ? JSON.stringify(ctx.actor) : 'no audit context'}`);
  }
}

/** Throws INVALID_INPUT when a write item carries no audit note. */
export function assertAuditNotes(id: string, notes: readonly AuditNote[] | undefined): void {
  if (!Array.isArray(notes) || notes.length === 0 || notes.some((n) => typeof n.action !== 'string' || n.action === '')) {
    throw invalidInput(`write of ${id}: expected at least one audit note with a non-empty action`);
  }
}

// ---------------------------------------------------------------- customers

export type CustomerType = 'individual' | 'entity';
export const CUSTOMER_STATUSES = ['ACTIVE', 'PENDING_REVIEW', 'BLOCKED', 'CLOSED'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface BeneficialOwner {
  name: string;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** 25..100 for owners; a control person (senior manager) may hold less. */
  ownershipPercent: number;
  /** True for a person who controls the entity without owning 25% (FinCEN CDD rule "control prong"). */
  control: boolean;
  pep: boolean;
}

/** The customer due diligence fields (personal data). */
export interface CustomerProfile {
  type: CustomerType;
  legalName: string;
  /** Other names the customer is known by; screened like the legal name. */
  aliases: string[];
  /** Individuals: YYYY-MM-DD. Entities: date of incorporation, or null. */
  dateOfBirth: string | null;
  /** Residential (individual) or registered (entity) address, one line. */
  address: string;
  /** ISO 3166-1 alpha-2 of residence (individual) or incorporation (entity). */
  country: string;
  /** ISO 3166-1 alpha-2 nationality (individuals), or null. */
  nationality: string | null;
  idDocumentNumber: string;
  email: string;
  /** Occupation (individual) or business (entity), free text. */
  occupation: string;
  /** The risk class of the occupation or business (risk matrix factor "occupation"). */
  occupationCategory: string;
  /** Source of funds class (risk matrix factor "source of funds"): salary, business_income ... */
  sourceOfFunds: string;
  sourceOfFundsDetail: string;
  /** Declared expected monthly volume, whole USD as a decimal string. */
  expectedMonthlyVolumeUsd: string;
  /** Politically exposed person (the customer; owners carry their own flag). */
  pep: boolean;
  /** document_and_biometric, document, unverified (risk matrix factor "identity verification"). */
  identityVerification: string;
  /** Entities: owners of 25% or more, and the control person. Individuals: empty. */
  beneficialOwners: BeneficialOwner[];
}

export interface NameHit {
  /** The name screened (legal name, alias, or a beneficial owner's name). */
  screenedName: string;
  /** Whose name it is: 'customer' or 'owner:<index>'. */
  of: string;
  /** The list name that matched (primary name or an alias). */
  matchedName: string;
  primaryName: string;
  sdnProfileId: string | null;
  partyType: string | null;
  programs: string[];
  /** Similarity in [0, 1], rounded to 4 decimals. */
  score: number;
}

export interface AddressHit {
  address: AddressId;
  category: string;
  target: AddressId;
  hops: number;
  direction: 'in' | 'out';
  path: AddressId[];
  txIds: TxId[];
}

export type ScreeningDecision = 'CLEAR' | 'POTENTIAL_MATCH' | 'CONFIRMED_HIT';

export interface ScreeningResult {
  at: number;
  decision: ScreeningDecision;
  /** Name similarity threshold used. */
  threshold: number;
  /** Which SDN list was screened (file name and date). */
  list: string;
  nameHits: NameHit[];
  pep: boolean;
  addressHits: AddressHit[];
}

export interface RiskFactorScore {
  /** Factor id of the matrix: identity_verification, source_of_funds, volume_frequency, jurisdiction, occupation, wallet_behaviour. */
  factor: string;
  /** The factor's value for this customer, a key of the matrix row ("document", "grey", "direct_mixer"). */
  value: string;
  weight: number;
  score: number;
  /** Why this value: the facts it was read from. */
  reason: string;
}

export interface RiskRating {
  at: number;
  level: RiskLevel;
  /** Weighted score: sum(weight x score), weights summing to 100, so 100..300 on a 1-3 scale. */
  score: number;
  /** The level from the score alone, before overrides. */
  scoreLevel: RiskLevel;
  factors: RiskFactorScore[];
  /** Overrides that raised the level ("jurisdiction=black -> VERY_HIGH"). */
  overrides: string[];
  matrixVersion: string;
}

export interface Customer extends CustomerProfile {
  /** 1-64 of [A-Za-z0-9._-]. */
  id: string;
  /** Linked wallet addresses (canonical ids). */
  addresses: AddressId[];
  status: CustomerStatus;
  screening: ScreeningResult | null;
  risk: RiskRating | null;
  createdAt: number;
  updatedAt: number;
  /** Set by the store: 1 on create, +1 on each update. */
  version: number;
}

/** What a list shows: no personal data beyond the country. */
export interface CustomerSummary {
  id: string;
  type: CustomerType;
  status: CustomerStatus;
  country: string;
  riskLevel: RiskLevel | null;
  addressCount: number;
  createdAt: number;
}

export interface CustomerQuery {
  status?: CustomerStatus;
  riskLevel?: RiskLevel;
  /** Ordered by id; `after` is the last id of the previous page. */
  after?: string;
  limit?: number;
}

// ---------------------------------------------------------------- EDD tasks

export interface EddTask {
  id: string;
  customerId: string;
  status: 'OPEN' | 'DONE';
  riskLevel: RiskLevel;
  /** The factors and overrides that made the rating HIGH or above. */
  reasons: string[];
  openedAt: number;
  /** Unix ms. */
  dueAt: number;
  closedAt: number | null;
  closedBy: string | null;
  outcome: string | null;
  version: number;
}

// ---------------------------------------------------------------- alerts

export const ALERT_STATUSES = ['OPEN', 'IN_REVIEW', 'ESCALATED', 'CLOSED'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const ALERT_DISPOSITIONS = ['FALSE_POSITIVE', 'SAR_FILED', 'NO_ACTION'] as const;
export type AlertDisposition = (typeof ALERT_DISPOSITIONS)[number];

export interface EvidenceTransaction {
  txId: TxId;
  height: number;
  /** Chain time, unix seconds. */
  time: number;
  /** Seen from the customer's addresses: 'in' received, 'out' sent. */
  direction: 'in' | 'out';
  asset: string;
  /** Base units, decimal string. */
  value: string;
  /** USD equivalent at the configured price, 2 decimals (rounded down), or null when the asset has no price. */
  usd: string | null;
  counterparties: AddressId[];
  linkedAddresses: AddressId[];
}

export interface EvidencePath {
  /** The customer's address where the path ends (direction 'in') or starts ('out'). */
  address: AddressId;
  /** The labelled address at the other end. */
  target: AddressId;
  category: string;
  hops: number;
  /** 'in': funds came from target to address; 'out': funds went from address to target. */
  direction: 'in' | 'out';
  /** In the direction funds moved. */
  addresses: AddressId[];
  txIds: TxId[];
}

export interface AlertEvidence {
  transactions: EvidenceTransaction[];
  paths: EvidencePath[];
  /** Every address the evidence names (the customer's and counterparties), sorted. */
  addresses: AddressId[];
  /** Rule-specific figures: thresholds, windows, counts, totals. */
  facts: JsonObject;
}

export interface AlertNote {
  at: number;
  actor: string;
  text: string;
}

export interface AlertEvent {
  at: number;
  actor: string;
  action: string;
  from?: string | null;
  to?: string | null;
  note?: string;
}

export interface Alert {
  id: string;
  /** Same key, same alert: a rule that finds the same facts again raises nothing new. */
  dedupKey: string;
  ruleId: string;
  ruleName: string;
  customerId: string | null;
  /** 0..100. */
  score: number;
  summary: string;
  status: AlertStatus;
  disposition: AlertDisposition | null;
  assignee: string | null;
  evidence: AlertEvidence;
  notes: AlertNote[];
  /** Every change, oldest first (also in the audit trail). */
  history: AlertEvent[];
  createdAt: number;
  updatedAt: number;
  version: number;
}

export interface AlertQuery {
  status?: readonly AlertStatus[];
  customerId?: string;
  ruleId?: string;
  assignee?: string;
  /** Newest first (createdAt, then id); offset paging. */
  offset?: number;
  limit?: number;
}

// ---------------------------------------------------------------- reports

export type ReportKind = 'SAR' | 'CTR';
export type ReportStatus = 'DRAFT' | 'REVIEWED';

export interface Report {
  id: string;
  kind: ReportKind;
  status: ReportStatus;
  customerId: string;
  alertIds: string[];
  title: string;
  /** The narrative text (SAR) or the summary (CTR). */
  narrative: string;
  /** The structured content the narrative was built from (amounts, dates, addresses, paths, factors). */
  data: JsonObject;
  createdAt: number;
  createdBy: string;
  reviewedAt: number | null;
  reviewedBy: string | null;
  reviewNote: string | null;
  version: number;
}

export interface ReportSummary {
  id: string;
  kind: ReportKind;
  status: ReportStatus;
  customerId: string;
  alertIds: string[];
  title: string;
  createdAt: number;
}

export interface ReportQuery {
  kind?: ReportKind;
  customerId?: string;
  alertId?: string;
  status?: ReportStatus;
}

// ---------------------------------------------------------------- the port

export interface CreateResult<T> {
  created: T[];
  /** Items not created because a record with the same key exists: the stored record. */
  existing: T[];
}

export interface ComplianceStore {
  readonly engine: 'embedded' | 'neo4j';

  // customers: personal data, every access audited
  /** Creates customers (version 1). CONFLICT when an id exists; the batch is atomic. */
  createCustomers(items: readonly Write<Customer>[], ctx: AuditContext): Promise<Customer[]>;
  /** Replaces customers. NOT_FOUND for an unknown id, CONFLICT when the stored version is not expectedVersion. */
  updateCustomers(items: readonly Update<Customer>[], ctx: AuditContext): Promise<Customer[]>;
  /** Reads customers; appends one `customer.read` entry per requested id ({found, purpose}). */
  readCustomers(ids: readonly string[], ctx: AuditContext): Promise<Map<string, Customer>>;
  /** Lists summaries ordered by id; appends one `customer.list` entry (subject `*`, {query, count}). */
  listCustomers(query: CustomerQuery, ctx: AuditContext): Promise<CustomerSummary[]>;
  /** Ids of the customers each address is linked to (ids only, not audited: no personal data). */
  linkedCustomers(addresses: readonly AddressId[]): Promise<Map<AddressId, string[]>>;
  /** Addresses linked to each customer (not audited: addresses only). */
  linkedAddresses(customerIds: readonly string[]): Promise<Map<string, AddressId[]>>;

  // enhanced due diligence
  /** Opens tasks; a customer with an OPEN task keeps it: that task is returned in `existing`. */
  openEddTasks(items: readonly Write<EddTask>[], ctx: AuditContext): Promise<CreateResult<EddTask>>;
  updateEddTasks(items: readonly Update<EddTask>[], ctx: AuditContext): Promise<EddTask[]>;
  findEddTasks(query: { customerId?: string; status?: EddTask['status'] }): Promise<EddTask[]>;

  // alerts
  /** Creates alerts; an alert whose dedupKey exists is not created: the stored one is in `existing`. */
  createAlerts(items: readonly Write<Alert>[], ctx: AuditContext): Promise<CreateResult<Alert>>;
  updateAlerts(items: readonly Update<Alert>[], ctx: AuditContext): Promise<Alert[]>;
  getAlerts(ids: readonly string[]): Promise<Map<string, Alert>>;
  findAlerts(query: AlertQuery): Promise<Alert[]>;
  /** Alert ids whose evidence names each address (fund flows -> alerts). */
  alertIdsByAddress(addresses: readonly AddressId[]): Promise<Map<AddressId, string[]>>;
  /** Alert ids whose evidence names each transaction. */
  alertIdsByTransaction(txIds: readonly TxId[]): Promise<Map<TxId, string[]>>;

  // reports (SAR drafts name the customer: reading them is audited)
  createReports(items: readonly Write<Report>[], ctx: AuditContext): Promise<Report[]>;
  updateReports(items: readonly Update<Report>[], ctx: AuditContext): Promise<Report[]>;
  /** Appends one `report.read` entry per requested id. */
  readReports(ids: readonly string[], ctx: AuditContext): Promise<Map<string, Report>>;
  listReports(query: ReportQuery): Promise<ReportSummary[]>;

  // audit trail
  /** Appends entries for decisions that change no record (a name screening, a monitoring run). */
  appendAudit(items: readonly (AuditNote & { subject: string })[], ctx: AuditContext): Promise<AuditEntry[]>;
  /** Entries with seq >= fromSeq (default 1), ascending, at most `limit` (default 1,000, max 10,000). */
  readAudit(query?: { fromSeq?: number; limit?: number; subject?: string }): Promise<AuditEntry[]>;
  /** The recorded head: the last appended seq and hash (null before the first entry). */
  auditHead(): Promise<{ seq: number; hash: string } | null>;
}

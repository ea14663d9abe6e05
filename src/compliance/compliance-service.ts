/**
 * The compliance service: onboarding (validation, screening, risk rating, EDD), transaction monitoring,
 * alert lifecycle, SAR and CTR reports, and the audit trail, over the graph read port and the compliance
 * port. The CLI and the API call this; it holds no state of its own besides its configuration.
 *
 * Every method that reads personal data or changes anything takes an AuditContext (the actor is required)
 * and passes it to the store, which records the entries in the same transaction as the change.
 */
import { randomUUID } from 'node:crypto';
import { invalidInput, notFound } from '../errors.js';
import type { AddressId, TxId } from '../model/address.js';
import type { Category } from '../model/label.js';
import type { GraphChange, GraphReader } from '../store/graph-store.js';
import { canonicalJson } from '../store/compliance-store.js';
import type {
  AddressHit,
  Alert,
  AlertQuery,
  AuditContext,
  AuditEntry,
  ComplianceStore,
  Customer,
  CustomerQuery,
  CustomerStatus,
  CustomerSummary,
  EddTask,
  JsonObject,
  NameHit,
  Report,
  ReportQuery,
  ReportSummary,
  RiskRating,
  ScreeningResult,
} from '../store/compliance-store.js';
import { alertFromHit, applyAlertCommand, type AlertCommand } from './alerts/alert-lifecycle.js';
import { verifyAuditChain, type AuditVerification } from './audit/verify-audit-chain.js';
import { loadFatfLists, type FatfLists } from './kyc/fatf-lists.js';
import { levelRank, loadRiskMatrix, type RiskMatrix } from './kyc/risk/risk-matrix.js';
import { rateCustomer } from './kyc/risk/rate-customer.js';
import { loadSdnNames, type SdnNameIndex } from './kyc/screening/sdn-names.js';
import { screenNames, type NameToScreen } from './kyc/screening/screen-names.js';
import { validateCustomerInput, type ValidCustomerInput } from './kyc/validate-customer.js';
import { collectMovements, type Movement } from './monitoring/activity.js';
import { analyticsProximity, graphPeelChains, labelJurisdictions, type ProximityHit } from './monitoring/graph-probes.js';
import { loadMonitoringConfig, type MonitoringConfig } from './monitoring/monitoring-config.js';
import type { MonitoringProbes, RuleHit, RuleId } from './monitoring/rule.js';
import { sumUsd } from './monitoring/usd.js';
import { buildCtrReport } from './reports/ctr-report.js';
import { exportReport, type ReportFormat } from './reports/export-report.js';
import { buildSarDraft } from './reports/sar-draft.js';

export interface ComplianceDeps {
  graph: GraphReader;
  store: ComplianceStore;
  config: MonitoringConfig;
  matrix: RiskMatrix;
  fatf: FatfLists;
  sdn: SdnNameIndex;
  probes: MonitoringProbes;
  /** Unix ms (tests pin it). */
  clock?: () => number;
  /** New record ids (tests make them predictable). */
  newId?: (prefix: 'cust' | 'alert' | 'edd' | 'sar' | 'ctr') => string;
}

/** Loads the configuration, matrix, FATF lists and SDN names (defaults: the repository's files) and wires the graph probes. */
export async function createComplianceService(
  graph: GraphReader,
  store: ComplianceStore,
  options: { configFile?: string; riskMatrixFile?: string; fatfFile?: string; sdnFile?: string; clock?: () => number; newId?: ComplianceDeps['newId'] } = {},
): Promise<ComplianceService> {
  const config = loadMonitoringConfig(options.configFile);
  return new ComplianceService({
    graph,
    store,
    config,
    matrix: loadRiskMatrix(options.riskMatrixFile),
    fatf: loadFatfLists(options.fatfFile),
    sdn: await loadSdnNames(options.sdnFile ?? config.screening.sdnFile),
    probes: { proximity: analyticsProximity(graph), peelChains: graphPeelChains(graph), jurisdictions: labelJurisdictions(graph, config.jurisdictions) },
    clock: options.clock,
    newId: options.newId,
  });
}

export interface OnboardingResult {
  customer: Customer;
  eddTask: EddTask | null;
}

export interface MonitoringRunResult {
  customers: number;
  hits: number;
  created: Alert[];
  duplicates: number;
  reRated: { customerId: string; from: string | null; to: string }[];
  eddOpened: EddTask[];
}

const SYSTEM: AuditContext = { actor: 'system:monitor' };
const EXPOSURE_CATEGORIES: Category[] = ['mixer', 'sanctioned'];

export class ComplianceService {
  private readonly now: () => number;
  private readonly id: (prefix: 'cust' | 'alert' | 'edd' | 'sar' | 'ctr') => string;

  constructor(readonly deps: ComplianceDeps) {
    this.now = deps.clock ?? Date.now;
    this.id = deps.newId ?? ((prefix) => `${prefix}-${randomUUID()}`);
  }

  // ---------------------------------------------------------------- customers

  /**
   * Validates, screens (names against the SDN list, PEP flag, wallet addresses against the graph), rates
   * and stores a new customer; a rating at or above the matrix's `eddFrom` opens an EDD task. Status:
   * BLOCKED when a linked address is itself sanctioned, PENDING_REVIEW on a name match, else ACTIVE.
   * Throws INVALID_INPUT listing every field problem, CONFLICT for an existing id.
   */
  async onboardCustomer(input: unknown, ctx: AuditContext): Promise<OnboardingResult> {
    const at = this.now();
    const valid = validateCustomerInput(input, at);
    const id = valid.id ?? this.id('cust');
    const { profile } = splitInput(valid);
    const screening = await this.screen(profile, valid.addresses, at);
    const risk = await this.rate(profile, valid.addresses, at);
    const status: CustomerStatus = screening.decision === 'CONFIRMED_HIT' ? 'BLOCKED' : screening.decision === 'POTENTIAL_MATCH' ? 'PENDING_REVIEW' : 'ACTIVE';
    const customer: Customer = { ...profile, id, addresses: valid.addresses, status, screening, risk, createdAt: at, updatedAt: at, version: 0 };
    const [stored] = await this.deps.store.createCustomers(
      [
        {
          record: customer,
          audit: [
            { action: 'customer.create', details: { type: customer.type, country: customer.country, addresses: customer.addresses.length, status } },
            { action: 'customer.screen', details: screeningDetails(screening) },
            { action: 'customer.rate', details: ratingDetails(risk, null) },
          ],
        },
      ],
      ctx,
    );
    const eddTask = await this.maybeOpenEdd(stored!, ctx);
    return { customer: stored!, eddTask };
  }

  /** Reads a customer's record (audited read). NOT_FOUND when unknown. */
  async readCustomer(id: string, ctx: AuditContext): Promise<Customer> {
    const c = (await this.deps.store.readCustomers([id], ctx)).get(id);
    if (!c) throw notFound(`customer ${id} does not exist`, { customer: id });
    return c;
  }

  async listCustomers(query: CustomerQuery, ctx: AuditContext): Promise<CustomerSummary[]> {
    return this.deps.store.listCustomers(query, ctx);
  }

  /** Links more wallet addresses to a customer, then screens and rates again. */
  async linkAddresses(id: string, addresses: readonly AddressId[], ctx: AuditContext): Promise<OnboardingResult> {
    const c = await this.readCustomer(id, { ...ctx, purpose: ctx.purpose ?? 'link addresses' });
    const merged = [...new Set([...c.addresses, ...addresses])];
    return this.refresh(c, merged, ctx, { action: 'customer.update', details: { linked: addresses.length, addresses: merged.length } });
  }

  /** Screens and rates a customer again (after new exposure, a list update, or on request). */
  async reassessCustomer(id: string, ctx: AuditContext, reason = 'on request'): Promise<OnboardingResult> {
    const c = await this.readCustomer(id, { ...ctx, purpose: ctx.purpose ?? `reassessment: ${reason}` });
    return this.refresh(c, c.addresses, ctx, null);
  }

  private async refresh(c: Customer, addresses: AddressId[], ctx: AuditContext, change: { action: string; details: JsonObject } | null): Promise<OnboardingResult> {
    const at = this.now();
    const screening = await this.screen(c, addresses, at);
    const risk = await this.rate(c, addresses, at);
    const status: CustomerStatus =
      c.status === 'CLOSED' ? 'CLOSED' : screening.decision === 'CONFIRMED_HIT' ? 'BLOCKED' : c.status === 'BLOCKED' ? 'BLOCKED' : screening.decision === 'POTENTIAL_MATCH' ? 'PENDING_REVIEW' : c.status;
    const next: Customer = { ...c, addresses, screening, risk, status, updatedAt: at };
    const audit = [
      ...(change ? [change] : []),
      { action: 'customer.screen', details: screeningDetails(screening) },
      { action: 'customer.rate', details: ratingDetails(risk, c.risk) },
      ...(status !== c.status ? [{ action: 'customer.status', details: { from: c.status, to: status } }] : []),
    ];
    const [stored] = await this.deps.store.updateCustomers([{ record: next, expectedVersion: c.version, audit }], ctx);
    return { customer: stored!, eddTask: await this.maybeOpenEdd(stored!, ctx) };
  }

  /** Screens one name against the SDN list (ad hoc), recording the decision. */
  async screenName(name: string, ctx: AuditContext): Promise<NameHit[]> {
    if (typeof name !== 'string' || name.trim() === '') throw invalidInput('screening needs a name, got an empty one');
    const hits = screenNames(this.deps.sdn, [{ name, of: 'query' }], this.deps.config.screening.nameThreshold);
    await this.deps.store.appendAudit(
      [{ subject: '*', action: 'screening.name', details: { list: this.deps.sdn.list, threshold: this.deps.config.screening.nameThreshold, hits: hits.map((h) => ({ sdnProfileId: h.sdnProfileId, primaryName: h.primaryName, score: h.score })) } }],
      ctx,
    );
    return hits;
  }

  private async screen(profile: Customer | ReturnType<typeof splitInput>['profile'], addresses: readonly AddressId[], at: number): Promise<ScreeningResult> {
    const names: NameToScreen[] = [profile.legalName, ...profile.aliases].map((name) => ({ name, of: 'customer' }));
    profile.beneficialOwners.forEach((o, i) => names.push({ name: o.name, of: `owner:${i}` }));
    const threshold = this.deps.config.screening.nameThreshold;
    const nameHits = screenNames(this.deps.sdn, names, threshold);
    const found = addresses.length > 0 ? await this.deps.probes.proximity.nearest(addresses, EXPOSURE_CATEGORIES, { maxHops: this.deps.config.screening.addressMaxHops, direction: 'both' }) : new Map<AddressId, ProximityHit[]>();
    const addressHits: AddressHit[] = [...found.values()].flat().map((h) => ({ address: h.address, category: h.category, target: h.target, hops: h.hops, direction: h.direction, path: h.path, txIds: h.txIds }));
    const pep = profile.pep || profile.beneficialOwners.some((o) => o.pep);
    const confirmed = addressHits.some((h) => h.category === 'sanctioned' && h.hops === 0);
    return {
      at,
      decision: confirmed ? 'CONFIRMED_HIT' : nameHits.length > 0 ? 'POTENTIAL_MATCH' : 'CLEAR',
      threshold,
      list: this.deps.sdn.list,
      nameHits,
      pep,
      addressHits,
    };
  }

  private async rate(profile: ReturnType<typeof splitInput>['profile'], addresses: readonly AddressId[], at: number): Promise<RiskRating> {
    const exposure = { mixerHops: null as number | null, sanctionedHops: null as number | null };
    let observed: { volumeUsd: ReturnType<typeof sumUsd>; count: number } | null = null;
    if (addresses.length > 0) {
      const found = await this.deps.probes.proximity.nearest(addresses, EXPOSURE_CATEGORIES, { maxHops: this.deps.config.risk.exposureMaxHops, direction: 'both' });
      for (const h of [...found.values()].flat()) {
        if (h.category === 'mixer') exposure.mixerHops = Math.min(exposure.mixerHops ?? Infinity, h.hops);
        if (h.category === 'sanctioned') exposure.sanctionedHops = Math.min(exposure.sanctionedHops ?? Infinity, h.hops);
      }
      const end = await this.latestActivity(addresses);
      if (end !== null) {
        const recent = await collectMovements(this.deps.graph, addresses, this.deps.config.prices, { fromTime: end - 30 * 86_400 + 1, toTime: end });
        observed = { volumeUsd: sumUsd(recent.flatMap((m) => (m.usd ? [m.usd] : []))), count: recent.length };
      }
    }
    return rateCustomer(this.deps.matrix, this.deps.fatf, { customer: profile, exposure, observed, at });
  }

  /** Chain time (unix seconds) of the newest activity of the addresses, or null. */
  private async latestActivity(addresses: readonly AddressId[]): Promise<number | null> {
    const summaries = await this.deps.graph.getAddresses(addresses);
    let latest: number | null = null;
    for (const s of summaries.values()) if (s.lastSeen && (latest === null || s.lastSeen.time > latest)) latest = s.lastSeen.time;
    return latest;
  }

  private async maybeOpenEdd(c: Customer, ctx: AuditContext): Promise<EddTask | null> {
    if (!c.risk || levelRank(c.risk.level) < levelRank(this.deps.matrix.eddFrom)) return null;
    const at = this.now();
    const days = this.deps.config.edd.dueDays[c.risk.level] ?? 30;
    const reasons = [...c.risk.factors.filter((f) => f.score === 3).map((f) => `${f.factor}=${f.value}: ${f.reason}`), ...c.risk.overrides];
    const task: EddTask = { id: this.id('edd'), customerId: c.id, status: 'OPEN', riskLevel: c.risk.level, reasons, openedAt: at, dueAt: at + days * 86_400_000, closedAt: null, closedBy: null, outcome: null, version: 0 };
    const r = await this.deps.store.openEddTasks([{ record: task, audit: [{ action: 'edd.open', details: { customer: c.id, level: c.risk.level, dueAt: new Date(task.dueAt).toISOString() } }] }], ctx);
    return r.created[0] ?? r.existing[0] ?? null;
  }

  async listEddTasks(query: { customerId?: string; status?: EddTask['status'] }): Promise<EddTask[]> {
    return this.deps.store.findEddTasks(query);
  }

  /** Closes an open EDD task with its outcome. */
  async completeEddTask(id: string, outcome: string, ctx: AuditContext): Promise<EddTask> {
    if (typeof outcome !== 'string' || outcome.trim() === '') throw invalidInput('closing an EDD task needs an outcome (what was verified, what was decided)');
    const task = (await this.deps.store.findEddTasks({})).find((t) => t.id === id);
    if (!task) throw notFound(`EDD task ${id} does not exist`);
    if (task.status !== 'OPEN') throw invalidInput(`EDD task ${id} is already ${task.status}`);
    const at = this.now();
    const [done] = await this.deps.store.updateEddTasks(
      [{ record: { ...task, status: 'DONE', closedAt: at, closedBy: ctx.actor, outcome: outcome.trim() }, expectedVersion: task.version, audit: [{ action: 'edd.close', details: { customer: task.customerId, overdue: at > task.dueAt } }] }],
      ctx,
    );
    return done!;
  }

  // ---------------------------------------------------------------- monitoring

  /**
   * Runs the enabled rules for customers (all when `customerIds` is absent), over the lookback window
   * ending at `asOf` (unix seconds; default: each customer's newest activity). With `newTxIds`, hits of
   * transaction rules must involve one of those transactions (exposure rules always count). Hits become
   * alerts (deduplicated); customers with new alerts are rated again, and EDD opens when they reach it.
   */
  async runMonitoring(options: { customerIds?: string[]; asOf?: number; newTxIds?: readonly TxId[]; rules?: RuleId[] }, ctx: AuditContext): Promise<MonitoringRunResult> {
    const ids = options.customerIds ?? (await this.allCustomerIds(ctx));
    const linked = await this.deps.store.linkedAddresses(ids);
    const result: MonitoringRunResult = { customers: 0, hits: 0, created: [], duplicates: 0, reRated: [], eddOpened: [] };
    const fresh = options.newTxIds ? new Set(options.newTxIds) : null;
    for (const customerId of ids) {
      const addresses = linked.get(customerId);
      if (!addresses) {
        if (options.customerIds) throw notFound(`customer ${customerId} does not exist`, { customer: customerId });
        continue;
      }
      result.customers++;
      const asOf = options.asOf ?? (await this.latestActivity(addresses));
      if (asOf === null) continue;
      const movements = await collectMovements(this.deps.graph, addresses, this.deps.config.prices, { fromTime: asOf - this.deps.config.lookbackDays * 86_400, toTime: asOf });
      const hits = await this.runRules(customerId, addresses, movements, asOf, options.rules);
      const kept = fresh ? hits.filter(({ hit, ruleId }) => ruleId === 'mixer-interaction' || ruleId === 'sanctioned-counterparty' || hit.evidence.transactions.some((t) => fresh.has(t.txId))) : hits;
      result.hits += kept.length;
      const at = this.now();
      const writes = kept.map(({ hit, ruleId, ruleName }) => {
        const a = alertFromHit({ id: this.id('alert'), ruleId, ruleName, customerId, hit, at, actor: ctx.actor });
        return { record: a, audit: [{ action: 'alert.create', details: { ruleId, score: a.score, key: hit.key, customer: customerId, transactions: hit.evidence.transactions.length, paths: hit.evidence.paths.length } }] };
      });
      const created = writes.length > 0 ? await this.deps.store.createAlerts(writes, ctx) : { created: [], existing: [] };
      result.created.push(...created.created);
      result.duplicates += created.existing.length;
      await this.deps.store.appendAudit(
        [{ subject: customerId, action: 'monitoring.run', details: { asOf, movements: movements.length, hits: kept.length, created: created.created.map((a) => a.id), duplicates: created.existing.length } }],
        ctx,
      );
      if (created.created.length > 0) {
        const before = (await this.deps.store.readCustomers([customerId], { ...ctx, purpose: 're-rating after new alerts' })).get(customerId)!;
        const after = await this.refresh(before, before.addresses, ctx, null);
        if (after.customer.risk?.level !== before.risk?.level || after.customer.risk?.score !== before.risk?.score) {
          result.reRated.push({ customerId, from: before.risk?.level ?? null, to: after.customer.risk!.level });
        }
        if (after.eddTask && after.eddTask.openedAt >= at) result.eddOpened.push(after.eddTask);
      }
    }
    return result;
  }

  /** Runs the rules on given movements, without storing anything (the rules' pure part; used by runMonitoring and tests). */
  async runRules(customerId: string | null, addresses: AddressId[], movements: Movement[], asOf: number, only?: RuleId[]): Promise<{ ruleId: RuleId; ruleName: string; hit: RuleHit }[]> {
    const out: { ruleId: RuleId; ruleName: string; hit: RuleHit }[] = [];
    for (const { rule, params } of this.deps.config.rules) {
      if (!params.enabled || (only && !only.includes(rule.id))) continue;
      const hits = await rule.run({ customerId, addresses, movements, asOf, prices: this.deps.config.prices, fatf: this.deps.fatf, probes: this.deps.probes }, params);
      for (const hit of hits) out.push({ ruleId: rule.id, ruleName: rule.name, hit });
    }
    return out;
  }

  private async allCustomerIds(ctx: AuditContext): Promise<string[]> {
    const ids: string[] = [];
    for (let after: string | undefined; ; ) {
      const page = await this.deps.store.listCustomers({ after, limit: 1000 }, { ...ctx, purpose: ctx.purpose ?? 'monitoring run' });
      ids.push(...page.map((c) => c.id));
      if (page.length < 1000) return ids;
      after = page[page.length - 1]!.id;
    }
  }

  /**
   * Runs monitoring as the graph changes: new blocks -> the customers linked to the touched addresses,
   * with the block's transactions as new; new labels -> the customers linked within reach of the labelled
   * addresses. Runs one at a time, in order; errors go to `onError`. Returns the unsubscribe function.
   */
  attach(graph: { onChange(listener: (change: GraphChange) => void): () => void }, options: { ctx?: AuditContext; onError?: (err: unknown) => void; onRun?: (r: MonitoringRunResult) => void } = {}): () => void {
    const ctx = options.ctx ?? SYSTEM;
    let queue: Promise<void> = Promise.resolve();
    const handle = async (change: GraphChange) => {
      const reach = change.kind === 'labels' ? Math.max(this.deps.config.risk.exposureMaxHops, ...this.deps.config.rules.filter((r) => 'maxHops' in r.params).map((r) => (r.params as unknown as { maxHops: number }).maxHops)) : 0;
      const near = reach > 0 ? await neighbourhood(this.deps.graph, change.addresses, reach) : { addresses: change.addresses, truncated: false };
      // A neighbourhood too large to walk could hide an affected customer: monitor every customer instead.
      const links = near.truncated ? null : await this.deps.store.linkedCustomers(near.addresses);
      const customerIds = links === null ? undefined : [...new Set([...links.values()].flat())].sort();
      if (customerIds !== undefined && customerIds.length === 0) return;
      const r = await this.runMonitoring({ ...(customerIds ? { customerIds } : {}), ...(change.kind === 'block' ? { newTxIds: change.txIds } : {}) }, ctx);
      options.onRun?.(r);
    };
    return graph.onChange((change) => {
      queue = queue.then(() => handle(change)).catch((err: unknown) => options.onError?.(err));
    });
  }

  // ---------------------------------------------------------------- alerts

  async getAlert(id: string): Promise<Alert> {
    const a = (await this.deps.store.getAlerts([id])).get(id);
    if (!a) throw notFound(`alert ${id} does not exist`, { alert: id });
    return a;
  }

  async listAlerts(query: AlertQuery): Promise<Alert[]> {
    return this.deps.store.findAlerts(query);
  }

  /** Assigns, notes, reviews, escalates or closes an alert (alert-lifecycle.ts); CONFLICT if it changed meanwhile. */
  async changeAlert(id: string, command: AlertCommand, ctx: AuditContext): Promise<Alert> {
    const current = await this.getAlert(id);
    const { alert, audit } = applyAlertCommand(current, command, ctx.actor, this.now());
    const [stored] = await this.deps.store.updateAlerts([{ record: alert, expectedVersion: current.version, audit: [audit] }], ctx);
    return stored!;
  }

  // ---------------------------------------------------------------- reports

  /** Drafts a SAR from alerts of one customer (reads the customer's record: audited). */
  async draftSar(alertIds: readonly string[], ctx: AuditContext): Promise<Report> {
    if (alertIds.length === 0) throw invalidInput('a SAR draft needs at least one alert id');
    const found = await this.deps.store.getAlerts(alertIds);
    const missing = alertIds.filter((id) => !found.has(id));
    if (missing.length > 0) throw notFound(`alerts ${missing.join(', ')} do not exist`);
    const alerts = [...found.values()];
    const customerIds = [...new Set(alerts.map((a) => a.customerId))];
    if (customerIds.length !== 1 || customerIds[0] === null) throw invalidInput(`a SAR draft covers the alerts of one customer, got customers ${customerIds.map(String).join(', ')}`);
    const customer = await this.readCustomer(customerIds[0]!, { ...ctx, purpose: 'SAR draft' });
    const report = buildSarDraft({ id: this.id('sar'), customer, alerts, at: this.now(), actor: ctx.actor });
    const [stored] = await this.deps.store.createReports([{ record: report, audit: [{ action: 'report.create', details: { kind: 'SAR', customer: customer.id, alerts: report.alertIds } }] }], ctx);
    return stored!;
  }

  /**
   * Drafts a CTR-style report of a customer's large transactions between fromTime and toTime (unix
   * seconds, inclusive), at the large-transaction rule's threshold.
   */
  async draftCtr(customerId: string, period: { fromTime: number; toTime: number }, ctx: AuditContext): Promise<Report> {
    if (!Number.isSafeInteger(period.fromTime) || !Number.isSafeInteger(period.toTime) || period.toTime < period.fromTime) {
      throw invalidInput(`CTR period: expected unix seconds with fromTime <= toTime, got ${period.fromTime} .. ${period.toTime}`);
    }
    const customer = await this.readCustomer(customerId, { ...ctx, purpose: 'CTR' });
    const movements = await collectMovements(this.deps.graph, customer.addresses, this.deps.config.prices, period);
    const large = this.deps.config.rules.find((r) => r.rule.id === 'large-transaction')!.params as unknown as { thresholdUsd: string };
    const report = buildCtrReport({ id: this.id('ctr'), customer, movements, period, thresholdUsd: large.thresholdUsd, at: this.now(), actor: ctx.actor, priceAsOf: this.deps.config.prices.asOf });
    const [stored] = await this.deps.store.createReports([{ record: report, audit: [{ action: 'report.create', details: { kind: 'CTR', customer: customer.id } }] }], ctx);
    return stored!;
  }

  async readReport(id: string, ctx: AuditContext): Promise<Report> {
    const r = (await this.deps.store.readReports([id], ctx)).get(id);
    if (!r) throw notFound(`report ${id} does not exist`, { report: id });
    return r;
  }

  /** Report titles name the customer, so listing them is an access to KYC data: audited. */
  async listReports(query: ReportQuery, ctx: AuditContext): Promise<ReportSummary[]> {
    const list = await this.deps.store.listReports(query);
    await this.deps.store.appendAudit([{ subject: '*', action: 'report.list', details: { query: JSON.parse(canonicalJson(query)) as JsonObject, count: list.length } }], ctx);
    return list;
  }

  /** Marks a draft reviewed, with the reviewer's note. */
  async reviewReport(id: string, note: string, ctx: AuditContext): Promise<Report> {
    const r = await this.readReport(id, { ...ctx, purpose: ctx.purpose ?? 'report review' });
    if (r.status === 'REVIEWED') throw invalidInput(`report ${id} is already reviewed (by ${r.reviewedBy})`);
    const [stored] = await this.deps.store.updateReports(
      [{ record: { ...r, status: 'REVIEWED', reviewedAt: this.now(), reviewedBy: ctx.actor, reviewNote: note.trim() || null }, expectedVersion: r.version, audit: [{ action: 'report.review', details: { kind: r.kind } }] }],
      ctx,
    );
    return stored!;
  }

  /** The report as JSON or text; the export is recorded. */
  async exportReport(id: string, format: ReportFormat, ctx: AuditContext): Promise<string> {
    if (format !== 'json' && format !== 'text') throw invalidInput(`report format must be json or text, got ${JSON.stringify(format)}`);
    const r = await this.readReport(id, { ...ctx, purpose: ctx.purpose ?? 'export' });
    await this.deps.store.appendAudit([{ subject: id, action: 'report.export', details: { format } }], ctx);
    return exportReport(r, format);
  }

  // ---------------------------------------------------------------- audit

  async verifyAudit(): Promise<AuditVerification> {
    return verifyAuditChain(this.deps.store);
  }

  async readAudit(query: { fromSeq?: number; limit?: number; subject?: string }): Promise<AuditEntry[]> {
    return this.deps.store.readAudit(query);
  }
}

function splitInput(v: ValidCustomerInput) {
  const { id: _id, addresses: _addresses, ...profile } = v;
  return { profile };
}

function screeningDetails(s: ScreeningResult): JsonObject {
  return {
    decision: s.decision,
    list: s.list,
    threshold: s.threshold,
    pep: s.pep,
    nameHits: s.nameHits.map((h) => ({ of: h.of, sdnProfileId: h.sdnProfileId, primaryName: h.primaryName, score: h.score })),
    addressHits: s.addressHits.map((h) => ({ address: h.address, category: h.category, hops: h.hops, direction: h.direction, target: h.target })),
  };
}

function ratingDetails(r: RiskRating, before: RiskRating | null): JsonObject {
  return {
    level: r.level,
    score: r.score,
    scoreLevel: r.scoreLevel,
    previousLevel: before?.level ?? null,
    factors: r.factors.map((f) => ({ factor: f.factor, value: f.value, score: f.score })),
    overrides: r.overrides,
    matrixVersion: r.matrixVersion,
  };
}

/**
 * Every address within `hops` of the given ones, either direction (the given ones included), or
 * `truncated` when that is more than `maxAddresses` (the caller must then not rely on the list).
 */
export async function neighbourhood(graph: GraphReader, addresses: readonly AddressId[], hops: number, maxAddresses = 20_000): Promise<{ addresses: AddressId[]; truncated: boolean }> {
  const seen = new Set<AddressId>(addresses);
  let frontier = [...seen];
  for (let h = 0; h < hops && frontier.length > 0; h++) {
    if (seen.size >= maxAddresses) return { addresses: [...seen], truncated: true };
    const flows = await graph.getFlows(frontier);
    const txs = await graph.getTransactions([...new Set([...flows.values()].flat().map((f) => f.txId))]);
    const next: AddressId[] = [];
    for (const tx of txs.values()) {
      for (const a of [...tx.inputs.map((i) => i.address), ...tx.outputs.map((o) => o.address)]) {
        if (a && !seen.has(a)) {
          seen.add(a);
          next.push(a);
        }
      }
    }
    frontier = next;
  }
  return { addresses: [...seen], truncated: seen.size > maxAddresses };
}

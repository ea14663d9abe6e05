/**
 * `ariadne compliance ...`: onboarding and KYC records, name screening, transaction monitoring, alerts,
 * SAR / CTR reports, EDD tasks and the audit trail, from the command line. Every command that reads
 * personal data or changes anything runs as an audit actor: --actor, else ARIADNE_ACTOR, else
 * `cli:<OS user name>`. Each prints a human summary, or JSON with --json; `audit verify` exits 1 when the
 * trail is broken.
 *
 * The lead wires it in src/cli/index.ts: `registerComplianceCommands(program, defaultComplianceDeps())`.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../config.js';
import { AriadneError, invalidInput } from '../errors.js';
import { parseAddressId } from '../model/address.js';
import { createComplianceService, type ComplianceService } from '../compliance/compliance-service.js';
import { RULE_IDS, type RuleId } from '../compliance/monitoring/rule.js';
import { ALERT_DISPOSITIONS, ALERT_STATUSES, CUSTOMER_STATUSES, RISK_LEVELS, type AlertDisposition, type AlertStatus, type AuditContext, type ComplianceStore, type CustomerStatus, type RiskLevel } from '../store/compliance-store.js';
import { openComplianceStore, openStore } from '../store/open-store.js';

export interface ComplianceCliDeps {
  /** Opens the stores, builds the service, runs `work`, closes the stores. */
  withService<T>(work: (service: ComplianceService) => Promise<T>): Promise<T>;
  /** Where output goes (default stdout). */
  out?: (text: string) => void;
  /** The environment (ARIADNE_ACTOR). */
  env?: NodeJS.ProcessEnv;
}

/** The compliance port of an opened graph store. Until the Neo4j engine has one, only the embedded store does. */
/** Deps over the configured store (ARIADNE_STORE, ARIADNE_DATA_DIR) and the repository's compliance files. */
export function defaultComplianceDeps(): ComplianceCliDeps {
  return {
    async withService(work) {
      const graph = await openStore(loadConfig());
      try {
        return await work(await createComplianceService(graph, await openComplianceStore(graph)));
      } finally {
        await graph.close();
      }
    },
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}

function oneOf<T extends string>(allowed: readonly T[], what: string) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected ${what}: one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    return value as T;
  };
}

function unixSeconds(value: string): number {
  if (/^[0-9]+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InvalidArgumentError(`expected unix seconds or an ISO date such as 2025-01-01T00:00:00Z, got ${JSON.stringify(value)}`);
  return Math.floor(t / 1000);
}

export function registerComplianceCommands(program: Command, deps: ComplianceCliDeps): Command {
  const write = deps.out ?? ((text: string) => process.stdout.write(text));
  const env = deps.env ?? process.env;
  const root = program
    .command('compliance')
    .description('KYC customers, screening, transaction monitoring, alerts, SAR/CTR reports and the audit trail')
    .option('--actor <actor>', 'audit actor recorded for this command (default: ARIADNE_ACTOR, else cli:<user>)')
    .option('--json', 'print JSON');

  const ctxOf = (purpose?: string): AuditContext => {
    const opts = root.opts<{ actor?: string }>();
    const actor = opts.actor ?? env.ARIADNE_ACTOR ?? `cli:${safeUser()}`;
    return { actor, ...(purpose ? { purpose } : {}) };
  };
  const asJson = () => root.opts<{ json?: boolean }>().json === true;
  const print = (value: unknown, human: () => string) => write(asJson() ? json(value) : `${human()}\n`);
  const run = <T>(work: (s: ComplianceService) => Promise<T>) => deps.withService(work);

  // ------------------------------------------------------------ customers
  const customer = root.command('customer').description('customer records (personal data: every read is audited)');
  customer
    .command('add')
    .description('onboard customers from a JSON file (one object or an array): validate, screen, rate, open EDD')
    .argument('<file>', 'JSON file with the CDD fields (docs/compliance.md)')
    .action(async (file: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(file, 'utf8'));
      } catch (err) {
        throw invalidInput(`cannot read customers: ${(err as Error).message}`, { file });
      }
      const inputs = Array.isArray(parsed) ? parsed : [parsed];
      const results = await run(async (s) => {
        const out = [];
        for (const input of inputs) out.push(await s.onboardCustomer(input, ctxOf()));
        return out;
      });
      print(results, () =>
        results
          .map(({ customer: c, eddTask }) =>
            [
              `${c.id}: ${c.status}, screening ${c.screening?.decision}, risk ${c.risk?.level} (score ${c.risk?.score})`,
              ...(c.screening?.nameHits ?? []).map((h) => `  name hit: ${h.screenedName} ~ ${h.primaryName} (SDN ${h.sdnProfileId}, ${h.score})`),
              ...(c.screening?.addressHits ?? []).map((h) => `  address ${h.address}: ${h.category} ${h.target} ${h.hops} hop(s) ${h.direction}`),
              ...(c.risk?.overrides ?? []).map((o) => `  override: ${o}`),
              ...(eddTask ? [`  EDD task ${eddTask.id} due ${new Date(eddTask.dueAt).toISOString().slice(0, 10)}`] : []),
            ].join('\n'),
          )
          .join('\n'),
      );
    });
  customer
    .command('show')
    .argument('<id>')
    .option('--purpose <why>', 'why the record is read (recorded)', 'cli lookup')
    .action(async (id: string, opts: { purpose: string }) => {
      const c = await run((s) => s.readCustomer(id, ctxOf(opts.purpose)));
      print(c, () => json(c).trimEnd());
    });
  customer
    .command('list')
    .option('--status <status>', 'ACTIVE, PENDING_REVIEW, BLOCKED, CLOSED', oneOf(CUSTOMER_STATUSES, 'a status'))
    .option('--risk <level>', 'LOW, MEDIUM, HIGH, VERY_HIGH', oneOf(RISK_LEVELS, 'a risk level'))
    .option('--after <id>', 'page after this id')
    .option('--limit <n>', 'page size', (v) => Number(v), 100)
    .action(async (opts: { status?: CustomerStatus; risk?: RiskLevel; after?: string; limit: number }) => {
      const list = await run((s) => s.listCustomers({ status: opts.status, riskLevel: opts.risk, after: opts.after, limit: opts.limit }, ctxOf('cli list')));
      print(list, () => list.map((c) => `${c.id}\t${c.type}\t${c.status}\t${c.country}\t${c.riskLevel ?? '-'}\t${c.addressCount} address(es)`).join('\n') || '(no customers)');
    });
  customer
    .command('link')
    .description('link more wallet addresses to a customer, then screen and rate again')
    .argument('<id>')
    .argument('<addresses...>')
    .action(async (id: string, addresses: string[]) => {
      const ids = addresses.map((a) => parseAddressId(a));
      const r = await run((s) => s.linkAddresses(id, ids, ctxOf()));
      print(r, () => `${r.customer.id}: ${r.customer.addresses.length} address(es), risk ${r.customer.risk?.level} (score ${r.customer.risk?.score})${r.eddTask ? `, EDD ${r.eddTask.id}` : ''}`);
    });
  customer
    .command('reassess')
    .description('screen and rate a customer again')
    .argument('<id>')
    .action(async (id: string) => {
      const r = await run((s) => s.reassessCustomer(id, ctxOf()));
      print(r, () => `${r.customer.id}: ${r.customer.status}, screening ${r.customer.screening?.decision}, risk ${r.customer.risk?.level} (score ${r.customer.risk?.score})`);
    });

  root
    .command('screen')
    .description('screen a name against the OFAC SDN names (fuzzy)')
    .argument('<name...>')
    .action(async (words: string[]) => {
      const hits = await run((s) => s.screenName(words.join(' '), ctxOf()));
      print(hits, () => hits.map((h) => `${h.score.toFixed(4)}\t${h.matchedName}\t(${h.primaryName}, SDN ${h.sdnProfileId}, ${h.programs.join('; ')})`).join('\n') || 'no match');
    });

  // ------------------------------------------------------------ monitoring
  root
    .command('monitor')
    .description('run the monitoring rules now (all customers, or the ones named)')
    .argument('[customerIds...]')
    .option('--as-of <time>', 'end of the window: unix seconds or ISO date (default: newest activity)', unixSeconds)
    .option('--rule <ids...>', `only these rules: ${RULE_IDS.join(', ')}`)
    .action(async (customerIds: string[], opts: { asOf?: number; rule?: string[] }) => {
      const rules = opts.rule?.map((r) => oneOf(RULE_IDS, 'a rule id')(r)) as RuleId[] | undefined;
      const r = await run((s) => s.runMonitoring({ ...(customerIds.length > 0 ? { customerIds } : {}), asOf: opts.asOf, rules }, ctxOf('monitoring run')));
      print(r, () =>
        [
          `${r.customers} customer(s), ${r.hits} hit(s), ${r.created.length} new alert(s), ${r.duplicates} already raised`,
          ...r.created.map((a) => `  ${a.id}\t${a.ruleId}\tscore ${a.score}\t${a.customerId}\t${a.summary}`),
          ...r.reRated.map((x) => `  re-rated ${x.customerId}: ${x.from ?? '-'} -> ${x.to}`),
          ...r.eddOpened.map((t) => `  EDD ${t.id} opened for ${t.customerId} (${t.riskLevel})`),
        ].join('\n'),
      );
    });

  // ------------------------------------------------------------ alerts
  const alert = root.command('alert').description('alerts: list, show, and move through OPEN -> IN_REVIEW -> ESCALATED -> CLOSED');
  alert
    .command('list')
    .option('--status <statuses...>', ALERT_STATUSES.join(', '))
    .option('--customer <id>')
    .option('--rule <id>')
    .option('--assignee <actor>')
    .option('--limit <n>', 'at most', (v) => Number(v), 100)
    .action(async (opts: { status?: string[]; customer?: string; rule?: string; assignee?: string; limit: number }) => {
      const status = opts.status?.map((x) => oneOf(ALERT_STATUSES, 'an alert status')(x)) as AlertStatus[] | undefined;
      const list = await run((s) => s.listAlerts({ status, customerId: opts.customer, ruleId: opts.rule, assignee: opts.assignee, limit: opts.limit }));
      print(list, () => list.map((a) => `${a.id}\t${a.status}\t${a.ruleId}\tscore ${a.score}\t${a.customerId ?? '-'}\t${a.assignee ?? '-'}\t${a.summary}`).join('\n') || '(no alerts)');
    });
  alert
    .command('show')
    .argument('<id>')
    .action(async (id: string) => {
      const a = await run((s) => s.getAlert(id));
      print(a, () => json(a).trimEnd());
    });
  alert
    .command('assign')
    .description('assign an alert to someone')
    .argument('<id>')
    .argument('[assignee]', 'who works on it (none: unassign)')
    .action(async (id: string, assignee: string | undefined) => {
      const a = await run((s) => s.changeAlert(id, { kind: 'assign', assignee: assignee ?? null }, ctxOf()));
      print(a, () => `${a.id}: assigned to ${a.assignee ?? 'nobody'}`);
    });
  alert
    .command('note')
    .description('add a note to an alert')
    .argument('<id>')
    .argument('<text...>')
    .action(async (id: string, text: string[]) => {
      const a = await run((s) => s.changeAlert(id, { kind: 'note', text: text.join(' ') }, ctxOf()));
      print(a, () => `${a.id}: ${a.notes.length} note(s)`);
    });
  for (const [kind, description] of [
    ['review', 'OPEN -> IN_REVIEW'],
    ['escalate', 'IN_REVIEW -> ESCALATED'],
  ] as const) {
    alert
      .command(kind)
      .description(description)
      .argument('<id>')
      .option('--note <text>')
      .action(async (id: string, opts: { note?: string }) => {
        const a = await run((s) => s.changeAlert(id, { kind, ...(opts.note ? { note: opts.note } : {}) }, ctxOf()));
        print(a, () => `${a.id}: ${a.status}`);
      });
  }
  alert
    .command('close')
    .description('IN_REVIEW or ESCALATED -> CLOSED, with a disposition (SAR_FILED only from ESCALATED)')
    .argument('<id>')
    .addOption(new Option('--disposition <d>', 'why it is closed').choices([...ALERT_DISPOSITIONS]).makeOptionMandatory())
    .option('--note <text>')
    .action(async (id: string, opts: { disposition: AlertDisposition; note?: string }) => {
      const a = await run((s) => s.changeAlert(id, { kind: 'close', disposition: opts.disposition, ...(opts.note ? { note: opts.note } : {}) }, ctxOf()));
      print(a, () => `${a.id}: CLOSED (${a.disposition})`);
    });

  // ------------------------------------------------------------ reports
  const report = root.command('report').description('SAR drafts and CTR-style reports');
  report
    .command('sar')
    .description("draft a SAR from one customer's alerts")
    .argument('<alertIds...>')
    .action(async (alertIds: string[]) => {
      const r = await run((s) => s.draftSar(alertIds, ctxOf('SAR draft')));
      print(r, () => `${r.id}: ${r.title}\n\n${r.narrative}`);
    });
  report
    .command('ctr')
    .description("a CTR-style report of a customer's large transactions")
    .argument('<customerId>')
    .requiredOption('--from <time>', 'unix seconds or ISO date', unixSeconds)
    .requiredOption('--to <time>', 'unix seconds or ISO date', unixSeconds)
    .action(async (customerId: string, opts: { from: number; to: number }) => {
      const r = await run((s) => s.draftCtr(customerId, { fromTime: opts.from, toTime: opts.to }, ctxOf('CTR')));
      print(r, () => `${r.id}: ${r.title}\n\n${r.narrative}`);
    });
  report
    .command('list')
    .option('--kind <kind>', 'SAR or CTR', oneOf(['SAR', 'CTR'] as const, 'a report kind'))
    .option('--customer <id>')
    .option('--alert <id>')
    .action(async (opts: { kind?: 'SAR' | 'CTR'; customer?: string; alert?: string }) => {
      const list = await run((s) => s.listReports({ kind: opts.kind, customerId: opts.customer, alertId: opts.alert }, ctxOf('report list')));
      print(list, () => list.map((r) => `${r.id}\t${r.kind}\t${r.status}\t${r.customerId}\t${r.title}`).join('\n') || '(no reports)');
    });
  report
    .command('review')
    .argument('<id>')
    .option('--note <text>', 'review note', '')
    .action(async (id: string, opts: { note: string }) => {
      const r = await run((s) => s.reviewReport(id, opts.note, ctxOf('report review')));
      print(r, () => `${r.id}: REVIEWED by ${r.reviewedBy}`);
    });
  report
    .command('export')
    .argument('<id>')
    .addOption(new Option('--format <format>', 'json or text').choices(['json', 'text']).default('text'))
    .action(async (id: string, opts: { format: 'json' | 'text' }) => {
      write(await run((s) => s.exportReport(id, opts.format, ctxOf('export'))));
    });

  // ------------------------------------------------------------ EDD
  const edd = root.command('edd').description('enhanced due diligence tasks');
  edd
    .command('list')
    .option('--customer <id>')
    .option('--status <status>', 'OPEN or DONE', oneOf(['OPEN', 'DONE'] as const, 'a task status'))
    .action(async (opts: { customer?: string; status?: 'OPEN' | 'DONE' }) => {
      const list = await run((s) => s.listEddTasks({ customerId: opts.customer, status: opts.status }));
      print(list, () => list.map((t) => `${t.id}\t${t.status}\t${t.customerId}\t${t.riskLevel}\tdue ${new Date(t.dueAt).toISOString().slice(0, 10)}`).join('\n') || '(no EDD tasks)');
    });
  edd
    .command('close')
    .argument('<id>')
    .argument('<outcome...>')
    .action(async (id: string, outcome: string[]) => {
      const t = await run((s) => s.completeEddTask(id, outcome.join(' '), ctxOf()));
      print(t, () => `${t.id}: DONE`);
    });

  // ------------------------------------------------------------ audit
  const audit = root.command('audit').description('the hash-chained audit trail');
  audit
    .command('verify')
    .description('walk the chain; exit 1 and name the entry when an entry was edited or deleted')
    .action(async () => {
      const v = await run((s) => s.verifyAudit());
      print(v, () => v.message);
      if (!v.ok) process.exitCode = 1;
    });
  audit
    .command('list')
    .option('--from <seq>', 'first seq', (v) => Number(v), 1)
    .option('--limit <n>', 'at most', (v) => Number(v), 100)
    .option('--subject <id>')
    .action(async (opts: { from: number; limit: number; subject?: string }) => {
      const entries = await run((s) => s.readAudit({ fromSeq: opts.from, limit: opts.limit, subject: opts.subject }));
      print(entries, () => entries.map((e) => `${e.seq}\t${new Date(e.at).toISOString()}\t${e.actor}\t${e.action}\t${e.subject}\t${JSON.stringify(e.details)}`).join('\n') || '(empty)');
    });
  return root;
}

function safeUser(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

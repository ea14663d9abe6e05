/**
 * SAR drafts: a suspicious activity report narrative built from alerts' evidence (amounts, dates,
 * addresses, paths) and the customer's risk factors, for a compliance officer to review and file.
 *
 * The narrative follows the five questions of FinCEN's "Guidance on Preparing a Complete & Sufficient
 * Suspicious Activity Report Narrative" (November 2003): who is conducting the activity, what instruments
 * and amounts, when, where (addresses, counterparties, paths), why it is suspicious and how it was done.
 * Every figure in the narrative comes from the structured `data` stored beside it, so a reviewer can check
 * one against the other. Deterministic for given inputs.
 */
import { invalidInput } from '../../errors.js';
import type { Alert, Customer, EvidencePath, EvidenceTransaction, JsonObject, Report } from '../../store/compliance-store.js';
import { addUsd, formatUsd, parseUsd, ZERO_USD, type Usd } from '../monitoring/usd.js';

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

export interface SarInput {
  id: string;
  customer: Customer;
  alerts: Alert[];
  at: number;
  actor: string;
}

export function buildSarDraft(input: SarInput): Report {
  const { customer: c, alerts } = input;
  if (alerts.length === 0) throw invalidInput('a SAR draft needs at least one alert');
  const foreign = alerts.filter((a) => a.customerId !== c.id);
  if (foreign.length > 0) throw invalidInput(`a SAR draft covers one customer: alerts ${foreign.map((a) => a.id).join(', ')} are not about ${c.id}`);
  const sorted = [...alerts].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));

  const txs = new Map<string, EvidenceTransaction>();
  const paths: EvidencePath[] = [];
  const seenPaths = new Set<string>();
  for (const a of sorted) {
    for (const t of a.evidence.transactions) txs.set(`${t.txId}|${t.direction}|${t.asset}`, t);
    for (const p of a.evidence.paths) {
      const key = `${p.address}|${p.target}|${p.direction}`;
      if (!seenPaths.has(key)) {
        seenPaths.add(key);
        paths.push(p);
      }
    }
  }
  const transactions = [...txs.values()].sort((a, b) => a.time - b.time || (a.txId < b.txId ? -1 : 1));
  const totals: Record<'in' | 'out', Usd> = { in: ZERO_USD, out: ZERO_USD };
  const byAsset = new Map<string, { in: bigint; out: bigint }>();
  for (const t of transactions) {
    if (t.usd !== null) totals[t.direction] = addUsd(totals[t.direction], parseUsd(t.usd));
    const a = byAsset.get(t.asset) ?? { in: 0n, out: 0n };
    a[t.direction] += BigInt(t.value);
    byAsset.set(t.asset, a);
  }
  const counterparties = [...new Set(transactions.flatMap((t) => t.counterparties))].sort();
  const first = transactions[0]?.time;
  const last = transactions[transactions.length - 1]?.time;

  const data: JsonObject = {
    subject: {
      customerId: c.id,
      type: c.type,
      legalName: c.legalName,
      aliases: c.aliases,
      dateOfBirth: c.dateOfBirth,
      address: c.address,
      country: c.country,
      nationality: c.nationality,
      idDocumentNumber: c.idDocumentNumber,
      email: c.email,
      occupation: c.occupation,
      beneficialOwners: c.beneficialOwners.map((o) => ({ name: o.name, country: o.country, ownershipPercent: o.ownershipPercent, control: o.control, pep: o.pep })),
      linkedAddresses: c.addresses,
    },
    period: first === undefined ? null : { from: iso(first), to: iso(last!) },
    totals: { inUsd: formatUsd(totals.in), outUsd: formatUsd(totals.out), byAsset: Object.fromEntries([...byAsset].map(([k, v]) => [k, { in: v.in.toString(), out: v.out.toString() }])) },
    transactions: transactions.map((t) => ({ ...t })),
    counterparties,
    paths: paths.map((p) => ({ ...p })),
    alerts: sorted.map((a) => ({ id: a.id, ruleId: a.ruleId, rule: a.ruleName, score: a.score, summary: a.summary, createdAt: new Date(a.createdAt).toISOString(), status: a.status })),
    risk: c.risk
      ? { level: c.risk.level, score: c.risk.score, ratedAt: new Date(c.risk.at).toISOString(), factors: c.risk.factors.map((f) => ({ factor: f.factor, value: f.value, score: f.score, reason: f.reason })), overrides: c.risk.overrides }
      : null,
    screening: c.screening ? { decision: c.screening.decision, list: c.screening.list, nameHits: c.screening.nameHits.length, addressHits: c.screening.addressHits.length } : null,
  };

  const who =
    `WHO: ${c.type === 'entity' ? 'The entity' : 'The individual'} ${c.legalName} (customer ${c.id}` +
    `${c.dateOfBirth ? `, ${c.type === 'entity' ? 'incorporated' : 'born'} ${c.dateOfBirth}` : ''}, ${c.country}, ID document ${c.idDocumentNumber}, occupation or business: ${c.occupation})` +
    `${c.beneficialOwners.length > 0 ? `, beneficially owned by ${c.beneficialOwners.map((o) => `${o.name} (${o.ownershipPercent}%${o.control ? ', control person' : ''}, ${o.country})`).join('; ')}` : ''}` +
    `, holding the wallet address${c.addresses.length === 1 ? '' : 'es'} ${c.addresses.join(', ') || '(none linked)'}.`;
  const what =
    `WHAT: ${transactions.length} transaction${transactions.length === 1 ? '' : 's'}: received ${formatUsd(totals.in)} USD and sent ${formatUsd(totals.out)} USD equivalent ` +
    `(${[...byAsset].map(([asset, v]) => `${asset}: in ${v.in} / out ${v.out} base units`).join('; ') || 'no amounts'}).`;
  const when = first === undefined ? 'WHEN: no transaction in the evidence.' : `WHEN: from ${iso(first)} to ${iso(last!)}.`;
  const where =
    `WHERE: counterparties ${counterparties.join(', ') || '(none)'}.` +
    (paths.length > 0
      ? ` Fund paths: ${paths.map((p) => `${p.addresses.join(' -> ')} (${p.category} ${p.target}, ${p.hops} hop${p.hops === 1 ? '' : 's'}, transactions ${p.txIds.join(', ') || 'none'})`).join('; ')}.`
      : '');
  const why =
    `WHY: ${sorted.length} alert${sorted.length === 1 ? '' : 's'} raised by transaction monitoring: ` +
    sorted.map((a) => `${a.ruleName} (score ${a.score}, alert ${a.id}): ${a.summary}`).join('; ') +
    '.' +
    (c.risk
      ? ` Customer risk rating ${c.risk.level} (weighted score ${c.risk.score}; ${c.risk.factors.filter((f) => f.score > 1).map((f) => `${f.factor} ${f.value}: ${f.reason}`).join('; ') || 'no elevated factor'}${c.risk.overrides.length > 0 ? `; overrides: ${c.risk.overrides.join('; ')}` : ''}).`
      : '');
  const how =
    `HOW: ${transactions
      .map((t) => `${iso(t.time)} ${t.direction === 'in' ? 'received' : 'sent'} ${t.value} base units of ${t.asset}${t.usd !== null ? ` (${t.usd} USD)` : ''} ${t.direction === 'in' ? 'from' : 'to'} ${t.counterparties.join(', ') || 'unknown'} in transaction ${t.txId}`)
      .join('; ') || 'see the alerts'}.`;

  return {
    id: input.id,
    kind: 'SAR',
    status: 'DRAFT',
    customerId: c.id,
    alertIds: sorted.map((a) => a.id),
    title: `SAR draft: ${c.legalName} (${c.id}), ${sorted.map((a) => a.ruleName).filter((n, i, all) => all.indexOf(n) === i).join(', ')}`,
    narrative: [who, what, when, where, why, how].join('\n\n'),
    data,
    createdAt: input.at,
    createdBy: input.actor,
    reviewedAt: null,
    reviewedBy: null,
    reviewNote: null,
    version: 0,
  };
}

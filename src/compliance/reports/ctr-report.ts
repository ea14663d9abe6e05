/**
 * CTR-style report of large transactions for one customer over a period: every movement at or above the
 * threshold (default 10,000 USD-equivalent), and every UTC day whose movements in one direction add up to
 * the threshold or more, since several smaller transactions of one person in one business day are
 * aggregated (31 CFR 1010.313 for the US currency transaction report). Amounts in base units and exact USD
 * (to the cent, rounded down). Deterministic.
 */
import type { Customer, JsonObject, Report } from '../../store/compliance-store.js';
import { toEvidence, type Movement } from '../monitoring/activity.js';
import { compareUsd, formatUsd, parseUsd, sumUsd } from '../monitoring/usd.js';

export interface CtrInput {
  id: string;
  customer: Customer;
  /** The customer's movements in the period. */
  movements: Movement[];
  period: { fromTime: number; toTime: number };
  thresholdUsd: string;
  at: number;
  actor: string;
  priceAsOf: string;
}

export function buildCtrReport(input: CtrInput): Report {
  const threshold = parseUsd(input.thresholdUsd);
  const { customer: c } = input;
  const priced = input.movements.filter((m) => m.usd !== null);
  const single = priced.filter((m) => compareUsd(m.usd!, threshold) >= 0);
  const days = new Map<string, Movement[]>();
  for (const m of priced) {
    const key = `${new Date(m.time * 1000).toISOString().slice(0, 10)}|${m.direction}`;
    days.set(key, [...(days.get(key) ?? []), m]);
  }
  const aggregated = [...days.entries()]
    .map(([key, list]) => ({ day: key.split('|')[0]!, direction: key.split('|')[1] as 'in' | 'out', list, total: sumUsd(list.map((m) => m.usd!)) }))
    .filter((d) => compareUsd(d.total, threshold) >= 0)
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.direction < b.direction ? -1 : 1));
  const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
  const data: JsonObject = {
    subject: { customerId: c.id, type: c.type, legalName: c.legalName, dateOfBirth: c.dateOfBirth, address: c.address, country: c.country, idDocumentNumber: c.idDocumentNumber },
    period: { from: iso(input.period.fromTime), to: iso(input.period.toTime) },
    thresholdUsd: input.thresholdUsd,
    priceAsOf: input.priceAsOf,
    largeTransactions: single.map(toEvidence).map((t) => ({ ...t })),
    dailyAggregates: aggregated.map((d) => ({ day: d.day, direction: d.direction, totalUsd: formatUsd(d.total), count: d.list.length, txIds: d.list.map((m) => m.txId) })),
  };
  const lines = [
    `Currency transaction report (CTR-style) for ${c.legalName} (customer ${c.id}), ${c.country}, ID document ${c.idDocumentNumber}.`,
    `Period ${iso(input.period.fromTime)} to ${iso(input.period.toTime)}; threshold ${input.thresholdUsd} USD-equivalent at prices of ${input.priceAsOf}.`,
    single.length === 0
      ? 'No single transaction at or above the threshold.'
      : `Transactions at or above the threshold: ${single.map((m) => `${iso(m.time)} ${m.direction === 'in' ? 'received' : 'sent'} ${m.value} base units of ${m.asset} (${formatUsd(m.usd!)} USD) in ${m.txId}`).join('; ')}.`,
    aggregated.length === 0
      ? 'No day whose transactions in one direction add up to the threshold.'
      : `Days aggregated at or above the threshold: ${aggregated.map((d) => `${d.day} ${d.direction === 'in' ? 'received' : 'sent'} ${formatUsd(d.total)} USD in ${d.list.length} transaction${d.list.length === 1 ? '' : 's'}`).join('; ')}.`,
  ];
  return {
    id: input.id,
    kind: 'CTR',
    status: 'DRAFT',
    customerId: c.id,
    alertIds: [],
    title: `CTR: ${c.legalName} (${c.id}), ${iso(input.period.fromTime).slice(0, 10)} to ${iso(input.period.toTime).slice(0, 10)}`,
    narrative: lines.join('\n'),
    data,
    createdAt: input.at,
    createdBy: input.actor,
    reviewedAt: null,
    reviewedBy: null,
    reviewNote: null,
    version: 0,
  };
}

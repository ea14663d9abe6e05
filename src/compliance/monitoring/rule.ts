/**
 * What a transaction-monitoring rule is: a named, configurable function from a customer's activity (and
 * the graph, through injected probes) to hits. A hit becomes an alert; its `key` makes it unique for the
 * customer, so that running the rule again on the same facts raises nothing new.
 */
import { invalidInput } from '../../errors.js';
import type { AddressId } from '../../model/address.js';
import type { AlertEvidence, EvidencePath, JsonObject } from '../../store/compliance-store.js';
import type { FatfLists } from '../kyc/fatf-lists.js';
import { toEvidence, type Movement } from './activity.js';
import type { JurisdictionResolver, PeelChainProbe, ProximityHit, ProximityProbe } from './graph-probes.js';
import { parseUsd, type PriceTable, type Usd } from './usd.js';

export const RULE_IDS = [
  'large-transaction',
  'structuring',
  'rapid-round-trip',
  'high-risk-jurisdiction',
  'behavioural-spike',
  'mixer-interaction',
  'sanctioned-counterparty',
  'mule-pattern',
  'peel-chain',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface MonitoringProbes {
  proximity: ProximityProbe;
  peelChains: PeelChainProbe;
  jurisdictions: JurisdictionResolver;
}

export interface RuleContext {
  customerId: string | null;
  /** The customer's linked addresses. */
  addresses: AddressId[];
  /** The customer's movements in the lookback window, oldest first. */
  movements: Movement[];
  /** End of the window, unix seconds (chain time). */
  asOf: number;
  prices: PriceTable;
  fatf: FatfLists;
  probes: MonitoringProbes;
}

export interface RuleHit {
  /** Unique for the customer and rule: the same facts give the same key. */
  key: string;
  /** 0..100. */
  score: number;
  summary: string;
  evidence: AlertEvidence;
}

export interface RuleParamsBase {
  enabled: boolean;
  /** Alert score, 0..100. */
  score: number;
}

export interface MonitoringRule<P extends RuleParamsBase = RuleParamsBase> {
  id: RuleId;
  name: string;
  description: string;
  defaults: P;
  /** Merges `raw` over the defaults and checks it; throws INVALID_INPUT naming the rule and parameter. */
  parseParams(raw: Record<string, unknown>): P;
  run(ctx: RuleContext, params: P): Promise<RuleHit[]>;
}

/** Reads one rule's parameters with messages that name the rule and parameter. */
export function paramReader<P extends object>(ruleId: string, defaults: P, raw: Record<string, unknown>) {
  const known = new Set(Object.keys(defaults));
  for (const k of Object.keys(raw)) {
    if (!known.has(k) && k !== 'name' && k !== 'description') {
      throw invalidInput(`monitoring rule ${ruleId}: unknown parameter "${k}"; expected one of ${[...known].join(', ')}`);
    }
  }
  const get = (name: keyof P & string): unknown => (raw[name] === undefined ? defaults[name] : raw[name]);
  const bad = (name: string, expected: string, got: unknown) =>
    invalidInput(`monitoring rule ${ruleId}: parameter ${name} must be ${expected}, got ${JSON.stringify(got)}`);
  return {
    int(name: keyof P & string, min: number, max: number): number {
      const v = get(name);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw bad(name, `an integer from ${min} to ${max}`, v);
      return v;
    },
    bool(name: keyof P & string): boolean {
      const v = get(name);
      if (typeof v !== 'boolean') throw bad(name, 'true or false', v);
      return v;
    },
    usd(name: keyof P & string): string {
      const v = get(name);
      if (typeof v !== 'string') throw bad(name, 'a USD amount as a decimal string such as "10000"', v);
      parseUsd(v, `monitoring rule ${ruleId} parameter ${name}`);
      return v;
    },
    oneOf<T extends string>(name: keyof P & string, allowed: readonly T[]): T {
      const v = get(name);
      if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw bad(name, `one of ${allowed.join(', ')}`, v);
      return v as T;
    },
    listOf<T extends string>(name: keyof P & string, allowed: readonly T[] | null, min = 0): T[] {
      const v = get(name);
      if (!Array.isArray(v) || v.length < min || v.some((x) => typeof x !== 'string' || (allowed !== null && !(allowed as readonly string[]).includes(x)))) {
        throw bad(name, `a list of ${allowed ? allowed.join(' / ') : 'strings'}${min > 0 ? ` (at least ${min})` : ''}`, v);
      }
      return [...new Set(v as T[])];
    },
  };
}

/** Evidence from movements and paths; `addresses` is every address they name, sorted. */
export function buildEvidence(movements: readonly Movement[], paths: readonly EvidencePath[], facts: JsonObject): AlertEvidence {
  const addresses = new Set<AddressId>();
  for (const m of movements) for (const a of [...m.counterparties, ...m.linkedAddresses]) addresses.add(a);
  for (const p of paths) for (const a of p.addresses) addresses.add(a);
  return { transactions: movements.map(toEvidence), paths: [...paths], addresses: [...addresses].sort(), facts };
}

export function pathEvidence(hit: ProximityHit): EvidencePath {
  return { address: hit.address, target: hit.target, category: hit.category, hops: hit.hops, direction: hit.direction, addresses: hit.path, txIds: hit.txIds };
}

export function usdAtLeast(value: Usd | null, threshold: Usd): boolean {
  return value !== null && value.num * threshold.den >= threshold.num * value.den;
}

export const clampScore = (n: number): number => Math.max(0, Math.min(100, Math.round(n)));

/** UTC date of unix seconds, YYYY-MM-DD. */
export const utcDay = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10);

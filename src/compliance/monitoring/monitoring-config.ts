/**
 * The compliance configuration file (config/monitoring-rules.json): each monitoring rule by id with its
 * parameters (merged over the rule's defaults and checked), the USD price table, the lookback window,
 * onboarding screening settings, EDD due dates and counterparty jurisdictions. One file, so that a reviewer
 * sees every threshold in one place (docs/compliance.md describes each).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { invalidInput, isAriadneError } from '../../errors.js';
import { parseAddressId } from '../../model/address.js';
import type { RiskLevel } from '../../store/compliance-store.js';
import { parseIsoCountry } from '../kyc/iso-countries.js';
import { DEFAULT_NAME_THRESHOLD } from '../kyc/screening/screen-names.js';
import type { JurisdictionConfig } from './graph-probes.js';
import { RULES } from './rules/index.js';
import { RULE_IDS, type MonitoringRule, type RuleId, type RuleParamsBase } from './rule.js';
import { parsePriceTable, type PriceTable } from './usd.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const DEFAULT_MONITORING_CONFIG = path.join(REPO_ROOT, 'config', 'monitoring-rules.json');

export interface ConfiguredRule {
  rule: MonitoringRule<RuleParamsBase>;
  params: RuleParamsBase;
}

export interface MonitoringConfig {
  file: string;
  prices: PriceTable;
  /** Days of history the rules look at before the newest transaction. */
  lookbackDays: number;
  screening: { nameThreshold: number; sdnFile: string; addressMaxHops: number };
  risk: { exposureMaxHops: number };
  /** Days from opening to due, per level that opens an EDD task. */
  edd: { dueDays: Partial<Record<RiskLevel, number>> };
  jurisdictions: JurisdictionConfig;
  /** Every rule, in RULE_IDS order, enabled or not. */
  rules: ConfiguredRule[];
}

/** Checks the parsed JSON; relative file names resolve against `baseDir`. Throws INVALID_INPUT naming the field. */
export function parseMonitoringConfig(json: unknown, file = 'monitoring-rules.json', baseDir = REPO_ROOT): MonitoringConfig {
  const raw = json as Record<string, unknown>;
  if (!raw || typeof raw !== 'object') throw invalidInput('monitoring config: expected a JSON object', { file });
  const where = { file };
  const obj = (v: unknown, name: string): Record<string, unknown> => {
    if (v === undefined) return {};
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidInput(`monitoring config: "${name}" must be an object`, where);
    return v as Record<string, unknown>;
  };
  const int = (v: unknown, name: string, fallback: number, min: number, max: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidInput(`monitoring config: "${name}" must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`, where);
    return v;
  };
  try {
    const prices = parsePriceTable(raw.prices);
    const screening = obj(raw.screening, 'screening');
    const threshold = screening.nameThreshold ?? DEFAULT_NAME_THRESHOLD;
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
      throw invalidInput(`monitoring config: "screening.nameThreshold" must be a number in (0, 1], got ${JSON.stringify(threshold)}`, where);
    }
    const sdnFile = typeof screening.sdnFile === 'string' ? path.resolve(baseDir, screening.sdnFile) : path.join(REPO_ROOT, 'seed/data/ofac/sdn-digital-currency-addresses-2025-11-19.csv');
    const due = obj(obj(raw.edd, 'edd').dueDays, 'edd.dueDays');
    const dueDays: Partial<Record<RiskLevel, number>> = {};
    for (const [level, days] of Object.entries(due)) {
      if (level !== 'HIGH' && level !== 'VERY_HIGH') throw invalidInput(`monitoring config: "edd.dueDays" takes HIGH and VERY_HIGH, got ${JSON.stringify(level)}`, where);
      dueDays[level] = int(days, `edd.dueDays.${level}`, 30, 1, 365);
    }
    const juris = obj(raw.counterpartyJurisdictions, 'counterpartyJurisdictions');
    const byAddress: Record<string, string> = {};
    for (const [a, c] of Object.entries(obj(juris.byAddress, 'counterpartyJurisdictions.byAddress'))) byAddress[parseAddressId(a)] = parseIsoCountry(String(c), `country of ${a}`);
    const byActor: Record<string, string> = {};
    for (const [a, c] of Object.entries(obj(juris.byActor, 'counterpartyJurisdictions.byActor'))) byActor[a] = parseIsoCountry(String(c), `country of actor ${a}`);
    const rulesRaw = obj(raw.rules, 'rules');
    for (const id of Object.keys(rulesRaw)) {
      if (!(RULE_IDS as readonly string[]).includes(id)) throw invalidInput(`monitoring config: unknown rule "${id}"; expected one of ${RULE_IDS.join(', ')}`, where);
    }
    const rules = RULE_IDS.map((id: RuleId) => {
      const rule = RULES[id];
      return { rule, params: rule.parseParams(obj(rulesRaw[id], `rules.${id}`)) };
    });
    return {
      file,
      prices,
      lookbackDays: int(raw.lookbackDays, 'lookbackDays', 120, 1, 3660),
      screening: { nameThreshold: threshold, sdnFile, addressMaxHops: int(screening.addressMaxHops, 'screening.addressMaxHops', 2, 0, 10) },
      risk: { exposureMaxHops: int(obj(raw.risk, 'risk').exposureMaxHops, 'risk.exposureMaxHops', 3, 0, 10) },
      edd: { dueDays: { HIGH: dueDays.HIGH ?? 30, VERY_HIGH: dueDays.VERY_HIGH ?? 10 } },
      jurisdictions: { byAddress, byActor },
      rules,
    };
  } catch (err) {
    throw isAriadneError(err) ? err.withContext(where) : err;
  }
}

export function loadMonitoringConfig(file: string = DEFAULT_MONITORING_CONFIG): MonitoringConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw invalidInput(`cannot read the monitoring configuration: ${(err as Error).message}`, { file });
  }
  return parseMonitoringConfig(json, file, REPO_ROOT);
}

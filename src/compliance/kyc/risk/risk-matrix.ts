/**
 * The customer risk matrix as data (src/compliance/data/risk-matrix.json, documented in docs/compliance.md):
 * factors with weights adding up to 100, each value scored 1-3, level bands over the weighted score, and
 * overrides that raise the level. Loading checks the matrix against the values the CDD form can produce, so
 * that a customer can never fall outside it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../../../errors.js';
import { RISK_LEVELS, type RiskLevel } from '../../../store/compliance-store.js';
import { parseUsd, type Usd } from '../../monitoring/usd.js';
import { IDENTITY_VERIFICATION, OCCUPATION_CATEGORIES, SOURCES_OF_FUNDS } from '../validate-customer.js';

export const RISK_FACTORS = ['identity_verification', 'source_of_funds', 'volume_frequency', 'jurisdiction', 'occupation', 'wallet_behaviour'] as const;
export type RiskFactorId = (typeof RISK_FACTORS)[number];

/** The values each factor must score, besides the CDD form's own lists. */
const REQUIRED_VALUES: Record<RiskFactorId, readonly string[]> = {
  identity_verification: IDENTITY_VERIFICATION,
  source_of_funds: SOURCES_OF_FUNDS,
  volume_frequency: ['low', 'medium', 'high'],
  jurisdiction: ['standard', 'grey', 'black'],
  occupation: [...OCCUPATION_CATEGORIES, 'pep'],
  wallet_behaviour: ['clean', 'indirect_mixer', 'direct_mixer', 'indirect_sanctioned', 'direct_sanctioned'],
};

export interface RiskFactor {
  id: RiskFactorId;
  name: string;
  weight: number;
  /** Value -> score 1..3, in the file's order (ties are broken towards the later value). */
  values: Map<string, number>;
}

export interface RiskMatrix {
  version: string;
  factors: RiskFactor[];
  volumeBands: { belowUsd: Usd | null; value: string }[];
  frequencyBands: { below: number | null; value: string }[];
  /** Ascending bands: a score below `below` has that level; the last has below = null. */
  levels: { level: RiskLevel; below: number | null }[];
  overrides: { factor: RiskFactorId; value: string; minLevel: RiskLevel; reason: string }[];
  /** Ratings at or above this level open an EDD task. */
  eddFrom: RiskLevel;
}

export const DEFAULT_RISK_MATRIX_FILE = path.resolve(import.meta.dirname, '../../data/risk-matrix.json');

export function parseRiskMatrix(json: unknown, file = 'risk-matrix.json'): RiskMatrix {
  const where = { file };
  const fail = (message: string) => invalidInput(`risk matrix: ${message}`, where);
  const raw = json as Record<string, unknown>;
  if (!raw || typeof raw !== 'object' || !Array.isArray(raw.factors) || !Array.isArray(raw.levels)) throw fail('expected {"version", "factors": [...], "levels": [...]}');
  const factors: RiskFactor[] = [];
  let volumeBands: RiskMatrix['volumeBands'] = [];
  let frequencyBands: RiskMatrix['frequencyBands'] = [];
  for (const f of raw.factors as Record<string, unknown>[]) {
    const id = f.id as RiskFactorId;
    if (!(RISK_FACTORS as readonly string[]).includes(id)) throw fail(`unknown factor ${JSON.stringify(f.id)}; expected ${RISK_FACTORS.join(', ')}`);
    if (factors.some((x) => x.id === id)) throw fail(`factor ${id} listed twice`);
    if (typeof f.weight !== 'number' || !Number.isInteger(f.weight) || f.weight <= 0) throw fail(`factor ${id}: weight must be a positive integer, got ${JSON.stringify(f.weight)}`);
    const values = new Map<string, number>();
    for (const [v, s] of Object.entries((f.values ?? {}) as Record<string, unknown>)) {
      if (s !== 1 && s !== 2 && s !== 3) throw fail(`factor ${id}: value ${v} must score 1, 2 or 3, got ${JSON.stringify(s)}`);
      values.set(v, s);
    }
    const missing = REQUIRED_VALUES[id].filter((v) => !values.has(v));
    if (missing.length > 0) throw fail(`factor ${id} does not score ${missing.join(', ')}`);
    factors.push({ id, name: typeof f.name === 'string' ? f.name : id, weight: f.weight, values });
    if (id === 'volume_frequency') {
      volumeBands = bands(f.volumeBands, 'belowUsd', (b) => parseUsd(String(b), 'risk matrix volume band'), values, fail).map((b) => ({ belowUsd: b.below, value: b.value }));
      frequencyBands = bands(f.frequencyBands, 'below', (b) => {
        if (typeof b !== 'number' || !Number.isInteger(b) || b < 1) throw fail(`frequency band bound must be a positive integer, got ${JSON.stringify(b)}`);
        return b;
      }, values, fail);
    }
  }
  const absent = RISK_FACTORS.filter((id) => !factors.some((f) => f.id === id));
  if (absent.length > 0) throw fail(`missing factors ${absent.join(', ')}`);
  const total = factors.reduce((t, f) => t + f.weight, 0);
  if (total !== 100) throw fail(`weights must add up to 100, got ${total}`);
  const levels = (raw.levels as Record<string, unknown>[]).map((l, i, all) => {
    if (!(RISK_LEVELS as readonly string[]).includes(String(l.level))) throw fail(`unknown level ${JSON.stringify(l.level)}`);
    const last = i === all.length - 1;
    if (last !== (l.below === undefined)) throw fail('every level but the last needs "below"; the last has none');
    return { level: l.level as RiskLevel, below: last ? null : Number(l.below) };
  });
  if (levels.map((l) => l.level).join() !== RISK_LEVELS.join()) throw fail(`levels must be ${RISK_LEVELS.join(', ')} in that order`);
  for (let i = 1; i < levels.length - 1; i++) if (!(levels[i]!.below! > levels[i - 1]!.below!)) throw fail('level bounds must increase');
  const overrides = ((raw.overrides ?? []) as Record<string, unknown>[]).map((o) => {
    const factor = factors.find((f) => f.id === o.factor);
    if (!factor || !factor.values.has(String(o.value))) throw fail(`override on unknown factor value ${JSON.stringify(o.factor)}=${JSON.stringify(o.value)}`);
    if (!(RISK_LEVELS as readonly string[]).includes(String(o.minLevel))) throw fail(`override minLevel ${JSON.stringify(o.minLevel)} is not a level`);
    return { factor: factor.id, value: String(o.value), minLevel: o.minLevel as RiskLevel, reason: typeof o.reason === 'string' ? o.reason : '' };
  });
  const eddFrom = String(raw.eddFrom ?? 'HIGH');
  if (!(RISK_LEVELS as readonly string[]).includes(eddFrom)) throw fail(`eddFrom ${JSON.stringify(eddFrom)} is not a level`);
  return { version: String(raw.version ?? ''), factors, volumeBands, frequencyBands, levels, overrides, eddFrom: eddFrom as RiskLevel };
}

function bands<T>(raw: unknown, key: string, bound: (b: unknown) => T, values: Map<string, number>, fail: (m: string) => Error): { value: string; below: T | null }[] {
  if (!Array.isArray(raw) || raw.length === 0) throw fail(`volume_frequency needs ${key === 'below' ? 'frequencyBands' : 'volumeBands'}`);
  return raw.map((b: Record<string, unknown>, i) => {
    if (!values.has(String(b.value))) throw fail(`band value ${JSON.stringify(b.value)} is not a volume_frequency value`);
    const last = i === raw.length - 1;
    if (last !== (b[key] === undefined)) throw fail(`every band but the last needs "${key}"`);
    return { value: String(b.value), below: last ? null : bound(b[key]) };
  });
}

export function loadRiskMatrix(file: string = DEFAULT_RISK_MATRIX_FILE): RiskMatrix {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw invalidInput(`cannot read the risk matrix: ${(err as Error).message}`, { file });
  }
  return parseRiskMatrix(json, file);
}

export function levelRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

/**
 * The OFAC SDN names to screen customers against, read from the digital-currency CSV
 * (`currency,address,sdn_primary_name,programs,sdn_profile_id,party_type,akas_first5`; derived from the
 * SDN Advanced XML by brave-intl/ofac-sanctioned-digital-currency-addresses, see /work/shared/data/README.md).
 * One entry per SDN profile: its primary name, its aliases (`akas_first5`, " | "-separated), party type and
 * programs. Every row counts, whatever its currency (the address import skips currencies it cannot map to a
 * chain; a name is a name).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { invalidInput } from '../../../errors.js';
import { prepareName, type PreparedName } from './name-match.js';

export interface SdnEntity {
  /** SDN profile id, or `name:<primary name>` when the row has none. */
  key: string;
  sdnProfileId: string | null;
  primaryName: string;
  akas: string[];
  partyType: string | null;
  programs: string[];
}

export interface SdnNameIndex {
  /** File name of the list, e.g. `sdn-digital-currency-addresses-2025-11-19.csv`. */
  list: string;
  entities: SdnEntity[];
  /** Every screenable name: primary names and aliases, prepared once. */
  names: { entity: SdnEntity; name: string; prepared: PreparedName; primary: boolean }[];
}

/** The copy shipped in the repository. */
export const DEFAULT_SDN_FILE = path.resolve(import.meta.dirname, '../../../../seed/data/ofac/sdn-digital-currency-addresses-2025-11-19.csv');

/** Parses the CSV text; throws INVALID_INPUT when the header lacks sdn_primary_name. Deterministic: entities by key. */
export function parseSdnNames(text: string, fileName: string): SdnNameIndex {
  let rows: Record<string, string>[];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (err) {
    throw invalidInput(`expected the OFAC SDN CSV, got text that is not CSV: ${(err as Error).message}`, { file: fileName });
  }
  if (rows.length > 0 && !('sdn_primary_name' in rows[0]!)) {
    throw invalidInput(`expected the OFAC SDN CSV with a sdn_primary_name column, got columns ${Object.keys(rows[0]!).join(',')}`, { file: fileName });
  }
  const byKey = new Map<string, SdnEntity>();
  for (const row of rows) {
    const primaryName = (row.sdn_primary_name ?? '').trim();
    if (primaryName === '') continue;
    const profile = (row.sdn_profile_id ?? '').trim();
    const key = profile !== '' ? profile : `name:${primaryName}`;
    let e = byKey.get(key);
    if (!e) {
      e = { key, sdnProfileId: profile || null, primaryName, akas: [], partyType: (row.party_type ?? '').trim() || null, programs: [] };
      byKey.set(key, e);
    }
    for (const aka of (row.akas_first5 ?? '').split('|').map((s) => s.trim())) if (aka !== '' && !e.akas.includes(aka)) e.akas.push(aka);
    for (const p of (row.programs ?? '').split(';').map((s) => s.trim())) if (p !== '' && !e.programs.includes(p)) e.programs.push(p);
  }
  const entities = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return buildSdnIndex(path.basename(fileName), entities);
}

/** Builds the index from entities (tests build small ones by hand). */
export function buildSdnIndex(list: string, entities: SdnEntity[]): SdnNameIndex {
  const names: SdnNameIndex['names'] = [];
  for (const entity of entities) {
    // OFAC writes individuals surname first ("KHOROSHEV Dmitry Yuryevich").
    const surnameFirst = entity.partyType === 'Individual';
    names.push({ entity, name: entity.primaryName, prepared: prepareName(entity.primaryName, { surnameFirst }), primary: true });
    for (const aka of entity.akas) names.push({ entity, name: aka, prepared: prepareName(aka, { surnameFirst }), primary: false });
  }
  return { list, entities, names };
}

export async function loadSdnNames(file: string = DEFAULT_SDN_FILE): Promise<SdnNameIndex> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw invalidInput(`cannot read the SDN list: ${(err as Error).message}`, { file });
  }
  return parseSdnNames(text, file);
}

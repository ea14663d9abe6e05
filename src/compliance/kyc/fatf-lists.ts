/**
 * The FATF lists as data (src/compliance/data/fatf-lists.json, with its as-of date): the "black list"
 * (high-risk jurisdictions subject to a call for action) and the "grey list" (jurisdictions under increased
 * monitoring). The jurisdiction factor of the risk matrix and the high-risk-jurisdiction monitoring rule
 * read them; nothing else is hard-coded.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../../errors.js';
import { parseIsoCountry } from './iso-countries.js';

export type FatfList = 'black' | 'grey';

export interface FatfLists {
  /** YYYY-MM-DD of the FATF publication. */
  asOf: string;
  source: string;
  black: ReadonlySet<string>;
  grey: ReadonlySet<string>;
}

export const DEFAULT_FATF_FILE = path.resolve(import.meta.dirname, '../data/fatf-lists.json');

/** Parses and checks the lists: ISO codes, an as-of date, no country on both lists. Throws INVALID_INPUT. */
export function parseFatfLists(json: unknown, file = 'fatf-lists.json'): FatfLists {
  const raw = json as { asOf?: unknown; source?: unknown; black?: { countries?: unknown }; grey?: { countries?: unknown } };
  if (!raw || typeof raw !== 'object' || typeof raw.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw.asOf)) {
    throw invalidInput('FATF lists: expected an object with "asOf" (YYYY-MM-DD), "black" and "grey"', { file });
  }
  const list = (name: FatfList): Set<string> => {
    const countries = raw[name]?.countries;
    if (!Array.isArray(countries)) throw invalidInput(`FATF lists: expected "${name}.countries" to be an array of ISO codes`, { file });
    return new Set(countries.map((c) => parseIsoCountry(String(c), `FATF ${name} list country`)));
  };
  const black = list('black');
  const grey = list('grey');
  const both = [...black].filter((c) => grey.has(c));
  if (both.length > 0) throw invalidInput(`FATF lists: ${both.join(', ')} on both the black and the grey list`, { file });
  return { asOf: raw.asOf, source: typeof raw.source === 'string' ? raw.source : '', black, grey };
}

export function loadFatfLists(file: string = DEFAULT_FATF_FILE): FatfLists {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw invalidInput(`cannot read the FATF lists: ${(err as Error).message}`, { file });
  }
  return parseFatfLists(json, file);
}

/** 'black', 'grey' or null for an ISO alpha-2 code. */
export function fatfListOf(lists: FatfLists, country: string): FatfList | null {
  if (lists.black.has(country)) return 'black';
  if (lists.grey.has(country)) return 'grey';
  return null;
}

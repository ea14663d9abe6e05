/**
 * OFAC SDN digital-currency addresses with their entities, as CSV with the header
 *   currency,address,sdn_primary_name,programs,sdn_profile_id,party_type,akas_first5
 * (derived from the SDN Advanced XML by brave-intl/ofac-sanctioned-digital-currency-addresses;
 * `programs` are separated by "; ", `akas_first5` by " | ").
 *
 * Each row becomes {category 'sanctioned', label `OFAC SDN: <name>`, actor <name>, source 'ofac-sdn',
 * confidence 100, detail {currency, programs, sdnProfileId, partyType, akas}}. An address listed for two
 * entities gets two labels; an exact repeat of a row is counted as a duplicate. Currencies map to chains
 * by `chainForCurrency`; the others are skipped with a count per reason.
 */
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { AriadneError, invalidInput } from '../../errors.js';
import { addressId } from '../../model/address.js';
import { chainForCurrency } from './currency-chain.js';
import { type LabelImport, LabelCollector, refuseEmptyImport } from './label-import.js';
import { OFAC_LABEL, OFAC_SOURCE } from './ofac-address-list.js';

const REQUIRED = ['currency', 'address', 'sdn_primary_name'] as const;

interface CsvRow {
  record: string[];
  info: { lines: number };
}

/**
 * Parses the CSV. Throws INVALID_INPUT when the text is not CSV with the required columns
 * (currency, address, sdn_primary_name), or when no row is valid but some are not. Row-level problems
 * are returned in `errors` with their line number. Deterministic; labels are in file order.
 */
export function parseOfacCsv(text: string, fileName: string): LabelImport {
  let rows: CsvRow[];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as CsvRow[];
  } catch (err) {
    throw invalidInput(`expected OFAC address CSV, got text that is not CSV: ${(err as Error).message}`, { file: fileName });
  }
  const header = rows[0]?.record.map((h) => h.toLowerCase()) ?? [];
  const col = (name: string): number => header.indexOf(name);
  const missing = REQUIRED.filter((name) => col(name) < 0);
  if (missing.length > 0) {
    throw invalidInput(
      `expected OFAC address CSV with columns ${REQUIRED.join(', ')}; missing ${missing.join(', ')} in header ${JSON.stringify(header.join(','))}`,
      { file: fileName },
    );
  }

  const list = path.basename(fileName);
  const out = new LabelCollector(OFAC_SOURCE);
  for (const { record, info } of rows.slice(1)) {
    const line = info.lines;
    const where = { file: fileName, line };
    const cell = (name: string): string => {
      const i = col(name);
      return i < 0 ? '' : (record[i] ?? '');
    };
    if (record.length < header.length) {
      out.error(invalidInput(`line ${line}: expected ${header.length} columns, got ${record.length}`, where));
      continue;
    }
    const currency = cell('currency').toUpperCase();
    const address = cell('address');
    const name = cell('sdn_primary_name');
    if (address === '') {
      out.error(invalidInput(`line ${line}: expected an address, got an empty cell`, where));
      continue;
    }
    const resolved = chainForCurrency(currency, address);
    if (!resolved.ok) {
      out.skip(resolved.reason);
      continue;
    }
    const profile = cell('sdn_profile_id');
    const partyType = cell('party_type');
    try {
      out.add({
        address: addressId(resolved.chain, address),
        category: 'sanctioned',
        label: name === '' ? OFAC_LABEL : `${OFAC_LABEL}: ${name}`,
        source: OFAC_SOURCE,
        confidence: 100,
        actor: name === '' ? null : name,
        detail: {
          currency,
          programs: splitList(cell('programs'), ';'),
          sdnProfileId: profile === '' ? null : profile,
          partyType: partyType === '' ? null : partyType,
          akas: splitList(cell('akas_first5'), '|'),
          list,
        },
      });
    } catch (err) {
      if (!(err instanceof AriadneError)) throw err;
      out.error(invalidInput(`line ${line}: ${err.message}`, where));
    }
  }
  return refuseEmptyImport(out.result(), { file: fileName });
}

function splitList(text: string, separator: string): string[] {
  return text
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

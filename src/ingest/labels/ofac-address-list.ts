/**
 * OFAC SDN digital-currency address lists, one address per line, one file per currency, named
 * `sanctioned_addresses_<CUR>.txt` (the format of 0xB10C/ofac-sanctioned-digital-currency-addresses,
 * extracted from the SDN list's "Digital Currency Address - <CUR>" features).
 *
 * Every address becomes a label {category 'sanctioned', label 'OFAC SDN', source 'ofac-sdn',
 * confidence 100}. The currency comes from the file name and maps to a chain by `chainForCurrency`.
 * Blank lines and `#` comments are ignored; an address is de-duplicated on its canonical id (so the same
 * EVM address in two letter cases counts once); an invalid line is reported with its line number and the
 * other lines still load.
 *
 * Each per-currency file is its own source, `ofac-sdn-list:<CUR>`, so that a newer XBT list replaces the
 * older XBT list only (and delists what it dropped) without touching the ETH list. The SDN CSV with entity
 * names is the separate source `ofac-sdn` (ofac-csv.ts).
 */
import path from 'node:path';
import { AriadneError, invalidInput } from '../../errors.js';
import { addressId } from '../../model/address.js';
import { chainForCurrency } from './currency-chain.js';
import { type LabelImport, LabelCollector, refuseEmptyImport } from './label-import.js';

export const OFAC_SOURCE = 'ofac-sdn';

/** The label source of one per-currency list: `ofac-sdn-list:XBT`. */
export const ofacListSource = (currency: string): string => `ofac-sdn-list:${currency}`;
export const OFAC_LABEL = 'OFAC SDN';

/** `sanctioned_addresses_XBT.txt` -> `XBT`, or null when the name does not follow that pattern. */
export function currencyFromOfacFileName(fileName: string): string | null {
  const m = /sanctioned_addresses_([A-Za-z0-9]+)\.[A-Za-z]+$/.exec(path.basename(fileName));
  return m ? m[1]!.toUpperCase() : null;
}

/**
 * Parses one list. `opts.currency` overrides the currency read from `fileName`. Throws INVALID_INPUT when
 * the currency cannot be told, or when no line is valid but some are not (see `refuseEmptyImport`).
 * Deterministic; labels are in file order.
 */
export function parseOfacAddressList(text: string, fileName: string, opts: { currency?: string } = {}): LabelImport {
  const file = path.basename(fileName);
  const currency = opts.currency?.toUpperCase() ?? currencyFromOfacFileName(fileName);
  if (currency === null) {
    throw invalidInput(`cannot tell the currency of OFAC list ${JSON.stringify(file)}: expected a name like sanctioned_addresses_XBT.txt`, { file: fileName });
  }
  const out = new LabelCollector(ofacListSource(currency));
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const entry = raw.replace(/^\uFEFF/, '').trim();
    if (entry === '' || entry.startsWith('#')) return;
    const where = { file: fileName, line: lineNo };
    if (/\s/.test(entry)) {
      out.error(invalidInput(`line ${lineNo}: expected one address per line, got ${JSON.stringify(entry)}`, where));
      return;
    }
    const resolved = chainForCurrency(currency, entry);
    if (!resolved.ok) {
      out.skip(resolved.reason);
      return;
    }
    try {
      out.add({
        address: addressId(resolved.chain, entry),
        category: 'sanctioned',
        label: OFAC_LABEL,
        source: ofacListSource(currency),
        confidence: 100,
        actor: null,
        detail: { currency, list: file },
      });
    } catch (err) {
      if (!(err instanceof AriadneError)) throw err;
      out.error(invalidInput(`line ${lineNo}: ${err.message}`, where));
    }
  });
  return refuseEmptyImport(out.result(), { file: fileName });
}

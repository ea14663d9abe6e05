import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseOfacCsv } from './ofac-csv.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const csvPath = path.resolve(repoRoot, '../shared/data/ofac/sdn-digital-currency-addresses-2025-11-19.csv');
const text = readFileSync(csvPath, 'utf8');

/** A small CSV line splitter for this test (double quotes, "" escapes), independent of csv-parse. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

const rows = text
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map(splitCsvLine)
  .map(([currency, address, name, programs, profile, party, akas]) => ({ currency: currency!, address: address!, name: name!, programs, profile, party, akas }));

describe('OFAC SDN CSV (real, 2025-11-19)', () => {
  const result = parseOfacCsv(text, csvPath);

  it('has the 761 rows and 79 entities of the data README', () => {
    expect(rows).toHaveLength(761);
    expect(new Set(rows.map((r) => r.profile)).size).toBe(79);
  });

  it('labels each (address, entity) pair of a modelled chain once, counted row by row', () => {
    // The mapping written out for this test: XBT -> btc; ETH -> eth; USDT/USDC: 0x -> eth, 1/3/bc1 -> btc;
    // ARB/BSC/ETC with 0x -> their EVM chain. Base58 is case-sensitive, hex is not.
    const chainOf = (cur: string, a: string): string | null => {
      if (cur === 'XBT') return /^(1|3|bc1)/.test(a) ? 'btc' : 'invalid';
      if (cur === 'ETH') return 'eth';
      if (cur === 'USDT' || cur === 'USDC') return a.startsWith('0x') ? 'eth' : /^(1|3|bc1)/.test(a) ? 'btc' : null;
      if (cur === 'ARB') return 'evm-42161';
      if (cur === 'BSC') return 'evm-56';
      if (cur === 'ETC') return 'evm-61';
      return null;
    };
    const expected = new Map<string, number>();
    const pairs = new Set<string>();
    let skippedCurrency = 0;
    let invalid = 0;
    for (const r of rows) {
      const chain = chainOf(r.currency, r.address);
      if (chain === null) skippedCurrency++;
      else if (chain === 'invalid') invalid++;
      else {
        const key = `${chain}:${r.address.startsWith('0x') ? r.address.toLowerCase() : r.address}|${r.name}`;
        if (!pairs.has(key)) expected.set(chain, (expected.get(chain) ?? 0) + 1);
        pairs.add(key);
      }
    }
    const got = new Map<string, number>();
    for (const l of result.labels) {
      const chain = l.address.slice(0, l.address.indexOf(':'));
      got.set(chain, (got.get(chain) ?? 0) + 1);
    }
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
    expect(result.labels).toHaveLength(pairs.size);
    // Every row is a label, a skip (other currency or repeated pair) or an error.
    const skipped = result.skipped.reduce((n, s) => n + s.count, 0);
    expect(result.labels.length + skipped + result.errors.length).toBe(761);
    expect(result.errors).toHaveLength(invalid);
    expect(result.skipped.filter((s) => !s.reason.startsWith('duplicate')).reduce((n, s) => n + s.count, 0)).toBe(skippedCurrency);
  });

  it('counts the rows of currencies we do not model per currency', () => {
    const perCurrency = (cur: string): number => rows.filter((r) => r.currency === cur).length;
    for (const cur of ['XMR', 'LTC', 'TRX', 'BCH', 'ZEC']) {
      expect(result.skipped).toContainEqual({ reason: `unsupported currency ${cur}`, count: perCurrency(cur) });
    }
    const tronUsdt = rows.filter((r) => r.currency === 'USDT' && r.address.startsWith('T')).length;
    expect(result.skipped).toContainEqual({ reason: 'USDT address on a ledger we do not model (e.g. Tron)', count: tronUsdt });
  });

  it('keeps the entity: quoted names, programs, profile id, party type and aliases', () => {
    const row = rows.find((r) => r.address === '0x19aa5fe80d33a56d56c78e82ea5e50e5d80b4dff')!;
    expect(row.name).toBe('SUEX OTC, S.R.O.');
    const label = result.labels.find((l) => l.address.toLowerCase() === 'eth:0x19aa5fe80d33a56d56c78e82ea5e50e5d80b4dff')!;
    expect(label).toMatchObject({
      category: 'sanctioned',
      label: 'OFAC SDN: SUEX OTC, S.R.O.',
      actor: 'SUEX OTC, S.R.O.',
      source: 'ofac-sdn',
      confidence: 100,
      detail: { currency: 'ETH', programs: ['CYBER2'], sdnProfileId: '33151', partyType: 'Entity', akas: ['Successful Exchange'] },
    });
  });

  it('gives an address listed for two entities two labels, and a repeated row one', () => {
    const shared = result.labels.filter((l) => l.address === 'btc:1H939dom7i4WDLCKyGbXUp3fs9CSTNRzgL');
    expect(shared.map((l) => l.actor).sort()).toEqual(['Khatibi Aghada Ahmad', 'Nikaeen Ravari Amir Hossein']);
    expect(result.labels.filter((l) => l.address === 'btc:3F6bbvS1krsc1qR8FsbTDfYQyvkMm3QvmR')).toHaveLength(1);
  });
});

describe('parseOfacCsv on small files', () => {
  const header = 'currency,address,sdn_primary_name,programs,sdn_profile_id,party_type,akas_first5';

  it('skips a row with an unknown currency and reports a bad address with its line', () => {
    const csv = [
      header,
      'XMR,4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge,Someone,CYBER2,1,Individual,',
      'XBT,1BoatSLRHtKNngkdXEeobR76b53LETtpyX,Bad Checksum,CYBER2,2,Entity,',
      'ETH,0x8589427373d6d84e98730d7795d8f6f8731fda16,"Tornado, Cash",CYBER2,3,Entity,TC | Tornado',
    ].join('\n');
    const r = parseOfacCsv(csv, 'small.csv');
    expect(r.skipped).toEqual([{ reason: 'unsupported currency XMR', count: 1 }]);
    expect(r.errors.map((e) => e.context.line)).toEqual([3]);
    expect(r.labels).toHaveLength(1);
    expect(r.labels[0]).toMatchObject({
      address: 'eth:0x8589427373D6D84E98730D7795D8f6f8731FDA16',
      label: 'OFAC SDN: Tornado, Cash',
      detail: { akas: ['TC', 'Tornado'], programs: ['CYBER2'] },
    });
  });

  it('refuses a CSV without the required columns', () => {
    expect(() => parseOfacCsv('cur,addr\nXBT,1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n', 'other.csv')).toThrow(/missing currency, address, sdn_primary_name/);
  });
});

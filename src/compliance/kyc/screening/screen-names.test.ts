/**
 * Sanctions name screening on the real SDN list (/work/shared/data/ofac, 2025-11-19): the list's own
 * aliases are the test data. Which alias belongs to which entity comes from the CSV, read here with
 * csv-parse, independently of the code under test.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSdnIndex, loadSdnNames, type SdnNameIndex } from './sdn-names.js';
import { DEFAULT_NAME_THRESHOLD, screenNames } from './screen-names.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const CSV = path.resolve(repoRoot, '../shared/data/ofac/sdn-digital-currency-addresses-2025-11-19.csv');

interface Row {
  sdn_primary_name: string;
  sdn_profile_id: string;
  party_type: string;
  akas_first5: string;
}
const rows = parse(readFileSync(CSV, 'utf8'), { columns: true, skip_empty_lines: true }) as Row[];
const profileOf = (primary: string): string => rows.find((r) => r.sdn_primary_name === primary)!.sdn_profile_id;
const akasOf = (primary: string): string[] =>
  [...new Set(rows.filter((r) => r.sdn_primary_name === primary).flatMap((r) => r.akas_first5.split('|').map((s) => s.trim())))].filter((s) => s !== '');

// Aliases of the list that are spelling / transliteration / word-split variants of the primary name.
const VARIANTS: [alias: string, primary: string][] = [
  ['Khoroshev Dmitriy Yurevich', 'Khoroshev Dmitry Yuryevich'],
  ['Khoroshev Dmitrii Yuryevich', 'Khoroshev Dmitry Yuryevich'],
  ['Polianin Evegnii Igorevich', 'Polyanin Yevgeniy Igorevich'],
  ['Polyanin Evgeniy Igorevich', 'Polyanin Yevgeniy Igorevich'],
  ['Polyanin Evgenii Igorevich', 'Polyanin Yevgeniy Igorevich'],
  ['Polyanin Evgeniy', 'Polyanin Yevgeniy Igorevich'],
  ['Gambachidze Ilya Andreievitch', 'Gambashidze Ilya Andreevich'],
  ['Zhdanova Yekaterina', 'Zhdanova Ekaterina Valeryevna'],
  ['Karasavidi Dmitriy', 'KARASAVIDI Dmitrii'],
  ['Kim Sangman', 'Kim Sang Man'],
  ['Nickaein Ravari Amir Hossein', 'Nikaeen Ravari Amir Hossein'],
  ["Nika'in Amir Hosein", 'Nikaeen Ravari Amir Hossein'],
  ['GHORBANIAN Mohammad', 'GHORBANIYAN Mohammad'],
  ['Zimenkov Jonathan', 'Zimenkov Jonatan'],
  ['Zimenkov Natan Igorevich', 'Zimenkov Jonatan'],
  ['Mishin Aleksandr Igorvich', 'Mishin Alexander Igorevich'],
  ['Fayzimatov Faruk Furkatovich', 'FAYZIMATOV Farrukh Furkatovitch'],
  ['Peijnenburg Alex Adrianus Martin', 'Peijnenburg Alex Adrianus Martinus'],
  ['Kondratyev Ivan', 'Kondratiev Ivan Gennadievich'],
  ['Kondratev Ivan', 'Kondratiev Ivan Gennadievich'],
  ['Magomedov Murat', 'Magomedov Khadzhi Murat Dalgatovich'],
  ['al Gamal Saeed Ahmed Mohammed', "Al-Jamal Sa'id Ahmad Muhammad"],
  ['AL-LAW Tawfiq', "AL-LAW Tawfiq Muhammad Sa'id"],
  ['RAZA Mujtaba', 'RAZA Mujtaba Ali'],
  ['Garantex', 'GARANTEX EUROPE OU'],
];

// People and firms that are not on the list, including near misses: a shared given name or surname,
// a shared word of an entity name, a nickname alias that is a prefix ("Roma" / Roman).
const NEGATIVES = [
  'John Smith',
  'Maria Garcia',
  'Carol Demo',
  'Lazarus Long',
  'Wang Lei',
  'Kim Jong Un',
  'Ivan Petrov',
  'Alex Martin',
  'Dmitry Ivanov',
  'Emily Johnson',
  'Olga Semenova',
  'Ahmed Hassan',
  'Peter Hansen',
  'Roman Abramovich',
  'Garant Bank',
  'Hanna Fischer',
  'Elena Petrova',
  'Mohammed Ali',
  'Li Wei',
];

describe('SDN name screening on the list itself', () => {
  let full: SdnNameIndex;
  let primariesOnly: SdnNameIndex;
  beforeAll(async () => {
    full = await loadSdnNames(CSV);
    primariesOnly = buildSdnIndex(full.list, full.entities.map((e) => ({ ...e, akas: [] })));
  });

  it('reads one entity per SDN profile with its aliases', () => {
    expect(full.list).toBe('sdn-digital-currency-addresses-2025-11-19.csv');
    expect(full.entities.length).toBe(new Set(rows.map((r) => r.sdn_profile_id)).size);
    expect(full.entities.length).toBe(79); // README: 79 entities
    const lazarus = full.entities.find((e) => e.primaryName === 'Lazarus Group')!;
    expect(lazarus.akas).toEqual(akasOf('Lazarus Group'));
    expect(lazarus.sdnProfileId).toBe(profileOf('Lazarus Group'));
  });

  it('finds every alias of the list, exactly, on its own entity', () => {
    for (const e of full.entities) {
      for (const aka of akasOf(e.primaryName)) {
        const hits = screenNames(full, [{ name: aka, of: 'customer' }]);
        expect(hits.find((h) => h.sdnProfileId === e.sdnProfileId), `${aka} -> ${e.primaryName}`).toMatchObject({ score: 1 });
      }
    }
  });

  it("matches the list's transliteration and spelling aliases to the primary name alone", () => {
    for (const [alias, primary] of VARIANTS) {
      expect(akasOf(primary), `${alias} is an alias of ${primary} in the CSV`).toContain(alias);
      const hits = screenNames(primariesOnly, [{ name: alias, of: 'customer' }]);
      expect(hits[0], `${alias} -> ${primary}`).toMatchObject({ sdnProfileId: profileOf(primary), matchedName: primary });
      expect(hits[0]!.score).toBeGreaterThanOrEqual(DEFAULT_NAME_THRESHOLD);
    }
  });

  it('matches primary names reordered, in other case, with diacritics, and in Cyrillic', () => {
    const cases: [string, string][] = [
      ['Dmitry Yuryevich Khoroshev', 'Khoroshev Dmitry Yuryevich'],
      ['ekaterina valeryevna zhdanova', 'Zhdanova Ekaterina Valeryevna'],
      ['Ekatérina Valéryevna ŽDANOVA', 'Zhdanova Ekaterina Valeryevna'],
      ['Хорошев Дмитрий Юрьевич', 'Khoroshev Dmitry Yuryevich'],
      ['Роман Семенов', 'Semenov Roman'],
      ['Roman Semenov', 'Semenov Roman'],
      ['Suex OTC sro', 'SUEX OTC, S.R.O.'],
      ['lazarus group', 'Lazarus Group'],
    ];
    for (const [name, primary] of cases) {
      const hits = screenNames(primariesOnly, [{ name, of: 'customer' }]);
      expect(hits[0], `${name} -> ${primary}`).toMatchObject({ sdnProfileId: profileOf(primary) });
    }
  });

  it('does not match names that are not on the list (negative control)', () => {
    for (const name of NEGATIVES) {
      expect(screenNames(full, [{ name, of: 'customer' }]), name).toEqual([]);
    }
  });

  it('reports one hit per entity, the best-matching name, best first, and obeys the threshold', () => {
    const hits = screenNames(full, [{ name: 'Khoroshev Dmitry', of: 'customer' }]);
    expect(hits.map((h) => h.primaryName)).toEqual(['Khoroshev Dmitry Yuryevich']);
    // Best of primary (0.95: one word unpaired) and the alias "Khoroshev Dmitriy Yurevich" (0.95): the primary wins a tie.
    expect(hits[0]).toMatchObject({ matchedName: 'Khoroshev Dmitry Yuryevich', score: 0.95 });
    expect(screenNames(full, [{ name: 'Khoroshev Dmitry', of: 'customer' }], 0.96)).toEqual([]);
    expect(() => screenNames(full, [], 0)).toThrow(/threshold/);
  });
});

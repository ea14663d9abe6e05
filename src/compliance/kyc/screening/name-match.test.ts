import { describe, expect, it } from 'vitest';
import { compareNames, foldToken, nameSimilarity, nameTokens, prepareName } from './name-match.js';

describe('name tokens', () => {
  it('lower-cases, strips diacritics and apostrophes, breaks on punctuation, drops legal forms', () => {
    expect(nameTokens("AL-JAMAL Sa'id")).toEqual(['al', 'jamal', 'said']);
    expect(nameTokens('Ekatérina ŽDÁNOVA')).toEqual(['ekaterina', 'zdanova']);
    expect(nameTokens('SUEX OTC, S.R.O.')).toEqual(['suex', 'otc']);
    expect(nameTokens('Aeza Group LLC')).toEqual(['aeza', 'group']);
    expect(nameTokens('Straße Øresund')).toEqual(['strasse', 'oresund']);
  });

  it('transliterates Cyrillic (BGN/PCGN style)', () => {
    expect(nameTokens('Хорошев Дмитрий Юрьевич')).toEqual(['khoroshev', 'dmitriy', 'yurevich']);
  });

  it('keeps a name made only of legal-form words', () => {
    expect(nameTokens('Company Ltd')).toEqual(['company', 'ltd']);
  });

  it('folds transliteration variants to one spelling', () => {
    expect(foldToken('dmitriy')).toBe(foldToken('dmitry'));
    expect(foldToken('dmitrii')).toBe(foldToken('dmitry'));
    expect(foldToken('yuryevich')).toBe('iurevich');
    expect(foldToken('farrukh')).toBe('faruh');
    expect(foldToken('furkatovitch')).toBe(foldToken('furkatovich'));
  });
});

describe('name similarity', () => {
  it('ignores word order, case, diacritics and script', () => {
    const list = prepareName('Khoroshev Dmitry Yuryevich', { surnameFirst: true });
    for (const q of ['Dmitry Yuryevich Khoroshev', 'KHOROSHEV dmitry yuryevich', 'Хорошев Дмитрий Юрьевич', 'Dmítry Khoróshev Yuryevich']) {
      expect(nameSimilarity(prepareName(q), list)).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('joins split words ("Kim Sangman" / "Kim Sang Man") but not two-word names into one ("Garant Bank" / "Garantex")', () => {
    expect(compareNames('Kim Sangman', 'Kim Sang Man')).toBe(1);
    // garant/garantex: jaro (6/6 + 6/8 + 1)/3 = 0.9167, +0.4 x 0.0833 = 0.95; one word unpaired x 0.95; not the same word x 0.8 = 0.722.
    expect(compareNames('Garant Bank', 'Garantex')).toBeCloseTo(0.95 * 0.95 * 0.8, 3);
  });

  it('is symmetric', () => {
    expect(compareNames('Zhdanova Yekaterina', 'Zhdanova Ekaterina Valeryevna')).toBe(compareNames('Zhdanova Ekaterina Valeryevna', 'Zhdanova Yekaterina'));
  });

  it('penalizes each unpaired word by 0.05 and a missed surname of a surname-first list name by x 0.85', () => {
    // all pairs exact, one unpaired: 1 x 0.95
    expect(compareNames('Polyanin Yevgeniy', 'Polyanin Yevgeniy Igorevich')).toBeCloseTo(0.95, 10);
    // "Alex Martin" against a surname-first list name whose surname Peijnenburg stays unpaired:
    // pairs alex/alex = 1, martin/martinus = JW (jaro (6/6 + 6/8 + 1)/3 = 0.9167, +0.4 x 0.0833) = 0.95; mean 0.975,
    // two unpaired x 0.9, surname missed x 0.85 -> 0.7459
    const s = nameSimilarity(prepareName('Alex Martin'), prepareName('Peijnenburg Alex Adrianus Martinus', { surnameFirst: true }));
    expect(s).toBeCloseTo(0.975 * 0.9 * 0.85, 4);
  });

  it('is 0 when a name has no letters', () => {
    expect(compareNames('---', 'Zhang Wei')).toBe(0);
  });
});

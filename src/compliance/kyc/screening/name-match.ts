/**
 * Fuzzy person and entity name matching for sanctions screening, robust to word order, case, diacritics,
 * punctuation, Cyrillic script and common Latin transliteration variants (Dmitriy / Dmitry,
 * Yuryevich / Yurevich, Farrukh / Faruk, Sangman / Sang Man).
 *
 * Method (token-based Jaro-Winkler, in the family of Monge-Elkan token matching):
 * 1. normalize: Cyrillic transliterated (BGN/PCGN-style table below), Unicode NFKD with combining marks
 *    removed, lower case, apostrophes dropped, every other non-letter/digit a word break; legal-form
 *    words (llc, ltd, inc, ou, ...) dropped;
 * 2. token similarity = max(JW(a, b), JW(fold(a), fold(b))) where `fold` maps transliteration variants
 *    to one spelling (kh->h, y->i, doubled letters once, ...); a one-letter token matching the other's
 *    initial scores 0.85;
 * 3. the tokens of the two names are paired greedily by descending similarity (each token used once), in
 *    any order; score = mean similarity of the pairs, times (1 - 0.05 per token left unpaired, at most
 *    0.2), times 0.85 when the surname of a surname-first list name (OFAC individuals) is left unpaired,
 *    times 0.8 when a one-word name pairs with a word of a longer name that is not the same word;
 * 4. each name is also tried with two adjacent tokens joined, and the best score is kept.
 * Deterministic and symmetric. A score is in [0, 1]; screening compares it with a configurable threshold.
 *
 * [Reference]: Monge, A. and Elkan, C., "The field matching problem", KDD 1996; Winkler 1990 (jaro-winkler.ts);
 * Cohen, Ravikumar, Fienberg, "A Comparison of String Distance Metrics for Name-Matching Tasks", IIWeb 2003.
 */
import { jaroWinkler } from './jaro-winkler.js';

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', і: 'i', ї: 'yi', є: 'ye', ґ: 'g', ў: 'u',
};

// Letters NFKD does not decompose.
const LATIN_EXTRA: Record<string, string> = { ß: 'ss', æ: 'ae', ø: 'o', đ: 'd', ł: 'l', ı: 'i', œ: 'oe', þ: 'th', ð: 'd', ħ: 'h' };

/** Legal-form words that say nothing about who an entity is. */
/** Score factor per token of the longer name left unpaired (at most 0.2 in all). */
export const UNPAIRED_PENALTY = 0.05;
/** Score factor when a surname-first name's surname is left unpaired. */
export const SURNAME_MISSED_FACTOR = 0.85;
/** Score factor when a one-word name pairs with a word of a longer name that it does not equal. */
export const SINGLE_WORD_FACTOR = 0.8;

const LEGAL_FORMS = new Set(['llc', 'ltd', 'limited', 'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'ou', 'sro', 'gmbh', 'ag', 'sa', 'plc', 'ooo', 'oao', 'zao', 'pjsc', 'jsc', 'bv', 'nv', 'srl', 'spa']);

/** Lower-case ASCII-ish tokens of a name (step 1). */
export function nameTokens(name: string): string[] {
  let s = name.toLowerCase();
  s = [...s].map((ch) => CYRILLIC[ch] ?? LATIN_EXTRA[ch] ?? ch).join('');
  s = s.normalize('NFKD').replace(/\p{M}/gu, '');
  s = s.replace(/['’ʼ`´‘]/g, '');
  const split = s.split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '');
  // "S.R.O." arrives as s, r, o: a run of single letters that spells a legal form is one word.
  const tokens: string[] = [];
  for (let i = 0; i < split.length; i++) {
    let j = i;
    while (j < split.length && split[j]!.length === 1) j++;
    const run = split.slice(i, j).join('');
    if (j - i >= 2 && LEGAL_FORMS.has(run)) {
      tokens.push(run);
      i = j - 1;
    } else tokens.push(split[i]!);
  }
  const kept = tokens.filter((t) => !LEGAL_FORMS.has(t));
  return kept.length > 0 ? kept : tokens;
}

/** Maps transliteration variants to one spelling (step 2). */
export function foldToken(token: string): string {
  return token
    .replace(/shch/g, 'sh')
    .replace(/dzh|dj/g, 'j')
    .replace(/tch/g, 'ch')
    .replace(/kh/g, 'h')
    .replace(/ph/g, 'f')
    .replace(/ck|q|c(?![h])/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/w/g, 'v')
    .replace(/ou/g, 'u')
    .replace(/ye/g, 'e')
    .replace(/yu/g, 'iu')
    .replace(/ya/g, 'ia')
    .replace(/iy|yi|ij|ii|y/g, 'i')
    .replace(/ie/g, 'e')
    .replace(/([a-z])\1+/g, '$1');
}

interface TokenList {
  tokens: string[];
  folded: string[];
  /** True for the variant with one adjacent pair joined. */
  joined: boolean;
}

export interface PreparedName {
  text: string;
  /** The name is written surname first (OFAC individuals: "KHOROSHEV Dmitry Yuryevich"): token 0 is the surname. */
  surnameFirst: boolean;
  /** Token lists to compare: the tokens, and the tokens with one adjacent pair joined. */
  variants: TokenList[];
}

/** Prepares a name once for many comparisons. `surnameFirst` for list names of individuals. */
export function prepareName(name: string, options: { surnameFirst?: boolean } = {}): PreparedName {
  const tokens = nameTokens(name);
  const lists: TokenList[] = [{ tokens, folded: tokens.map(foldToken), joined: false }];
  // Joining two words of a two-word name leaves one word: that is a prefix game ("Garant Bank" / "Garantex"), not a split word.
  if (tokens.length >= 3 && tokens.length <= 6) {
    for (let i = 0; i + 1 < tokens.length; i++) {
      const t = [...tokens.slice(0, i), tokens[i]! + tokens[i + 1]!, ...tokens.slice(i + 2)];
      lists.push({ tokens: t, folded: t.map(foldToken), joined: true });
    }
  }
  return { text: name, surnameFirst: options.surnameFirst === true, variants: lists };
}

function tokenSimilarity(a: string, fa: string, b: string, fb: string): number {
  if (a === b) return 1;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 0.85 : 0;
  return Math.max(jaroWinkler(a, b), jaroWinkler(fa, fb));
}

function scoreTokens(q: TokenList, c: TokenList, qSurname: boolean, cSurname: boolean): number {
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < q.tokens.length; i++) {
    for (let j = 0; j < c.tokens.length; j++) pairs.push([tokenSimilarity(q.tokens[i]!, q.folded[i]!, c.tokens[j]!, c.folded[j]!), i, j]);
  }
  pairs.sort((x, y) => y[0] - x[0] || x[1] - y[1] || x[2] - y[2]);
  const usedQ = new Set<number>();
  const usedC = new Set<number>();
  let sum = 0;
  for (const [s, i, j] of pairs) {
    if (usedQ.has(i) || usedC.has(j)) continue;
    usedQ.add(i);
    usedC.add(j);
    sum += s;
  }
  const k = Math.min(q.tokens.length, c.tokens.length);
  if (k === 0) return 0;
  const unpaired = Math.max(q.tokens.length, c.tokens.length) - k;
  // A name that leaves the other's surname unpaired names someone else more often than not.
  const surnameMissed = (qSurname && !usedQ.has(0)) || (cSurname && !usedC.has(0));
  // One word against several ("Roma" against "Roman Abramovich") is evidence only when that word is there exactly.
  const looseSingle = k === 1 && unpaired > 0 && sum < 1;
  return (sum / k) * (1 - Math.min(0.2, UNPAIRED_PENALTY * unpaired)) * (surnameMissed ? SURNAME_MISSED_FACTOR : 1) * (looseSingle ? SINGLE_WORD_FACTOR : 1);
}

/**
 * Similarity of two prepared names in [0, 1] (steps 3-4). Deterministic, symmetric. A joined variant is
 * compared only with the other name's plain tokens, and only when the token counts then agree
 * ("Kim Sangman" with "Kim Sang Man"): joining is for split words, not for prefix games.
 */
export function nameSimilarity(a: PreparedName, b: PreparedName): number {
  let best = 0;
  for (const va of a.variants) {
    for (const vb of b.variants) {
      if (va.joined && vb.joined) continue;
      if ((va.joined || vb.joined) && va.tokens.length !== vb.tokens.length) continue;
      best = Math.max(best, scoreTokens(va, vb, a.surnameFirst, b.surnameFirst));
    }
  }
  return best;
}

/** Convenience for one-off comparisons. */
export function compareNames(a: string, b: string): number {
  return nameSimilarity(prepareName(a), prepareName(b));
}

/**
 * Jaro and Jaro-Winkler string similarity, in [0, 1] (1 = identical).
 *
 * Jaro: characters match when equal and no further apart than floor(max(|a|, |b|) / 2) - 1; with m matches
 * and t half-transpositions, jaro = (m/|a| + m/|b| + (m - t)/m) / 3. Winkler adds a bonus for a common
 * prefix of length l <= 4: jw = jaro + l * 0.1 * (1 - jaro), applied when jaro > 0.7 (the boost threshold).
 *
 * [Reference]: Winkler, W. E., "String Comparator Metrics and Enhanced Decision Rules in the Fellegi-Sunter
 * Model of Record Linkage", Proceedings of the Section on Survey Research Methods, ASA, 1990.
 * Compared by code unit: callers normalize (case, diacritics) first.
 */

export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(b.length - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      m++;
      break;
    }
  }
  if (m === 0) return 0;
  let transposed = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) transposed++;
    k++;
  }
  const t = transposed / 2;
  return (m / a.length + m / b.length + (m - t) / m) / 3;
}

export function jaroWinkler(a: string, b: string, options: { prefixScale?: number; boostThreshold?: number } = {}): number {
  const p = options.prefixScale ?? 0.1;
  const threshold = options.boostThreshold ?? 0.7;
  const j = jaro(a, b);
  if (j <= threshold) return j;
  let l = 0;
  while (l < 4 && l < a.length && l < b.length && a[l] === b[l]) l++;
  return j + l * p * (1 - j);
}

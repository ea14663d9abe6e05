/**
 * Screens names against the SDN name index: for each name, the list entities whose primary name or an alias
 * scores at or above the threshold (name-match.ts), best first, one hit per entity (its best-matching name).
 */
import { invalidInput } from '../../../errors.js';
import type { NameHit } from '../../../store/compliance-store.js';
import { nameSimilarity, prepareName } from './name-match.js';
import type { SdnNameIndex } from './sdn-names.js';

/** The default similarity threshold (config/monitoring-rules.json `screening.nameThreshold`). */
export const DEFAULT_NAME_THRESHOLD = 0.88;

export interface NameToScreen {
  name: string;
  /** 'customer' or 'owner:<index>'. */
  of: string;
}

/**
 * Hits of every name, ordered by score (descending), then SDN key, then screened name. Scores are rounded
 * to 4 decimals before the comparison with `threshold` (in (0, 1]). Deterministic. Cost: names x list names.
 */
export function screenNames(index: SdnNameIndex, names: readonly NameToScreen[], threshold = DEFAULT_NAME_THRESHOLD): NameHit[] {
  if (!(threshold > 0 && threshold <= 1)) throw invalidInput(`name threshold must be in (0, 1], got ${String(threshold)}`);
  const hits: NameHit[] = [];
  for (const { name, of } of names) {
    const q = prepareName(name);
    if (q.variants[0]!.tokens.length === 0) continue;
    const best = new Map<string, NameHit>();
    for (const candidate of index.names) {
      const score = Math.round(nameSimilarity(q, candidate.prepared) * 10_000) / 10_000;
      if (score < threshold) continue;
      const prev = best.get(candidate.entity.key);
      if (prev && (prev.score > score || (prev.score === score && prev.matchedName === candidate.entity.primaryName))) continue;
      best.set(candidate.entity.key, {
        screenedName: name,
        of,
        matchedName: candidate.name,
        primaryName: candidate.entity.primaryName,
        sdnProfileId: candidate.entity.sdnProfileId,
        partyType: candidate.entity.partyType,
        programs: candidate.entity.programs,
        score,
      });
    }
    hits.push(...best.values());
  }
  return hits.sort(
    (a, b) =>
      b.score - a.score ||
      (a.sdnProfileId ?? a.primaryName).localeCompare(b.sdnProfileId ?? b.primaryName) ||
      a.screenedName.localeCompare(b.screenedName),
  );
}

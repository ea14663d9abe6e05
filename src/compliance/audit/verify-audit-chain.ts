/**
 * Verifies the hash-chained audit trail: walks the entries from seq 1 and reports the first place where the
 * chain breaks, so that an edit or a deletion is named by its entry.
 *
 * An entry is good when (1) its seq is the previous seq + 1 (the first is 1), (2) its prevHash equals the
 * previous entry's stored hash (GENESIS_HASH for the first), and (3) its stored hash equals
 * auditEntryHash(entry). After the walk, the last entry must be the recorded head. So:
 * - an edited entry fails (3) at that entry (unless its hash was recomputed too, in which case the NEXT
 *   entry fails (2): the report names the edited entry as the one whose hash no longer links);
 * - a deleted entry leaves a gap: (1) fails at the entry after it, and the report names the missing seq;
 * - a deleted last entry leaves the walk short of the recorded head.
 * The method is the one of a hash chain / Merkle-Damgard log (Schneier & Kelsey, "Secure Audit Logs to
 * Support Computer Forensics", ACM TISSEC 1999), without the MAC keys.
 */
import { GENESIS_HASH, auditEntryHash, type AuditEntry, type ComplianceStore } from '../../store/compliance-store.js';

export type AuditBreak =
  /** The stored hash is not the hash of the entry's content: the entry was edited. */
  | 'edited'
  /** prevHash does not match the previous entry's hash: the previous entry was edited and re-hashed, or replaced. */
  | 'broken-link'
  /** One or more entries are missing before this one. */
  | 'gap'
  /** The trail ends before the recorded head: its last entries were deleted. */
  | 'truncated';

export interface AuditVerification {
  ok: boolean;
  /** Entries read. */
  entries: number;
  /** The last good seq (0 when the first entry is bad). */
  lastGoodSeq: number;
  /** The seq where the chain breaks: the edited entry, or the first missing seq. */
  badSeq?: number;
  problem?: AuditBreak;
  /** Hash of the last entry when the trail is intact: an anchor to keep outside the store. */
  headHash?: string;
  message: string;
}

/**
 * Walks the whole trail in pages of `pageSize` (default 1,000). Deterministic; reads the store only.
 * Cost: one read per page; memory: one page.
 */
export async function verifyAuditChain(store: Pick<ComplianceStore, 'readAudit' | 'auditHead'>, options: { pageSize?: number } = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 1000;
  let prev: AuditEntry | null = null;
  let entries = 0;
  const fail = (badSeq: number, problem: AuditBreak, message: string): AuditVerification => ({
    ok: false,
    entries,
    lastGoodSeq: prev?.seq ?? 0,
    badSeq,
    problem,
    message,
  });
  for (let fromSeq = 1; ; ) {
    const page = await store.readAudit({ fromSeq, limit: pageSize });
    for (const entry of page) {
      entries++;
      const expectedSeq = (prev?.seq ?? 0) + 1;
      if (entry.seq !== expectedSeq) {
        const missing = entry.seq - expectedSeq;
        return fail(expectedSeq, 'gap', `audit entry ${expectedSeq} is missing${missing > 1 ? ` (entries ${expectedSeq}..${entry.seq - 1})` : ''}: the next entry present is ${entry.seq}`);
      }
      const { hash, ...content } = entry;
      if (auditEntryHash(content) !== hash) {
        return fail(entry.seq, 'edited', `audit entry ${entry.seq} was edited: its content no longer hashes to its stored hash`);
      }
      const expectedPrev = prev?.hash ?? GENESIS_HASH;
      if (entry.prevHash !== expectedPrev) {
        // This entry is intact; the one before was rewritten (content and hash) or replaced.
        return { ...fail(entry.seq - 1, 'broken-link', `audit entry ${entry.seq - 1} was rewritten: entry ${entry.seq} links to a different hash`), lastGoodSeq: entry.seq - 2 };
      }
      prev = entry;
    }
    if (page.length < pageSize) break;
    fromSeq = page[page.length - 1]!.seq + 1;
  }
  const head = await store.auditHead();
  const lastSeq = prev?.seq ?? 0;
  if (head && head.seq > lastSeq) {
    return fail(lastSeq + 1, 'truncated', `audit entry ${lastSeq + 1} is missing: the trail ends at ${lastSeq} but the recorded head is entry ${head.seq}`);
  }
  if (head && prev && head.hash !== prev.hash) {
    return { ...fail(prev.seq, 'edited', `audit entry ${prev.seq} does not match the recorded head hash`), lastGoodSeq: prev.seq - 1 };
  }
  if (!head && prev) {
    return fail(1, 'truncated', `the recorded head is missing but the trail holds ${entries} entries`);
  }
  return {
    ok: true,
    entries,
    lastGoodSeq: lastSeq,
    ...(prev ? { headHash: prev.hash } : {}),
    message: `audit trail intact: ${entries} entries${prev ? `, head ${lastSeq} ${prev.hash} (keep it elsewhere to detect a rewrite of the whole tail)` : ''}`,
  };
}

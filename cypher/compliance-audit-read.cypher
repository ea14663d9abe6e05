// readAudit (no subject): entries with seq >= $fromSeq, ascending, at most $limit.
// $params: $fromSeq, $limit
MATCH (e:AuditEntry)
WHERE e.seq >= $fromSeq
RETURN e {.seq, .at, .actor, .action, .subject, .details, .prevHash, .hash} AS entry
ORDER BY e.seq
LIMIT $limit

// readAudit (with a subject): the entries of one subject with seq >= $fromSeq, ascending, at most $limit.
// $params: $subject, $fromSeq, $limit
MATCH (e:AuditEntry)
WHERE e.subject = $subject AND e.seq >= $fromSeq
RETURN e {.seq, .at, .actor, .action, .subject, .details, .prevHash, .hash} AS entry
ORDER BY e.seq
LIMIT $limit

// auditHead: the last appended seq and hash; no row before the first entry.
// $params: none
MATCH (h:AuditHead {id: 'audit'})
WHERE h.seq > 0
RETURN h.seq AS seq, h.hash AS hash

// createCustomers, updateCustomers, readCustomers, listCustomers, openEddTasks, updateEddTasks, createAlerts, updateAlerts, createReports, updateReports, readReports, appendAudit (last query):
// appends the audit entries the caller built and hashed (auditEntryHash), under compliance-audit-lock, and
// moves the head to the last of them. Entries are never updated or deleted by the store.
// $params: $entries (list of {seq, at, actor, action, subject, details (canonical JSON text), prevHash, hash}), $seq, $hash
MATCH (h:AuditHead {id: 'audit'})
SET h.seq = $seq, h.hash = $hash
WITH h
UNWIND $entries AS e
CREATE (x:AuditEntry)
SET x = e

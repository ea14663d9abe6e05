// forStore (schema): run statement by statement at every start; idempotent (IF NOT EXISTS).
// $params: none
// Community Edition features only. Uniqueness the compliance port relies on is enforced twice: by the store,
// which checks under the audit head lock (every compliance write holds it), and by these constraints, so that
// a writer that bypassed the store still cannot store two customers with one id or two alerts with one
// dedupKey. "One OPEN EDD task per customer" needs a partial unique index, which Neo4j does not have: the
// store keeps it under the lock.
CREATE CONSTRAINT compliance_customer_id IF NOT EXISTS FOR (c:Customer) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT compliance_edd_task_id IF NOT EXISTS FOR (t:EddTask) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT compliance_alert_id IF NOT EXISTS FOR (a:Alert) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT compliance_alert_dedup_key IF NOT EXISTS FOR (a:Alert) REQUIRE a.dedupKey IS UNIQUE;
CREATE CONSTRAINT compliance_report_id IF NOT EXISTS FOR (r:Report) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT compliance_audit_entry_seq IF NOT EXISTS FOR (e:AuditEntry) REQUIRE e.seq IS UNIQUE;
CREATE CONSTRAINT compliance_audit_head_id IF NOT EXISTS FOR (h:AuditHead) REQUIRE h.id IS UNIQUE;
CREATE CONSTRAINT compliance_meta_name IF NOT EXISTS FOR (m:ComplianceMeta) REQUIRE m.name IS UNIQUE;
// Addresses and transactions the graph has not seen yet (replaced by the graph's node when it arrives).
CREATE CONSTRAINT compliance_pending_address_id IF NOT EXISTS FOR (p:PendingAddress) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT compliance_pending_transaction_id IF NOT EXISTS FOR (p:PendingTransaction) REQUIRE p.id IS UNIQUE;
// listCustomers filters.
CREATE INDEX compliance_customer_status IF NOT EXISTS FOR (c:Customer) ON (c.status);
CREATE INDEX compliance_customer_risk_level IF NOT EXISTS FOR (c:Customer) ON (c.riskLevel);
// openEddTasks ("does this customer have an OPEN task?"), findEddTasks.
CREATE INDEX compliance_edd_task_customer IF NOT EXISTS FOR (t:EddTask) ON (t.customerId, t.status);
CREATE INDEX compliance_edd_task_status IF NOT EXISTS FOR (t:EddTask) ON (t.status);
// findAlerts filters; createCustomers links a new customer to the alerts and reports naming it.
CREATE INDEX compliance_alert_customer IF NOT EXISTS FOR (a:Alert) ON (a.customerId);
CREATE INDEX compliance_alert_status IF NOT EXISTS FOR (a:Alert) ON (a.status, a.createdAt);
CREATE INDEX compliance_alert_rule IF NOT EXISTS FOR (a:Alert) ON (a.ruleId);
CREATE INDEX compliance_alert_assignee IF NOT EXISTS FOR (a:Alert) ON (a.assignee);
CREATE INDEX compliance_report_customer IF NOT EXISTS FOR (r:Report) ON (r.customerId);
// readAudit({subject}).
CREATE INDEX compliance_audit_entry_subject IF NOT EXISTS FOR (e:AuditEntry) ON (e.subject, e.seq);
// Indexes are built in the background: wait so that the first queries already use them.
CALL db.awaitIndexes(300);

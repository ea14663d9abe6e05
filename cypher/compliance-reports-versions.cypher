// createReports, updateReports (under the audit head lock): which of these reports exist, their version,
// kind and customer.
// $params: $ids
UNWIND $ids AS id
MATCH (r:Report {id: id})
RETURN r.id AS id, r.version AS version, r.kind AS kind, r.customerId AS customerId

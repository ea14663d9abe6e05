// openEddTasks, updateEddTasks (under the audit head lock): which of these tasks exist, their version,
// customer and status.
// $params: $ids
UNWIND $ids AS id
MATCH (t:EddTask {id: id})
RETURN t.id AS id, t.version AS version, t.customerId AS customerId, t.status AS status

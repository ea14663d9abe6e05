// createCustomers, updateCustomers, openEddTasks (under the audit head lock): which of these customers exist,
// and their stored version.
// $params: $ids
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN c.id AS id, c.version AS version

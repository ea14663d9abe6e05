// openEddTasks, updateEddTasks (under the audit head lock): the OPEN tasks of these customers.
// $params: $customerIds
UNWIND $customerIds AS customerId
MATCH (t:EddTask {customerId: customerId, status: 'OPEN'})
RETURN t.customerId AS customerId, t.id AS id, t.record AS record
ORDER BY t.id

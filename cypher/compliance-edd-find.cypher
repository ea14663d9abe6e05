// findEddTasks: tasks by customer and status (a null filter is no filter), by openedAt then id.
// $params: $customerId, $status
MATCH (t:EddTask)
WHERE ($customerId IS NULL OR t.customerId = $customerId)
  AND ($status IS NULL OR t.status = $status)
RETURN t.record AS record
ORDER BY t.openedAt, t.id

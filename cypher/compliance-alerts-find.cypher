// findAlerts: alerts filtered by status (any of a list), customer, rule and assignee (a null filter is no
// filter), newest first (createdAt, then id), offset paging.
// $params: $statuses, $customerId, $ruleId, $assignee, $offset, $limit
MATCH (a:Alert)
WHERE ($statuses IS NULL OR a.status IN $statuses)
  AND ($customerId IS NULL OR a.customerId = $customerId)
  AND ($ruleId IS NULL OR a.ruleId = $ruleId)
  AND ($assignee IS NULL OR a.assignee = $assignee)
RETURN a.record AS record
ORDER BY a.createdAt DESC, a.id DESC
SKIP $offset
LIMIT $limit

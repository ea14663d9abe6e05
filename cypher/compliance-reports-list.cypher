// listReports: reports filtered by kind, customer, status and covered alert (a null filter is no filter), by
// createdAt then id.
// $params: $kind, $customerId, $status, $alertId
MATCH (r:Report)
WHERE ($kind IS NULL OR r.kind = $kind)
  AND ($customerId IS NULL OR r.customerId = $customerId)
  AND ($status IS NULL OR r.status = $status)
  AND ($alertId IS NULL OR $alertId IN r.alertIds)
RETURN r.record AS record
ORDER BY r.createdAt, r.id

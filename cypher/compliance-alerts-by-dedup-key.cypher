// createAlerts (under the audit head lock): the stored alerts holding these dedup keys.
// $params: $keys
UNWIND $keys AS key
MATCH (a:Alert {dedupKey: key})
RETURN a.dedupKey AS dedupKey, a.record AS record

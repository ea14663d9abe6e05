// createAlerts, updateAlerts (under the audit head lock): which of these alerts exist, their version and
// dedup key.
// $params: $ids
UNWIND $ids AS id
MATCH (a:Alert {id: id})
RETURN a.id AS id, a.version AS version, a.dedupKey AS dedupKey

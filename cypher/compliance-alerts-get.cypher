// getAlerts: stored records.
// $params: $ids
UNWIND $ids AS id
MATCH (a:Alert {id: id})
RETURN a.id AS id, a.record AS record

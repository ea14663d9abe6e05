// readReports: stored records (under the audit head lock, the read entries go in the same transaction).
// $params: $ids
UNWIND $ids AS id
MATCH (r:Report {id: id})
RETURN r.id AS id, r.record AS record

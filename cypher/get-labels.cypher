// getLabels: active labels of each address, oldest first.
// $params: $ids
UNWIND $ids AS id
MATCH (:Address {id: id})-[:HAS_LABEL]->(l:Label)
WHERE l.removedAt IS NULL
RETURN id, l {.*} AS label
ORDER BY l.id

// labelHistory: every label ever recorded for one address, removed ones included, oldest first.
// $params: $address
MATCH (:Address {id: $address})-[:HAS_LABEL]->(l:Label)
RETURN l {.*} AS label
ORDER BY l.id

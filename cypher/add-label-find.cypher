// addLabel: the active label with the same address, category, label text, actor and source, if any.
// $params: $address, $category, $label, $actor, $source
MATCH (:Address {id: $address})-[:HAS_LABEL]->(l:Label)
WHERE l.removedAt IS NULL
  AND l.category = $category
  AND l.label = $label
  AND l.source = $source
  AND ((l.actor IS NULL AND $actor IS NULL) OR l.actor = $actor)
RETURN l {.*} AS label
ORDER BY l.id
LIMIT 1

// importLabels: the active labels of one source, oldest first.
// $params: $source
MATCH (l:Label {source: $source})
WHERE l.removedAt IS NULL
RETURN l {.*} AS label
ORDER BY l.id

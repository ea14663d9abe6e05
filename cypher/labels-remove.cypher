// importLabels, removeLabel: marks active labels removed (history is kept); returns the labels it changed.
// $params: $ids, $removedAt
UNWIND $ids AS id
MATCH (l:Label {id: id})
WHERE l.removedAt IS NULL
SET l.removedAt = $removedAt
RETURN l {.*} AS label

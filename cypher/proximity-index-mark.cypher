// Neo4jProximityIndex (label change): recomputes the flags of the given addresses from their active labels
// (bit 1: a target category, bit 2: a stop category), gives new targets distance 0 in every direction, and
// returns the flags before and after so that the caller can tell which distances may grow.
// $params: $ids, $categories, $stopCategories
UNWIND $ids AS id
MATCH (a:Address {id: id})
OPTIONAL MATCH (a)-[:HAS_LABEL]->(l:Label)
WHERE l.removedAt IS NULL
WITH a, collect(l.category) AS cats
WITH a, coalesce(a.proxFlags, 0) AS before,
     CASE WHEN any(c IN cats WHERE c IN $categories) THEN 1 ELSE 0 END + CASE WHEN any(c IN cats WHERE c IN $stopCategories) THEN 2 ELSE 0 END AS after
SET a.proxFlags = after,
    a.distOut = CASE WHEN after % 2 = 1 THEN 0 ELSE a.distOut END,
    a.distIn = CASE WHEN after % 2 = 1 THEN 0 ELSE a.distIn END,
    a.distBoth = CASE WHEN after % 2 = 1 THEN 0 ELSE a.distBoth END
RETURN a.id AS id, before, after, a.distOut AS out, a.distIn AS in, a.distBoth AS both

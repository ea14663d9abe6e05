// Neo4jProximityIndex (build, full recompute): flags every address with an active label of a target
// category (proxFlags bit 1) or of a stop category (bit 2); targets get distance 0 in every direction.
// Returns the flagged addresses.
// $params: $categories, $stopCategories
MATCH (l:Label)
WHERE l.removedAt IS NULL AND (l.category IN $categories OR l.category IN $stopCategories)
MATCH (a:Address)-[:HAS_LABEL]->(l)
WITH a, collect(l.category) AS cats
WITH a, CASE WHEN any(c IN cats WHERE c IN $categories) THEN 1 ELSE 0 END + CASE WHEN any(c IN cats WHERE c IN $stopCategories) THEN 2 ELSE 0 END AS flags
SET a.proxFlags = flags,
    a.distOut = CASE WHEN flags % 2 = 1 THEN 0 ELSE a.distOut END,
    a.distIn = CASE WHEN flags % 2 = 1 THEN 0 ELSE a.distIn END,
    a.distBoth = CASE WHEN flags % 2 = 1 THEN 0 ELSE a.distBoth END
RETURN a.id AS id, flags

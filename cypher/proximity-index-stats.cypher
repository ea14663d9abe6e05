// Neo4jProximityIndex.stats: flagged targets and stops, and addresses holding a distance per direction.
// $params: none
CALL () { MATCH (a:Address) WHERE a.proxFlags IN [1, 3] RETURN count(a) AS targets }
CALL () { MATCH (a:Address) WHERE a.proxFlags IN [2, 3] RETURN count(a) AS stops }
CALL () { MATCH (a:Address) WHERE a.distOut IS NOT NULL RETURN count(a) AS out }
CALL () { MATCH (a:Address) WHERE a.distIn IS NOT NULL RETURN count(a) AS in }
CALL () { MATCH (a:Address) WHERE a.distBoth IS NOT NULL RETURN count(a) AS both }
RETURN targets, stops, out, in, both

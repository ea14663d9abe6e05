// Neo4jProximityIndex (build, full recompute): forgets every stored distance and flag of the screening index.
// Auto-commit query (IN TRANSACTIONS): the index may cover every address.
// $params: none
MATCH (a:Address)
WHERE a.distOut IS NOT NULL OR a.distIn IS NOT NULL OR a.distBoth IS NOT NULL OR a.proxFlags IS NOT NULL
CALL (a) {
  REMOVE a.distOut, a.distIn, a.distBoth, a.proxFlags
} IN TRANSACTIONS OF 10000 ROWS

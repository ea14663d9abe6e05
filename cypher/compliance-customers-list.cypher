// listCustomers (under the audit head lock): summaries ordered by id, filtered; a null filter is no filter.
// addressCount counts the OWNS links (one per distinct address, pending or in the graph).
// $params: $status, $riskLevel, $after, $limit
MATCH (c:Customer)
WHERE ($status IS NULL OR c.status = $status)
  AND ($riskLevel IS NULL OR c.riskLevel = $riskLevel)
  AND ($after IS NULL OR c.id > $after)
RETURN c.id AS id, c.type AS type, c.status AS status, c.country AS country, c.riskLevel AS riskLevel,
  c.createdAt AS createdAt, COUNT { (c)-[:OWNS]->() } AS addressCount
ORDER BY c.id
LIMIT $limit

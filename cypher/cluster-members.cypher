// neo4jClusterMembers: the addresses whose written cluster id is $clusterId, in id order, one page.
// $params: $clusterId, $offset, $limit
MATCH (a:Address)
WHERE a.clusterId = $clusterId
RETURN a.id AS id
ORDER BY a.id
SKIP $offset
LIMIT $limit

// writeClusterIds: one page of the stored addresses in id order, after $after (null: from the first), with
// the cluster id written last time.
// $params: $after, $limit
MATCH (a:Address)
WHERE $after IS NULL OR a.id > $after
RETURN a.id AS id, a.clusterId AS clusterId
ORDER BY a.id
LIMIT $limit

// writeClusterIds: after a full write, deletes the :Cluster nodes it did not stamp (clusters merged away).
// $params: $stamp
MATCH (k:Cluster)
WHERE k.stamp IS NULL OR k.stamp <> $stamp
DETACH DELETE k
RETURN count(*) AS deleted

// writeClustersOf: deletes the :Cluster nodes of ids that are no longer cluster ids (merged into another).
// $params: $ids
UNWIND $ids AS id
MATCH (k:Cluster {id: id})
DETACH DELETE k
RETURN count(*) AS deleted

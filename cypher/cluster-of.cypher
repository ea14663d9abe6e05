// neo4jClusterOf: the written cluster id of each address and its cluster's size; addresses without an
// :Address node are absent, those without a cluster id have a null one.
// $params: $ids
UNWIND $ids AS id
MATCH (a:Address {id: id})
OPTIONAL MATCH (k:Cluster {id: a.clusterId})
RETURN a.id AS id, a.clusterId AS clusterId, k.size AS size

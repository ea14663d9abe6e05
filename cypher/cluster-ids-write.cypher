// writeClusterIds, writeClustersOf: sets Address.clusterId (null removes it: an address no fed transaction
// mentions) and upserts one :Cluster {id, size} per cluster, stamped with this write.
// $params: $members (list of {id, clusterId}), $clusters (list of {id, size}), $stamp
CALL () {
  UNWIND $members AS m
  MATCH (a:Address {id: m.id})
  SET a.clusterId = m.clusterId
}
CALL () {
  UNWIND $clusters AS c
  MERGE (k:Cluster {id: c.id})
  SET k.size = c.size, k.stamp = $stamp
}

// createReports, updateReports (under the audit head lock, after the store's checks): writes each report
// (one row per id, its final state in the batch), linked to its customer, (:Report)-[:ABOUT]->(:Customer),
// and to the stored alerts it covers, (:Report)-[:COVERS]->(:Alert). `alertIds` is also kept on the node:
// listReports filters on it, whether or not the alerts exist.
// $params: $reports (list of {id, props: {kind, status, customerId, alertIds, createdAt, version, record}})
UNWIND $reports AS row
MERGE (r:Report {id: row.id})
SET r += row.props
WITH r
CALL (r) {
  MATCH (r)-[x:ABOUT|COVERS]->()
  DELETE x
}
CALL (r) {
  MATCH (c:Customer {id: r.customerId})
  MERGE (r)-[:ABOUT]->(c)
}
CALL (r) {
  UNWIND r.alertIds AS alertId
  MATCH (a:Alert {id: alertId})
  MERGE (r)-[:COVERS]->(a)
}

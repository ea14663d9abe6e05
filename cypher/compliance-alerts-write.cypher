// createAlerts, updateAlerts (under the audit head lock, after the store's checks): writes each alert (one
// row per id, its final state in the batch) and links it to what its evidence names:
// (:Alert)-[:CONCERNS]->(:Address) and -[:CONCERNS]->(:Transaction) when the graph holds them, else
// -[:CONCERNS]->(:PendingAddress {id}) / (:PendingTransaction {id}) until the graph linker replaces them
// (compliance-graph-link); and (:Alert)-[:ABOUT]->(:Customer) when its customer exists (a customer created
// later links itself, compliance-customers-write). Old links are dropped first; a pending node nobody links
// to any more is deleted.
// $params: $alerts (list of {id, props: {dedupKey, ruleId, customerId, status, assignee, createdAt, version, record}, addresses, txIds})
UNWIND $alerts AS row
MERGE (a:Alert {id: row.id})
SET a += row.props
WITH a, row
CALL (a) {
  MATCH (a)-[r:CONCERNS|ABOUT]->(old)
  DELETE r
  RETURN collect(old) AS olds
}
CALL (a, row) {
  UNWIND row.addresses AS id
  OPTIONAL MATCH (x:Address {id: id})
  CALL (x, id) {
    WITH x WHERE x IS NOT NULL
    RETURN x AS target
    UNION
    WITH x, id WHERE x IS NULL
    MERGE (p:PendingAddress {id: id})
    RETURN p AS target
  }
  MERGE (a)-[:CONCERNS]->(target)
}
CALL (a, row) {
  UNWIND row.txIds AS id
  OPTIONAL MATCH (t:Transaction {id: id})
  CALL (t, id) {
    WITH t WHERE t IS NOT NULL
    RETURN t AS target
    UNION
    WITH t, id WHERE t IS NULL
    MERGE (p:PendingTransaction {id: id})
    RETURN p AS target
  }
  MERGE (a)-[:CONCERNS]->(target)
}
CALL (a) {
  MATCH (c:Customer {id: a.customerId})
  MERGE (a)-[:ABOUT]->(c)
}
CALL (olds) {
  UNWIND olds AS old
  WITH DISTINCT old
  WHERE (old:PendingAddress OR old:PendingTransaction) AND NOT EXISTS { (old)--() }
  DELETE old
}

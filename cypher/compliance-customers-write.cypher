// createCustomers, updateCustomers (under the audit head lock, after the store checked ids and versions):
// writes each customer (one row per id, its final state in the batch) and links it to its wallet addresses:
// (:Customer)-[:OWNS]->(:Address) when the graph knows the address, else -[:OWNS]->(:PendingAddress {id}),
// which the graph linker replaces by the :Address once a block or label brings it (compliance-graph-link).
// Old links are dropped first; a pending address nobody links to any more is deleted. Alerts and reports
// that name the customer are linked to it: (:Alert|:Report)-[:ABOUT]->(:Customer).
// $params: $customers (list of {id, props: {type, status, country, riskLevel, createdAt, updatedAt, version, record}, addresses})
UNWIND $customers AS row
MERGE (c:Customer {id: row.id})
SET c += row.props
WITH c, row
CALL (c) {
  MATCH (c)-[r:OWNS]->(old)
  DELETE r
  RETURN collect(old) AS olds
}
CALL (c, row) {
  UNWIND row.addresses AS id
  OPTIONAL MATCH (a:Address {id: id})
  CALL (a, id) {
    WITH a WHERE a IS NOT NULL
    RETURN a AS target
    UNION
    WITH a, id WHERE a IS NULL
    MERGE (p:PendingAddress {id: id})
    RETURN p AS target
  }
  MERGE (c)-[:OWNS]->(target)
}
CALL (olds) {
  UNWIND olds AS old
  WITH DISTINCT old
  WHERE old:PendingAddress AND NOT EXISTS { (old)--() }
  DELETE old
}
CALL (c) {
  MATCH (a:Alert {customerId: c.id})
  MERGE (a)-[:ABOUT]->(c)
}
CALL (c) {
  MATCH (r:Report {customerId: c.id})
  MERGE (r)-[:ABOUT]->(c)
}

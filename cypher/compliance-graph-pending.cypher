// linkToGraph, forStore: the pending addresses and transactions the graph now holds (written by another
// process, or while this one was not listening); compliance-graph-link then links them. Under the audit head
// lock.
// $params: none
CALL () {
  MATCH (p:PendingAddress)
  WHERE EXISTS { MATCH (:Address {id: p.id}) }
  RETURN collect(p.id) AS addresses
}
CALL () {
  MATCH (p:PendingTransaction)
  WHERE EXISTS { MATCH (:Transaction {id: p.id}) }
  RETURN collect(p.id) AS txIds
}
RETURN addresses, txIds

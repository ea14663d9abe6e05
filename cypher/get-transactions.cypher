// getTransactions: transactions with their inputs and outputs (the caller sorts them by index). `address` is
// null for an input or output at :NoAddress.
// $params: $ids
UNWIND $ids AS id
MATCH (t:Transaction {id: id})
CALL (t) {
  MATCH (x)-[r:INPUT]->(t)
  RETURN collect(r {.*, address: x.id}) AS inputs
}
CALL (t) {
  MATCH (t)-[r:OUTPUT]->(x)
  RETURN collect(r {.*, address: x.id}) AS outputs
}
RETURN t {.*} AS tx, inputs, outputs

// linkToGraph, forStore (also after each block or label write of this process): the graph linker, under the
// audit head lock, so that a compliance write that has just created a pending node is committed before this
// looks for it. Each :PendingAddress / :PendingTransaction whose id the graph now holds hands its OWNS and
// CONCERNS links over to the graph's :Address / :Transaction and is deleted. Ids without a pending node, or
// not in the graph yet, are skipped. Returns how many pending nodes were replaced.
// $params: $addresses, $txIds
CALL () {
  UNWIND $addresses AS id
  MATCH (p:PendingAddress {id: id})
  MATCH (a:Address {id: id})
  CALL (p, a) {
    MATCH (p)<-[:OWNS]-(c:Customer)
    MERGE (c)-[:OWNS]->(a)
  }
  CALL (p, a) {
    MATCH (p)<-[:CONCERNS]-(x:Alert)
    MERGE (x)-[:CONCERNS]->(a)
  }
  DETACH DELETE p
  RETURN count(*) AS addresses
}
CALL () {
  UNWIND $txIds AS id
  MATCH (p:PendingTransaction {id: id})
  MATCH (t:Transaction {id: id})
  CALL (p, t) {
    MATCH (p)<-[:CONCERNS]-(x:Alert)
    MERGE (x)-[:CONCERNS]->(t)
  }
  DETACH DELETE p
  RETURN count(*) AS transactions
}
RETURN addresses, transactions

// Neo4jProximityIndex (new block): the addresses whose edges the block may have added, with their stored
// distances: the addresses of its transactions, and those of stored transactions with an input that spends
// one of its outputs (an input of an earlier-written block resolved by this one).
// $params: $txIds
UNWIND $txIds AS id
MATCH (t:Transaction {id: id})
CALL (t) {
  MATCH (t)-[:INPUT|OUTPUT]-(a:Address)
  RETURN a
  UNION
  MATCH ()-[i:INPUT]->(s:Transaction)
  WHERE i.prevTxId = t.id
  MATCH (s)-[:INPUT|OUTPUT]-(a:Address)
  RETURN a
}
WITH DISTINCT a
RETURN a.id AS id, a.distOut AS out, a.distIn AS in, a.distBoth AS both

// writeBlock (4/11): stored transactions with inputs still waiting (value unknown) for an output of one of the
// block's transactions, with what the backfill needs: the waiting inputs, the unresolved count, the coinbase
// flag, and every input and output value (to compute the fee once the last input is known).
// $params: $txIds
UNWIND $txIds AS prevTxId
MATCH ()-[i:INPUT {prevTxId: prevTxId}]->(t:Transaction)
WHERE i.value IS NULL
WITH t, collect({index: i.index, prevTxId: i.prevTxId, prevVout: i.prevVout}) AS pending
CALL (t) {
  MATCH ()-[x:INPUT]->(t)
  RETURN collect({index: x.index, value: x.value}) AS inputs
}
CALL (t) {
  MATCH (t)-[o:OUTPUT]->()
  RETURN collect(o.value) AS outputs
}
RETURN t.id AS txId, t.unresolved AS unresolved, t.coinbase AS coinbase, pending, inputs, outputs

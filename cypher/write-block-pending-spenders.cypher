// writeBlocks (4/8): stored transactions with inputs still waiting (value unknown) for an output of one of
// the batch's new transactions, with what the backfill needs: the waiting inputs, the unresolved count, the
// coinbase flag, and every input and output value (to compute the fee once the last input is known).
// The index hint keeps the plan an index seek whatever the statistics were when it was planned (the first
// batch of a bulk load is planned on an empty store, and the plan stays cached while the store grows).
// $params: $txIds
UNWIND $txIds AS prevTxId
MATCH ()-[i:INPUT {prevTxId: prevTxId}]->(t:Transaction)
USING INDEX i:INPUT(prevTxId)
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

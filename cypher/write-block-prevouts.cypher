// writeBlock (3/11): the stored outputs spent by the block's inputs whose value or address is missing.
// `address` is null for an output without one (its OUTPUT ends at :NoAddress, which has no id).
// $params: $outpoints (list of {txId, vout})
UNWIND $outpoints AS op
MATCH (t:Transaction {id: op.txId})-[o:OUTPUT]->(x)
WHERE o.index = op.vout
RETURN op.txId AS txId, op.vout AS vout, x.id AS address, o.value AS value

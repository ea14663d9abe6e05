// writeBlocks (3/8): the stored outputs spent by the batch's inputs whose value or address is missing, one
// row per outpoint found, grouped by spent transaction (its outputs are expanded once).
// `address` is null for an output without one (its OUTPUT ends at :NoAddress, which has no id).
// $params: $outpoints (list of {txId, vouts})
UNWIND $outpoints AS op
MATCH (t:Transaction {id: op.txId})-[o:OUTPUT]->(x)
WHERE o.index IN op.vouts
RETURN op.txId AS txId, o.index AS vout, x.id AS address, o.value AS value

// writeBlocks (6/8): inputs stored before the batch and resolved by its outputs get the output's value and
// address. The relationship is recreated from the right source node (the address may change: the prevout
// wins over an address derived from the input script), keeping its other properties.
// $params: $backfills (list of {chain, txId, index, address, value, valueKey})
UNWIND $backfills AS b
MATCH (t:Transaction {id: b.txId})<-[i:INPUT]-()
WHERE i.index = b.index
MATCH (none:NoAddress {chain: b.chain})
OPTIONAL MATCH (a:Address {id: b.address})
WITH t, i, b, coalesce(a, none) AS source
CREATE (source)-[j:INPUT]->(t)
SET j = properties(i), j.value = b.value, j.valueKey = b.valueKey, j.addressSource = 'prevout'
DELETE i

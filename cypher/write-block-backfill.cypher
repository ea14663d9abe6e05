// writeBlock (9/11): stored inputs resolved by the block's outputs get the output's value and address. The
// relationship is recreated from the right source node (the address may change: the prevout wins over an
// address derived from the input script), keeping its other properties.
// $params: $chain, $backfills (list of {txId, index, address, value, valueKey})
MERGE (none:NoAddress {chain: $chain})
WITH none
UNWIND $backfills AS b
MATCH (t:Transaction {id: b.txId})<-[i:INPUT]-()
WHERE i.index = b.index
OPTIONAL MATCH (a:Address {id: b.address})
WITH t, i, b, coalesce(a, none) AS source
CREATE (source)-[j:INPUT]->(t)
SET j = properties(i), j.value = b.value, j.valueKey = b.valueKey, j.addressSource = 'prevout'
DELETE i

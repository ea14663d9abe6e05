// writeBlock (7/11): INPUT relationships of the new transactions, from their address, or from the chain's
// :NoAddress node when the address is not known.
// $params: $chain, $inputs (list of {txId, address, props: {index, value, valueKey, asset, prevTxId, prevVout, addressSource}})
MERGE (none:NoAddress {chain: $chain})
WITH none
UNWIND $inputs AS i
MATCH (t:Transaction {id: i.txId})
OPTIONAL MATCH (a:Address {id: i.address})
WITH t, i, coalesce(a, none) AS source
CREATE (source)-[r:INPUT]->(t)
SET r = i.props

// writeBlock (8/11): OUTPUT relationships of the new transactions, to their address, or to the chain's
// :NoAddress node for an output without one (OP_RETURN, bare multisig, non-standard).
// $params: $chain, $outputs (list of {txId, address, props: {index, value, valueKey, asset, scriptType, detail}})
MERGE (none:NoAddress {chain: $chain})
WITH none
UNWIND $outputs AS o
MATCH (t:Transaction {id: o.txId})
OPTIONAL MATCH (a:Address {id: o.address})
WITH t, o, coalesce(a, none) AS target
CREATE (t)-[r:OUTPUT]->(target)
SET r = o.props

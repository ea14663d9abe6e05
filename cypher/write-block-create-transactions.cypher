// writeBlock (6/11): the block's new transactions, linked to their block. MERGE on the id: a transaction is
// never stored twice (the caller already left out the stored ones, under the chain lock).
// $params: $chain, $hash, $txs (list of property maps: id, chain, hash, blockHash, height, time, position,
// coinbase, status, fee, nInputs, nOutputs, unresolved)
MATCH (b:Block {chain: $chain, hash: $hash})
UNWIND $txs AS tx
MERGE (t:Transaction {id: tx.id})
  ON CREATE SET t += tx
CREATE (b)-[:CONTAINS]->(t)

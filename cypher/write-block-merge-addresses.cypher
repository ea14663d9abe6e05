// writeBlock (5/11): the addresses the block's new transactions mention; the caller reads the number of
// nodes created as `newAddresses`.
// $params: $addresses (list of {id, chain})
UNWIND $addresses AS a
MERGE (x:Address {id: a.id})
  ON CREATE SET x.chain = a.chain

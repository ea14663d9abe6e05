// writeBlock (1/11): claims the block. Locks the chain's :ChainStats node, so that block writes of one chain
// run one at a time and the backfill below reads a stable state, then MERGEs the block on (chain, hash):
// `created` is false when the block is already stored, and the caller then writes nothing.
// $params: $chain, $hash, $height, $time, $txCount, $writtenAt
MERGE (c:ChainStats {chain: $chain})
  ON CREATE SET c.fees = '0'
// Writing a property takes the node's write lock, held until commit; c.fees is read after it, so it is current.
SET c._lock = true
REMOVE c._lock
MERGE (b:Block {chain: $chain, hash: $hash})
  ON CREATE SET b.height = $height, b.time = $time, b.txCount = $txCount, b.writtenAt = $writtenAt, b.claimed = true
WITH c, b, b.claimed IS NOT NULL AS created
REMOVE b.claimed
RETURN created, c.fees AS fees

// writeBlocks (1/8): claims the batch's blocks. Locks each chain's :ChainStats node, in the caller's sorted
// chain order (two batches never wait on each other crosswise), so that block writes of one chain run one at
// a time and the reads below see a stable state; creates each chain's :NoAddress node; MERGEs each block on
// (chain, hash): `created` names the blocks not stored before, the only ones the caller then writes.
// $params: $chains (sorted chain keys), $blocks (list of {chain, hash, height, time, txCount, writtenAt})
CALL () {
  UNWIND $chains AS chain
  MERGE (c:ChainStats {chain: chain})
    ON CREATE SET c.fees = '0'
  // Writing a property takes the node's write lock, held until commit; c.fees is read after it, so it is current.
  SET c._lock = true
  REMOVE c._lock
  MERGE (:NoAddress {chain: chain})
  RETURN collect({chain: chain, fees: c.fees}) AS fees
}
CALL () {
  UNWIND $blocks AS x
  MERGE (b:Block {chain: x.chain, hash: x.hash})
    ON CREATE SET b.height = x.height, b.time = x.time, b.txCount = x.txCount, b.writtenAt = x.writtenAt, b.claimed = true
  WITH b, b.claimed IS NOT NULL AS created
  REMOVE b.claimed
  RETURN collect(CASE WHEN created THEN {chain: b.chain, hash: b.hash} END) AS created
}
RETURN fees, created

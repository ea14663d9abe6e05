// writeBlock (11/11): the chain's running fee sum (decimal string; the caller adds with bigint).
// $params: $chain, $fees
MATCH (c:ChainStats {chain: $chain})
SET c.fees = $fees

// writeBlocks (8/8): each chain's running fee sum after the batch (decimal string; the caller adds with bigint).
// $params: $fees (list of {chain, fees})
UNWIND $fees AS f
MATCH (c:ChainStats {chain: f.chain})
SET c.fees = f.fees

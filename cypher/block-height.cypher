// blockHeight: height of a stored block.
// $params: $chain, $hash
MATCH (b:Block {chain: $chain, hash: $hash})
RETURN b.height AS height

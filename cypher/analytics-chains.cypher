// utxoChains (in-database analytics): the chains with stored blocks; the caller tells UTXO from account
// chains with chainInfo, so that the edge rule of every analytics query knows how to pair inputs and outputs.
// $params: none
MATCH (c:ChainStats)
RETURN c.chain AS chain

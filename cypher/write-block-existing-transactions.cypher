// writeBlocks (2/8): which of the batch's transactions are already stored (Bitcoin's duplicate coinbases,
// BIP30): they are kept once, under the block that brought them first.
// $params: $ids
UNWIND $ids AS id
MATCH (t:Transaction {id: id})
RETURN t.id AS id

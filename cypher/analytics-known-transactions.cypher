// neo4jDetectPeelChains, neo4jScanPeelChains (work accounting): which of the transaction ids are stored.
// $params: $ids
UNWIND $ids AS id
MATCH (t:Transaction {id: id})
RETURN t.id AS id

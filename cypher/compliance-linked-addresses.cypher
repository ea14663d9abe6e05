// linkedAddresses: per existing customer, the ids of the addresses it owns (possibly none). The caller sorts.
// $params: $ids
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN id, [(c)-[:OWNS]->(a) | a.id] AS addresses

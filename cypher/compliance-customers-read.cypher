// readCustomers: stored records (under the audit head lock, the read entries go in the same transaction).
// $params: $ids
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN c.id AS id, c.record AS record

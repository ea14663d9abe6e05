// linkedCustomers: per address id, the customers that own it (through the :Address or, before the graph
// saw it, the :PendingAddress); addresses without a customer give no row. The caller sorts the ids.
// $params: $addresses
UNWIND $addresses AS id
CALL (id) {
  MATCH (:Address {id: id})<-[:OWNS]-(c:Customer)
  RETURN c.id AS customer
  UNION
  MATCH (:PendingAddress {id: id})<-[:OWNS]-(c:Customer)
  RETURN c.id AS customer
}
RETURN id, collect(customer) AS customers

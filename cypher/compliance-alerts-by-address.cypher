// alertIdsByAddress: per address id, the alerts whose evidence names it (through the :Address or, before the
// graph saw it, the :PendingAddress); addresses without an alert give no row. The caller sorts the ids.
// $params: $addresses
UNWIND $addresses AS id
CALL (id) {
  MATCH (:Address {id: id})<-[:CONCERNS]-(a:Alert)
  RETURN a.id AS alert
  UNION
  MATCH (:PendingAddress {id: id})<-[:CONCERNS]-(a:Alert)
  RETURN a.id AS alert
}
RETURN id, collect(alert) AS alerts

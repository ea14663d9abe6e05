// alertIdsByTransaction: per transaction id, the alerts whose evidence names it (through the :Transaction
// or, before the graph saw it, the :PendingTransaction); transactions without an alert give no row. The
// caller sorts the ids.
// $params: $txIds
UNWIND $txIds AS id
CALL (id) {
  MATCH (:Transaction {id: id})<-[:CONCERNS]-(a:Alert)
  RETURN a.id AS alert
  UNION
  MATCH (:PendingTransaction {id: id})<-[:CONCERNS]-(a:Alert)
  RETURN a.id AS alert
}
RETURN id, collect(alert) AS alerts

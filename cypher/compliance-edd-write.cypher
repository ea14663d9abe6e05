// openEddTasks, updateEddTasks (under the audit head lock, after the store's checks): writes each task (one
// row per id, its final state in the batch), linked to its customer: (:EddTask)-[:ABOUT]->(:Customer).
// $params: $tasks (list of {id, props: {customerId, status, openedAt, version, record}})
UNWIND $tasks AS row
MERGE (t:EddTask {id: row.id})
SET t += row.props
WITH t
CALL (t) {
  MATCH (c:Customer {id: t.customerId})
  MERGE (t)-[:ABOUT]->(c)
}

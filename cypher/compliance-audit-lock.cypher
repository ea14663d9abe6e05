// createCustomers, updateCustomers, readCustomers, listCustomers, openEddTasks, updateEddTasks, createAlerts, updateAlerts, createReports, updateReports, readReports, appendAudit, linkToGraph (first query):
// locks the audit chain head, so that compliance writes and the graph linker run one at a time. Then seq
// has no gap, each entry links to the one before, and the store's checks (version compare-and-set, existing
// ids, dedup keys, one OPEN EDD task) read a state that nobody changes before this transaction commits.
// Returns the head: seq 0 and the genesis hash before the first entry (the node is created by the first
// write, and rolled back with it).
// $params: $genesis
MERGE (h:AuditHead {id: 'audit'})
  ON CREATE SET h.seq = 0, h.hash = $genesis
// Writing a property takes the node's write lock, held until commit; seq and hash are read after it, so they
// are the values the previous holder committed. `SET h.seq = h.seq` would lock too, but it writes back the
// value read BEFORE the lock was granted: the next read returns that stale value and the commit overwrites
// the newer one (a lost append). A throw-away property keeps seq and hash out of this transaction's state.
SET h._lock = true
REMOVE h._lock
RETURN h.seq AS seq, h.hash AS hash

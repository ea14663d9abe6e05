// writeBlocks (7/8): transactions stored before the batch whose inputs it backfilled: new unresolved count,
// and the fee once the last input is known (a null fee keeps the stored one).
// $params: $updates (list of {id, unresolved, fee})
UNWIND $updates AS u
MATCH (t:Transaction {id: u.id})
SET t.unresolved = u.unresolved, t.fee = coalesce(u.fee, t.fee)

// findTransactionsByHeight: ids of the transactions of one chain in [fromHeight, toHeight], in chain order.
// $params: $chain, $fromHeight, $toHeight
MATCH (t:Transaction)
// `position IS NOT NULL` (always true) lets the planner use the composite index on (chain, height, position),
// which needs a predicate on each of its properties.
WHERE t.chain = $chain AND t.height >= $fromHeight AND t.height <= $toHeight AND t.position IS NOT NULL
RETURN t.id AS id
ORDER BY t.height, t.position, t.id

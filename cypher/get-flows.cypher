// getFlows: the flows incident to each address in chain order (height, position in block, tx id, input before
// output, index), filtered. A null bound is no bound. The value bound compares `valueKey`, an order-preserving
// string form of the amount (amount-key.ts): amounts exceed Cypher's 64-bit integers.
// $params: $ids, $side ('input', 'output' or 'both'), $minHeight, $maxHeight, $minTime, $maxTime, $minValueKey
UNWIND $ids AS id
MATCH (a:Address {id: id})
CALL (a) {
  MATCH (a)-[r:INPUT|OUTPUT]-(t:Transaction)
  WITH r, t, CASE type(r) WHEN 'INPUT' THEN 0 ELSE 1 END AS side
  WHERE ($side = 'both' OR ($side = 'input' AND side = 0) OR ($side = 'output' AND side = 1))
    AND ($minHeight IS NULL OR t.height >= $minHeight)
    AND ($maxHeight IS NULL OR t.height <= $maxHeight)
    AND ($minTime IS NULL OR t.time >= $minTime)
    AND ($maxTime IS NULL OR t.time <= $maxTime)
    AND ($minValueKey IS NULL OR r.valueKey >= $minValueKey)
  WITH r, t, side
  ORDER BY t.height, t.position, t.id, side, r.index
  RETURN collect({txId: t.id, side: side, index: r.index, value: r.value, asset: r.asset, height: t.height, time: t.time}) AS flows
}
RETURN a.id AS id, flows

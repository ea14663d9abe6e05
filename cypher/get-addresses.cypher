// getAddresses: per address, its transactions in chain order (count, first, last) and, per asset and
// relationship type, the list of decimal values. The caller sums them with bigint: wei sums overflow
// Cypher's 64-bit integers and floats would round.
// $params: $ids
UNWIND $ids AS id
MATCH (a:Address {id: id})
CALL (a) {
  MATCH (a)-[:INPUT|OUTPUT]-(t:Transaction)
  WITH DISTINCT t
  ORDER BY t.height, t.position, t.id
  WITH collect(t {.height, .time}) AS txs
  RETURN size(txs) AS txCount, txs[0] AS first, txs[-1] AS last
}
CALL (a) {
  MATCH (a)-[r:INPUT|OUTPUT]-(:Transaction)
  WITH r.asset AS asset, type(r) AS type, collect(r.value) AS values
  RETURN collect({asset: asset, type: type, values: values}) AS totals
}
RETURN a.id AS id, txCount, first, last, totals

// neo4jHopDistance, Neo4jProximityIndex.screen: the proximity neighbours of each address (one level of the
// search; one layer of the path walk of a screening call), one hop away under exactly the rule of
// src/analytics/proximity/edges.ts (keep in step with proximity-index-level.cypher, which repeats it):
// - a hop is address -[INPUT]-> transaction -[OUTPUT]-> address; failed transactions have none;
// - UTXO chains pool the inputs: every input address to every output address of the transaction;
//   account chains pair INPUT index k with OUTPUT index k only;
// - the receiver must get at least minValue from the transaction (UTXO: the sum of its outputs; account:
//   the sum of its paired transfers from that sender); self-edges are left out.
// "At least minValue" is exact: when one output alone is at least minValue (valueKey order, amount-key.ts)
// it holds; otherwise every output is below minValue < 10^27 and their sum is taken in two 9-digit limbs,
// capped as soon as it reaches minValue, so no integer passes 2^63.
// Addresses without any neighbour are absent from the result.
// $params: $ids, $out (follow where the funds went), $in (where they came from), $utxoChains, $minKey (valueKey of minValue), $minHi, $minLo (minValue = minHi * 10^9 + minLo)
UNWIND $ids AS id
MATCH (x:Address {id: id})
CALL (x) {
  // out, UTXO: x pays into t; t pays y.
  MATCH (x)-[:INPUT]->(t:Transaction)
  WHERE $out AND t.chain IN $utxoChains AND t.status <> 'failed'
  WITH DISTINCT x, t
  MATCH (t)-[o:OUTPUT]->(y:Address)
  WHERE y <> x
  WITH y, t, max(o.valueKey) AS top, collect(o.value) AS values
  WITH y, CASE WHEN top >= $minKey THEN [$minHi, $minLo] ELSE reduce(s = [0, 0], v IN values |
      CASE WHEN s[0] > $minHi OR (s[0] = $minHi AND s[1] >= $minLo) THEN s
      ELSE [s[0] + CASE WHEN size(v) > 9 THEN toInteger(left(v, size(v) - 9)) ELSE 0 END + (s[1] + toInteger(right(v, 9))) / 1000000000,
            (s[1] + toInteger(right(v, 9))) % 1000000000] END) END AS s
  WHERE s[0] > $minHi OR (s[0] = $minHi AND s[1] >= $minLo)
  RETURN y
  UNION
  // out, account: x's transfer k in t goes to y.
  MATCH (x)-[i:INPUT]->(t:Transaction)-[o:OUTPUT]->(y:Address)
  WHERE $out AND NOT t.chain IN $utxoChains AND t.status <> 'failed' AND o.index = i.index AND y <> x
  WITH y, t, max(o.valueKey) AS top, collect(o.value) AS values
  WITH y, CASE WHEN top >= $minKey THEN [$minHi, $minLo] ELSE reduce(s = [0, 0], v IN values |
      CASE WHEN s[0] > $minHi OR (s[0] = $minHi AND s[1] >= $minLo) THEN s
      ELSE [s[0] + CASE WHEN size(v) > 9 THEN toInteger(left(v, size(v) - 9)) ELSE 0 END + (s[1] + toInteger(right(v, 9))) / 1000000000,
            (s[1] + toInteger(right(v, 9))) % 1000000000] END) END AS s
  WHERE s[0] > $minHi OR (s[0] = $minHi AND s[1] >= $minLo)
  RETURN y
  UNION
  // in, UTXO: t pays x at least minValue; every input address y of t.
  MATCH (t:Transaction)-[o:OUTPUT]->(x)
  WHERE $in AND t.chain IN $utxoChains AND t.status <> 'failed'
  WITH x, t, max(o.valueKey) AS top, collect(o.value) AS values
  WITH x, t, CASE WHEN top >= $minKey THEN [$minHi, $minLo] ELSE reduce(s = [0, 0], v IN values |
      CASE WHEN s[0] > $minHi OR (s[0] = $minHi AND s[1] >= $minLo) THEN s
      ELSE [s[0] + CASE WHEN size(v) > 9 THEN toInteger(left(v, size(v) - 9)) ELSE 0 END + (s[1] + toInteger(right(v, 9))) / 1000000000,
            (s[1] + toInteger(right(v, 9))) % 1000000000] END) END AS s
  WHERE s[0] > $minHi OR (s[0] = $minHi AND s[1] >= $minLo)
  MATCH (y:Address)-[:INPUT]->(t)
  WHERE y <> x
  RETURN DISTINCT y
  UNION
  // in, account: y's transfer k in t comes to x.
  MATCH (y:Address)-[i:INPUT]->(t:Transaction)-[o:OUTPUT]->(x)
  WHERE $in AND NOT t.chain IN $utxoChains AND t.status <> 'failed' AND o.index = i.index AND y <> x
  WITH y, t, max(o.valueKey) AS top, collect(o.value) AS values
  WITH y, CASE WHEN top >= $minKey THEN [$minHi, $minLo] ELSE reduce(s = [0, 0], v IN values |
      CASE WHEN s[0] > $minHi OR (s[0] = $minHi AND s[1] >= $minLo) THEN s
      ELSE [s[0] + CASE WHEN size(v) > 9 THEN toInteger(left(v, size(v) - 9)) ELSE 0 END + (s[1] + toInteger(right(v, 9))) / 1000000000,
            (s[1] + toInteger(right(v, 9))) % 1000000000] END) END AS s
  WHERE s[0] > $minHi OR (s[0] = $minHi AND s[1] >= $minLo)
  RETURN y
}
RETURN x.id AS id, collect(DISTINCT y.id) AS neighbours

// Neo4jProximityIndex: one level of the multi-source breadth-first search (build) or of a relaxation
// (updates). The frontier addresses hold distance $level in property $prop and can be passed through (a
// target, or not a stop: proxFlags <> 2); every address one hop BEFORE one of them in the search direction
// whose distance is unset or larger gets $level + 1, and is returned with its flags. "One hop before" is
// the edge rule of src/analytics/proximity/edges.ts in the reversed direction ($out/$in are given reversed),
// repeated from proximity-neighbours.cypher (keep the two in step).
// $params: $ids, $level, $prop ('distOut', 'distIn' or 'distBoth', chosen by the caller, never user text), $out, $in, $utxoChains, $minKey, $minHi, $minLo
UNWIND $ids AS id
MATCH (x:Address {id: id})
WHERE x[$prop] = $level AND coalesce(x.proxFlags, 0) <> 2
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
WITH DISTINCT y
WHERE y[$prop] IS NULL OR y[$prop] > $level + 1
SET y[$prop] = $level + 1
RETURN y.id AS id, coalesce(y.proxFlags, 0) AS flags

// neo4jDetectPeelChains, neo4jScanPeelChains: follows each peel chain forward from its first hop with a
// quantified path pattern whose every iteration is one hop: h is a hop whose change output ch goes to c, and
// c pays ch into n (the input names the outpoint h:ch.index), n at the same height or later. The longest
// path of at most $maxSteps iterations (and at most 100: a caller needing more continues from the last
// transaction) is kept. Returned per start: the transactions of the path in order (hops, then the last
// transaction, which spends the last change: it is a hop only when the chain goes on or its change is
// unspent), the change index followed at each hop, whether the last transaction is itself a hop, and for
// every transaction, per output to an address, the transactions that address pays into at the same height or
// later (the candidates a port walker reads to find the spender of a change output).
// The hop rule of src/analytics/peel-chain/peel-hop.ts, per transaction h and candidate change output ch
// (repeated in every peel-chain-*.cypher file; keep them in step): a UTXO chain, not a coinbase, 1 to
// $maxInputs inputs, exactly two outputs both paying an address, ch strictly the larger (valueKey order,
// amount-key.ts) and the peel ratio r = peel / (peel + change) in [$minPpm, $maxPpm] ppm, bounds included,
// compared exactly in 64-bit integers: with t = peel + change = th * 10^6 + tl,
//   peel * 10^6 >= min * t  <=>  peel >= min * th + ceil(min * tl / 10^6)
//   peel * 10^6 <= max * t  <=>  peel <= max * th + floor(max * tl / 10^6)
// so no product passes 5 * 10^5 * 2 * 10^12. UTXO amounts are satoshi (at most 2.1 * 10^15): toInteger is
// exact; a value of 19 digits or more would make the query fail loudly rather than compare wrongly.
// $params: $starts (tx ids), $maxSteps, $utxoChains, $maxInputs, $minPpm, $maxPpm
UNWIND $starts AS sid
MATCH (s:Transaction {id: sid})
CALL (s) {
  MATCH p = (s) ((h:Transaction)-[ch:OUTPUT]->(c:Address)-[i:INPUT]->(n:Transaction)
    WHERE i.prevTxId = h.id AND i.prevVout = ch.index AND n.height >= h.height AND n <> h
    AND h.chain IN $utxoChains AND NOT h.coinbase AND h.nInputs >= 1 AND h.nInputs <= $maxInputs AND h.nOutputs = 2
    AND COUNT { (h)-[:OUTPUT]->(:Address) } = 2
    AND any(pe IN [(h)-[q:OUTPUT]->(:Address) WHERE q.index <> ch.index | q] WHERE pe.valueKey < ch.valueKey
      AND any(pv IN [toInteger(pe.value)] WHERE any(tv IN [pv + toInteger(ch.value)] WHERE
        pv >= $minPpm * (tv / 1000000) + ($minPpm * (tv % 1000000) + 999999) / 1000000
        AND pv <= $maxPpm * (tv / 1000000) + ($maxPpm * (tv % 1000000)) / 1000000)))){0,100} (last:Transaction)
  WHERE length(p) <= 2 * $maxSteps
  RETURN p, last
  ORDER BY length(p) DESC, [x IN nodes(p) | x.id]
  LIMIT 1
}
WITH sid, p, last, [x IN nodes(p) WHERE x:Transaction] AS txs
RETURN sid,
  [x IN txs | x.id] AS txIds,
  [r IN relationships(p) WHERE type(r) = 'OUTPUT' | r.index] AS changes,
  any(ch IN [(last)-[o:OUTPUT]->(:Address) | o] WHERE last.chain IN $utxoChains AND NOT last.coinbase AND last.nInputs >= 1 AND last.nInputs <= $maxInputs AND last.nOutputs = 2
      AND COUNT { (last)-[:OUTPUT]->(:Address) } = 2
      AND any(pe IN [(last)-[q:OUTPUT]->(:Address) WHERE q.index <> ch.index | q] WHERE pe.valueKey < ch.valueKey
        AND any(pv IN [toInteger(pe.value)] WHERE any(tv IN [pv + toInteger(ch.value)] WHERE
          pv >= $minPpm * (tv / 1000000) + ($minPpm * (tv % 1000000) + 999999) / 1000000
          AND pv <= $maxPpm * (tv / 1000000) + ($maxPpm * (tv % 1000000)) / 1000000)))) AS lastIsHop,
  [x IN txs | [(x)-[o:OUTPUT]->(c:Address) | {index: o.index, spenders: [(c)-[:INPUT]->(y:Transaction) WHERE y.height >= x.height AND y <> x | y.id]}]] AS candidates

// neo4jDetectPeelChains (extendBackward): the peel chains that lead to each start, with a quantified path
// pattern read backward from the start: every iteration is a hop h whose change output ch is spent by an
// input of n (the input names the outpoint h:ch.index). Every path of 0 to 100 iterations is returned, with
// the index of the input taken at each step, so that the caller picks the predecessor as the port walker
// does (the first input, by index, that spends the change of a hop) and continues past 100 steps if needed.
// The hop rule of src/analytics/peel-chain/peel-hop.ts, per transaction h and candidate change output ch
// (repeated in every peel-chain-*.cypher file; keep them in step): a UTXO chain, not a coinbase, 1 to
// $maxInputs inputs, exactly two outputs both paying an address, ch strictly the larger (valueKey order,
// amount-key.ts) and the peel ratio r = peel / (peel + change) in [$minPpm, $maxPpm] ppm, bounds included,
// compared exactly in 64-bit integers: with t = peel + change = th * 10^6 + tl,
//   peel * 10^6 >= min * t  <=>  peel >= min * th + ceil(min * tl / 10^6)
//   peel * 10^6 <= max * t  <=>  peel <= max * th + floor(max * tl / 10^6)
// so no product passes 5 * 10^5 * 2 * 10^12. UTXO amounts are satoshi (at most 2.1 * 10^15): toInteger is
// exact; a value of 19 digits or more would make the query fail loudly rather than compare wrongly.
// $params: $starts (tx ids), $utxoChains, $maxInputs, $minPpm, $maxPpm
UNWIND $starts AS sid
MATCH (s:Transaction {id: sid})
CALL (s) {
  MATCH p = (first:Transaction) ((h:Transaction)-[ch:OUTPUT]->(c)-[i:INPUT]->(n:Transaction)
    WHERE i.prevTxId = h.id AND i.prevVout = ch.index
    AND h.chain IN $utxoChains AND NOT h.coinbase AND h.nInputs >= 1 AND h.nInputs <= $maxInputs AND h.nOutputs = 2
    AND COUNT { (h)-[:OUTPUT]->(:Address) } = 2
    AND any(pe IN [(h)-[q:OUTPUT]->(:Address) WHERE q.index <> ch.index | q] WHERE pe.valueKey < ch.valueKey
      AND any(pv IN [toInteger(pe.value)] WHERE any(tv IN [pv + toInteger(ch.value)] WHERE
        pv >= $minPpm * (tv / 1000000) + ($minPpm * (tv % 1000000) + 999999) / 1000000
        AND pv <= $maxPpm * (tv / 1000000) + ($maxPpm * (tv % 1000000)) / 1000000)))){0,100} (s)
  RETURN collect({txIds: [x IN nodes(p) WHERE x:Transaction | x.id], inputs: [r IN relationships(p) WHERE type(r) = 'INPUT' | r.index]}) AS paths
}
RETURN sid, paths

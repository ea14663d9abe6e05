// neo4jDetectPeelChains ({ address }): the transactions the address pays into, and which of them are hops.
// No row when the graph does not know the address.
// The hop rule of src/analytics/peel-chain/peel-hop.ts, per transaction h and candidate change output ch
// (repeated in every peel-chain-*.cypher file; keep them in step): a UTXO chain, not a coinbase, 1 to
// $maxInputs inputs, exactly two outputs both paying an address, ch strictly the larger (valueKey order,
// amount-key.ts) and the peel ratio r = peel / (peel + change) in [$minPpm, $maxPpm] ppm, bounds included,
// compared exactly in 64-bit integers: with t = peel + change = th * 10^6 + tl,
//   peel * 10^6 >= min * t  <=>  peel >= min * th + ceil(min * tl / 10^6)
//   peel * 10^6 <= max * t  <=>  peel <= max * th + floor(max * tl / 10^6)
// so no product passes 5 * 10^5 * 2 * 10^12. UTXO amounts are satoshi (at most 2.1 * 10^15): toInteger is
// exact; a value of 19 digits or more would make the query fail loudly rather than compare wrongly.
// $params: $address, $utxoChains, $maxInputs, $minPpm, $maxPpm
MATCH (a:Address {id: $address})
CALL (a) {
  OPTIONAL MATCH (a)-[:INPUT]->(t:Transaction)
  WITH DISTINCT t
  WHERE t IS NOT NULL
  RETURN collect({id: t.id, hop: any(ch IN [(t)-[o:OUTPUT]->(:Address) | o] WHERE t.chain IN $utxoChains AND NOT t.coinbase AND t.nInputs >= 1 AND t.nInputs <= $maxInputs AND t.nOutputs = 2
      AND COUNT { (t)-[:OUTPUT]->(:Address) } = 2
      AND any(pe IN [(t)-[q:OUTPUT]->(:Address) WHERE q.index <> ch.index | q] WHERE pe.valueKey < ch.valueKey
        AND any(pv IN [toInteger(pe.value)] WHERE any(tv IN [pv + toInteger(ch.value)] WHERE
          pv >= $minPpm * (tv / 1000000) + ($minPpm * (tv % 1000000) + 999999) / 1000000
          AND pv <= $maxPpm * (tv / 1000000) + ($maxPpm * (tv % 1000000)) / 1000000))))}) AS txs
}
RETURN txs

// stats: counts per chain. Input and output counts come from the per-transaction counters (nInputs,
// nOutputs, unresolved) rather than a scan of every relationship; fees are the running sums on :ChainStats.
// $params: none
CALL () {
  MATCH (b:Block)
  WITH b.chain AS chain, count(*) AS n
  RETURN collect({chain: chain, n: n}) AS blocks
}
CALL () {
  MATCH (t:Transaction)
  WITH t.chain AS chain, count(*) AS n, sum(t.nInputs) AS inputs, sum(t.nInputs - t.unresolved) AS resolved, sum(t.nOutputs) AS outputs
  RETURN collect({chain: chain, n: n, inputs: inputs, resolved: resolved, outputs: outputs}) AS transactions
}
CALL () {
  MATCH (a:Address)
  WITH a.chain AS chain, count(*) AS n
  RETURN collect({chain: chain, n: n}) AS addresses
}
CALL () {
  MATCH (c:ChainStats)
  RETURN collect({chain: c.chain, fees: c.fees}) AS fees
}
CALL () {
  MATCH (l:Label)
  WHERE l.removedAt IS NULL
  RETURN count(l) AS labels
}
RETURN blocks, transactions, addresses, fees, labels

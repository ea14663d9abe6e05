// writeBlocks (5/8): writes the batch's new elements in one query:
// - MERGEs the addresses the new transactions mention, each once (a node MERGE found, created by an earlier
//   write or a label, is not new; the ids of the nodes this query created are returned as `created`);
// - creates the new transactions in their final state (inputs resolved by a later block of the batch
//   included), each linked to its block, with their INPUT relationships (from the address, or from the
//   chain's :NoAddress node when it is not known) and OUTPUT relationships (to the address, or to :NoAddress
//   for an output without one). MERGE on the transaction id: a transaction is never stored twice (the caller
//   left out the stored ones, under the chain lock).
// Rows are lists, not maps (less to pack and unpack); an input or output names its address by its position
// in $addresses (null: none), so that each is linked without an index lookup.
// $params: $addresses (list of {id, chain}), $blocks (list of {chain, hash, height, txs: list of [id, hash,
// time, position, coinbase, status, fee, nInputs, nOutputs, unresolved, inputs, outputs]}), where an input is
// [address, index, value, valueKey, asset, prevTxId, prevVout, addressSource] and an output is [address, index,
// value, valueKey, asset, scriptType, detail]
CALL () {
  UNWIND range(0, size($addresses) - 1) AS k
  WITH k, $addresses[k] AS a
  MERGE (x:Address {id: a.id})
    ON CREATE SET x.chain = a.chain, x._created = true
  WITH k, x
  ORDER BY k
  RETURN collect(x) AS nodes
}
CALL (nodes) {
  UNWIND $blocks AS blk
  MATCH (b:Block {chain: blk.chain, hash: blk.hash})
  MATCH (none:NoAddress {chain: blk.chain})
  UNWIND blk.txs AS x
  MERGE (t:Transaction {id: x[0]})
    ON CREATE SET t.chain = blk.chain, t.hash = x[1], t.blockHash = blk.hash, t.height = blk.height, t.time = x[2],
      t.position = x[3], t.coinbase = x[4], t.status = x[5], t.fee = x[6], t.nInputs = x[7], t.nOutputs = x[8],
      t.unresolved = x[9]
  CREATE (b)-[:CONTAINS]->(t)
  WITH t, x, none
  CALL (t, x, none, nodes) {
    UNWIND x[10] AS i
    WITH i, coalesce(nodes[i[0]], none) AS source
    CREATE (source)-[:INPUT {index: i[1], value: i[2], valueKey: i[3], asset: i[4], prevTxId: i[5], prevVout: i[6], addressSource: i[7]}]->(t)
  }
  CALL (t, x, none, nodes) {
    UNWIND x[11] AS o
    WITH o, coalesce(nodes[o[0]], none) AS target
    CREATE (t)-[:OUTPUT {index: o[1], value: o[2], valueKey: o[3], asset: o[4], scriptType: o[5], detail: o[6]}]->(target)
  }
}
CALL (nodes) {
  UNWIND nodes AS x
  WITH x
  WHERE x._created IS NOT NULL
  REMOVE x._created
  RETURN collect(x.id) AS created
}
RETURN created

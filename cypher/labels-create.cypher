// importLabels, addLabel: new labels (ids allocated by the caller under labels-lock) hung on their address,
// which is created when no block mentioned it yet; the sequence moves to the last id used.
// $params: $labels (list of {chain, props: {id, address, category, label, source, confidence, actor, detail, addedAt}}), $last
MATCH (s:Sequence {name: 'label'})
SET s.last = $last
WITH s
UNWIND $labels AS l
MERGE (a:Address {id: l.props.address})
  ON CREATE SET a.chain = l.chain
CREATE (a)-[:HAS_LABEL]->(x:Label)
SET x = l.props

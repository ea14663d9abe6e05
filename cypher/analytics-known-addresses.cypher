// neo4jHopDistance, Neo4jProximityIndex.screen: which of the addresses the graph knows (an :Address node:
// mentioned by a stored transaction or a label).
// $params: $ids
UNWIND $ids AS id
MATCH (a:Address {id: id})
RETURN a.id AS id

// Neo4jProximityIndex (distance, screen): the stored distances (null: none within maxHops) and flags (bit 1:
// target, bit 2: stop) of addresses; addresses without an :Address node are absent.
// $params: $ids
UNWIND $ids AS id
MATCH (a:Address {id: id})
RETURN a.id AS id, a.distOut AS out, a.distIn AS in, a.distBoth AS both, coalesce(a.proxFlags, 0) AS flags

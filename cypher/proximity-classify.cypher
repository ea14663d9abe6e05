// neo4jHopDistance: for each address, its active labels of a searched category (category and label text:
// the search ends there) and whether it carries an active label of a stop category (the search does not
// pass through it). Addresses with neither are absent.
// $params: $ids, $categories, $stopCategories
UNWIND $ids AS id
MATCH (:Address {id: id})-[:HAS_LABEL]->(l:Label)
WHERE l.removedAt IS NULL AND (l.category IN $categories OR l.category IN $stopCategories)
WITH id, collect(l) AS labels
RETURN id,
  [l IN labels WHERE l.category IN $categories | {category: l.category, label: l.label}] AS hits,
  any(l IN labels WHERE l.category IN $stopCategories) AS stop

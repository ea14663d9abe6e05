// findAddressesByCategory: addresses carrying an active label of one of the categories (the caller sorts).
// $params: $categories
MATCH (l:Label)
WHERE l.category IN $categories AND l.removedAt IS NULL
RETURN DISTINCT l.address AS address

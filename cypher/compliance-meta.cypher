// forStore: the compliance schema version, recorded at the first start; the store refuses a database whose
// compliance nodes were written by a newer Ariadne.
// $params: $version
MERGE (m:ComplianceMeta {name: 'schema'})
  ON CREATE SET m.version = $version
RETURN m.version AS version

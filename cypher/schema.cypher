// openNeo4jStore (schema): run statement by statement at every start; idempotent (IF NOT EXISTS).
// $params: none
// Community Edition features only: property uniqueness constraints (single and composite) and range indexes.
CREATE CONSTRAINT address_id IF NOT EXISTS FOR (a:Address) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT transaction_id IF NOT EXISTS FOR (t:Transaction) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT block_chain_hash IF NOT EXISTS FOR (b:Block) REQUIRE (b.chain, b.hash) IS UNIQUE;
CREATE CONSTRAINT label_id IF NOT EXISTS FOR (l:Label) REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT chain_stats_chain IF NOT EXISTS FOR (c:ChainStats) REQUIRE c.chain IS UNIQUE;
CREATE CONSTRAINT no_address_chain IF NOT EXISTS FOR (n:NoAddress) REQUIRE n.chain IS UNIQUE;
CREATE CONSTRAINT sequence_name IF NOT EXISTS FOR (s:Sequence) REQUIRE s.name IS UNIQUE;
// findTransactionsByHeight, stats.
CREATE INDEX transaction_chain_height IF NOT EXISTS FOR (t:Transaction) ON (t.chain, t.height, t.position);
// findAddressesByCategory.
CREATE INDEX label_category IF NOT EXISTS FOR (l:Label) ON (l.category);
// importLabels (the active labels of one source).
CREATE INDEX label_source IF NOT EXISTS FOR (l:Label) ON (l.source);
// writeBlock: inputs waiting for the outputs of a transaction (backfill).
CREATE INDEX input_prev_tx IF NOT EXISTS FOR ()-[i:INPUT]-() ON (i.prevTxId);
// stats: addresses per chain.
CREATE INDEX address_chain IF NOT EXISTS FOR (a:Address) ON (a.chain);
// Neo4jProximityIndex (in-database analytics): addresses holding a screening distance (reset, and "every
// address within k hops" lookups).
CREATE INDEX address_dist_out IF NOT EXISTS FOR (a:Address) ON (a.distOut);
CREATE INDEX address_dist_in IF NOT EXISTS FOR (a:Address) ON (a.distIn);
CREATE INDEX address_dist_both IF NOT EXISTS FOR (a:Address) ON (a.distBoth);
// writeClusterIds (in-database analytics): one :Cluster node per cluster id; the members of a cluster.
CREATE CONSTRAINT cluster_id IF NOT EXISTS FOR (c:Cluster) REQUIRE c.id IS UNIQUE;
CREATE INDEX address_cluster IF NOT EXISTS FOR (a:Address) ON (a.clusterId);
// Indexes are built in the background: wait so that the first queries already use them.
CALL db.awaitIndexes(300);

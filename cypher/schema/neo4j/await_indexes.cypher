// name: neo4j-await-indexes
// description: Wait until every index is online (Neo4j 5), at most 1800 seconds (an existing national store builds its new indexes).
// params:
CALL db.awaitIndexes(1800)

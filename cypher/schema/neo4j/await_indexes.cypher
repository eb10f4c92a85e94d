// name: neo4j-await-indexes
// description: Wait until every index is online (Neo4j 5), at most 300 seconds.
// params:
CALL db.awaitIndexes(300)

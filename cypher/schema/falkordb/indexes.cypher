// name: falkordb-indexes
// description: The indexes of the graph and their state (FalkorDB); the adapter creates missing ones and waits until all are operational.
// params:
CALL db.indexes()

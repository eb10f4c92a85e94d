// name: delete-all
// description: Delete every node and link, keeping the schema (tests and resets only).
// params:
// mode: write
MATCH (n)
DETACH DELETE n

// name: entity-erase
// description: Erase one entity and every link it has (marsoc erase); the audit record of the erasure stays in the application database.
// params: id
// mode: write
// template: label
MATCH (n:{label} {id: $id})
DETACH DELETE n
RETURN count(*) AS n

// name: canonical-drifted
// description: People whose canonical_id is not their own id (merged by a same decision).
// params:
// mode: read
MATCH (n:Person)
WHERE n.canonical_id <> n.id
RETURN n.id AS id

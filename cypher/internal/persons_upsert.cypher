// name: persons-upsert
// description: Merge Person nodes by id with one role label; canonical_id is set to the id only when the node has none, so an analyst's same decision is never overwritten.
// params: rows, now, run
// mode: write
// template: role
UNWIND $rows AS row
MERGE (n:Person {id: row.id})
ON CREATE SET n.firstseen = $now
SET n += row.props, n.canonical_id = coalesce(n.canonical_id, row.id), n.lastupdated = $now, n.load_run = $run
SET n:{role}
RETURN count(n) AS written

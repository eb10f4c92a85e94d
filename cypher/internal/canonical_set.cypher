// name: canonical-set
// description: Set canonical_id of the given people.
// params: rows, now, run
// mode: write
UNWIND $rows AS row
MATCH (n:Person {id: row.id})
SET n.canonical_id = row.canonical, n.lastupdated = $now, n.load_run = $run
RETURN count(n) AS n

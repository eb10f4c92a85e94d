// name: staff-refresh
// description: role and establishment of members of staff from their latest post, an open post first.
// params: ids, run
// mode: write
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[j:EMPLOYED_AT]->(e:Establishment)
WITH p, j, e ORDER BY (CASE WHEN j.to IS NULL THEN 1 ELSE 0 END) DESC, j.from DESC
WITH p, collect({role: j.role, code: e.code}) AS posts
SET p.load_run = $run, p.role = posts[0].role, p.establishment = posts[0].code
RETURN count(p) AS n

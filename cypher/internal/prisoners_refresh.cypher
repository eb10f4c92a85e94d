// name: prisoners-refresh
// description: in_custody (an open custody period) and establishment (of the latest period) of prisoners, from every HELD_AT period in the store.
// params: ids, run
// mode: write
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[h:HELD_AT]->(e:Establishment)
WITH p, h, e ORDER BY h.from DESC
WITH p, collect({open: h.to IS NULL, code: e.code}) AS periods
SET p.load_run = $run, p.in_custody = size([x IN periods WHERE x.open]) > 0, p.establishment = periods[0].code
RETURN count(p) AS n

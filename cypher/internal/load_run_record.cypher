// name: load-run-record
// description: Record a load run (its start, then its end) and move the store version on: the run takes the next sequence number. rewrite says the run deleted or replaced data (a network reload), which no delta can follow.
// params: run, now, rewrite, agency
// mode: write
OPTIONAL MATCH (x:LoadRun)
WITH coalesce(max(x.seq), 0) + 1 AS next
MERGE (r:LoadRun {id: $run})
ON CREATE SET r.started = $now, r.rewrite = false
SET r.seq = next, r.at = $now, r.rewrite = r.rewrite OR $rewrite, r.agency = $agency
RETURN r.seq AS seq

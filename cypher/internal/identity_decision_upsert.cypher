// name: identity-decision-upsert
// description: Record identity decisions on POSSIBLY_SAME_AS links (a link the decision creates takes the given grading, an official record's): the latest decision wins, every entry is kept in the link's history.
// params: rows, grading, now, run
// mode: write
UNWIND $rows AS row
MATCH (a:Person {id: row.src})
MATCH (b:Person {id: row.dst})
MERGE (a)-[r:POSSIBLY_SAME_AS]->(b)
ON CREATE SET r.firstseen = $now, r.source = row.source, r.source_ref = row.source_ref,
              r.source_eval = $grading.source_eval, r.intel_eval = $grading.intel_eval,
              r.handling = $grading.handling
WITH r, row, (r.decided_at IS NULL OR row.decided_at >= r.decided_at) AS newer
SET r.decision = CASE WHEN newer THEN row.decision ELSE r.decision END,
    r.decided_by = CASE WHEN newer THEN row.decided_by ELSE r.decided_by END,
    r.decided_at = CASE WHEN newer THEN row.decided_at ELSE r.decided_at END,
    r.decisions = reduce(s = coalesce(r.decisions, []), e IN row.entries | CASE WHEN e IN s THEN s ELSE s + e END),
    r.lastupdated = $now, r.load_run = $run
RETURN count(r) AS written

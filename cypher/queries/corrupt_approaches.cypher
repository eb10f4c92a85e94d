// name: corrupt-approaches
// description: CORRUPT_APPROACH intelligence links (who approached whom), with date, 3x5x2 grading and source reference; optionally only those dated on or after since (ISO date). Newest first.
// params: since=null, limit=100
MATCH (a)-[r:CORRUPT_APPROACH]->(b)
WHERE $since IS NULL OR coalesce(r.date, r.valid_from) >= $since
RETURN a.id AS from_id, labels(a) AS from_labels, coalesce(a.name, a.number) AS from_name,
       b.id AS to_id, labels(b) AS to_labels, coalesce(b.name, b.number) AS to_name,
       b.establishment AS to_establishment, coalesce(r.date, r.valid_from) AS date,
       r.source_eval AS source_eval, r.intel_eval AS intel_eval, r.handling AS handling,
       r.handling_conditions AS handling_conditions, r.source_ref AS source_ref
ORDER BY date DESC, source_ref
LIMIT $limit

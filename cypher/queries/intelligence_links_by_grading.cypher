// name: intelligence-links-by-grading
// description: Intelligence links (any type other than the official record types), best graded first, optionally only those whose source evaluation (1-3) and intelligence assessment (A-E) are in the given lists, e.g. source_evals ["1", "2"], intel_evals ["A", "B"]; null means any; optionally only some link types.
// params: source_evals=null, intel_evals=null, link_types=null, limit=200
MATCH (a)-[r]->(b)
WHERE NOT type(r) IN ['HELD_AT', 'EMPLOYED_AT', 'VISITED', 'USES_PHONE', 'CALLED', 'MEMBER_OF',
                      'LIVES_IN', 'POSSIBLY_SAME_AS', 'CONNECTED_TO']
  AND ($link_types IS NULL OR type(r) IN $link_types)
  AND ($source_evals IS NULL OR r.source_eval IN $source_evals)
  AND ($intel_evals IS NULL OR r.intel_eval IN $intel_evals)
RETURN type(r) AS type, a.id AS from_id, coalesce(a.name, a.number) AS from_name,
       b.id AS to_id, coalesce(b.name, b.number) AS to_name, coalesce(r.date, r.valid_from) AS date,
       r.source_eval AS source_eval, r.intel_eval AS intel_eval, r.handling AS handling,
       r.source_ref AS source_ref
ORDER BY source_eval, intel_eval, date DESC, source_ref
LIMIT $limit

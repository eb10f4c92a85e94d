// name: identity-candidates
// description: Candidate identity matches (POSSIBLY_SAME_AS) with score at least min_score and the reasons; undecided only unless include_decided is true. Highest score first.
// params: min_score=0.0, include_decided=false, limit=100
MATCH (a:Person)-[r:POSSIBLY_SAME_AS]->(b:Person)
WHERE r.score >= $min_score AND ($include_decided OR r.decision IS NULL)
RETURN a.id AS a_id, a.name AS a_name, a.dob AS a_dob, labels(a) AS a_labels,
       b.id AS b_id, b.name AS b_name, b.dob AS b_dob, labels(b) AS b_labels,
       r.score AS score, r.reasons AS reasons, r.decision AS decision,
       r.decided_by AS decided_by, r.decided_at AS decided_at
ORDER BY score DESC, a_id, b_id
LIMIT $limit

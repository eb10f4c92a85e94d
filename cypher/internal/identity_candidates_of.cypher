// name: identity-candidates-of
// description: Candidate identity matches (POSSIBLY_SAME_AS) of one person record, or of every record when id is null, with the score, reasons, the latest decision and its history; undecided only unless include_decided is true. Highest score first.
// params: id, include_decided, limit
// mode: read
MATCH (a:Person)-[r:POSSIBLY_SAME_AS]->(b:Person)
WHERE ($id IS NULL OR a.id = $id OR b.id = $id) AND ($include_decided OR r.decision IS NULL)
RETURN a.id AS left, a.name AS left_name, b.id AS right, b.name AS right_name,
       r.score AS score, r.reasons AS reasons, r.decision AS decision, r.decided_by AS decided_by,
       r.decided_at AS decided_at, r.decisions AS history, r.handling AS handling,
       r.originating_agency AS originating_agency
ORDER BY score DESC, left, right
LIMIT $limit

// name: identity-decisions
// description: Every identity candidate with a decision (same or different).
// params:
// mode: read
MATCH (a:Person)-[r:POSSIBLY_SAME_AS]->(b:Person)
WHERE r.decision IS NOT NULL
RETURN a.id AS a, b.id AS b, r.decision AS decision

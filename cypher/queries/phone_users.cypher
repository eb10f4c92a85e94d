// name: phone-users
// description: Who uses a telephone number (E.164, e.g. +447700900123): each attribution with its source, dates and grading.
// params: number, limit=50
MATCH (p:Person)-[u:USES_PHONE]->(ph:Phone {number: $number})
RETURN p.id AS person_id, p.name AS name, labels(p) AS labels,
       u.attribution_source AS attribution_source, u.first_seen AS first_seen, u.last_seen AS last_seen,
       u.source_eval AS source_eval, u.intel_eval AS intel_eval, u.handling AS handling
ORDER BY last_seen DESC, person_id
LIMIT $limit

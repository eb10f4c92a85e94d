// name: ocg-members
// description: Members of one OCG (by URN) with their role, since when, and whether the member (or a record decided to be the same person) is in custody now, and where.
// params: ocg_urn, limit=200
MATCH (m:Person)-[mo:MEMBER_OF]->(o:OCG {urn: $ocg_urn})
OPTIONAL MATCH (held:Person {canonical_id: m.canonical_id})
WHERE held.in_custody = true
WITH m, mo, o, collect(DISTINCT held.establishment) AS held_at, collect(DISTINCT held.id) AS held_as
RETURN m.id AS person_id, m.name AS name, labels(m) AS labels, mo.role AS role, mo.since AS since,
       size(held_at) > 0 AS in_custody, held_at AS establishments, held_as AS prisoner_records
ORDER BY in_custody DESC, role, name, person_id
LIMIT $limit

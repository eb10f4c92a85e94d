// name: staff-at-establishment
// description: Staff posted at an establishment: open posts, or with on_date (ISO date) the posts covering that day.
// params: establishment_code, on_date=null, limit=500
MATCH (s:Person:Staff)-[j:EMPLOYED_AT]->(e:Establishment {code: $establishment_code})
WHERE ($on_date IS NULL AND j.to IS NULL)
   OR ($on_date IS NOT NULL AND j.from <= $on_date AND (j.to IS NULL OR j.to >= $on_date))
RETURN s.id AS id, s.name AS name, j.role AS role, j.from AS from, j.to AS to, e.name AS establishment
ORDER BY name, id, from
LIMIT $limit

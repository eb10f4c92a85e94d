// name: prisoners-visited-by
// description: The prisoners one visitor has visited, across establishments, with counts, dates, relationship and where each prisoner is held now.
// params: visitor_id, limit=50
MATCH (v:Person {id: $visitor_id})-[r:VISITED]->(p:Person:Prisoner)
RETURN p.id AS prisoner_id, p.name AS prisoner, p.in_custody AS in_custody,
       p.establishment AS current_establishment, r.relationship AS relationship,
       r.count AS visits, r.first AS first, r.last AS last, r.establishments AS visited_at
ORDER BY visits DESC, prisoner_id
LIMIT $limit

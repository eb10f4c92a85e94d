// name: shared-visitors
// description: Visitors who visit prisoners in at least min_establishments establishments (visit locations), with the prisoners and establishments; possible couriers between prisons.
// params: min_establishments=2, limit=100
MATCH (v:Person:Visitor)-[r:VISITED]->(p:Person:Prisoner)
UNWIND coalesce(r.establishments, []) AS place
WITH v, collect(DISTINCT place) AS establishments, collect(DISTINCT p.id) AS prisoners
WHERE size(establishments) >= $min_establishments
RETURN v.id AS visitor_id, v.name AS visitor, v.postcode AS postcode,
       size(establishments) AS establishment_count, establishments,
       size(prisoners) AS prisoner_count, prisoners
ORDER BY establishment_count DESC, prisoner_count DESC, visitor_id
LIMIT $limit

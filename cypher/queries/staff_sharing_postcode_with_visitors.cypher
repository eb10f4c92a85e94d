// name: staff-sharing-postcode-with-visitors
// description: Staff whose home postcode is also the postcode of a prison visitor, with the prisoners that visitor visits and how many of them are held where the member of staff works.
// params: limit=100
MATCH (s:Person:Staff)-[:LIVES_IN]->(pc:Postcode)<-[:LIVES_IN]-(v:Person:Visitor)
WHERE v.id <> s.id
OPTIONAL MATCH (v)-[:VISITED]->(p:Person:Prisoner)
WITH s, pc, v, collect(DISTINCT {id: p.id, name: p.name, establishment: p.establishment}) AS visited
WITH s, pc, v, [x IN visited WHERE x.id IS NOT NULL] AS prisoners
RETURN s.id AS staff_id, s.name AS staff, s.role AS staff_role, s.establishment AS staff_establishment,
       pc.postcode AS postcode, v.id AS visitor_id, v.name AS visitor, prisoners,
       size([x IN prisoners WHERE x.establishment = s.establishment]) AS prisoners_at_staff_establishment
ORDER BY prisoners_at_staff_establishment DESC, staff_id, visitor_id
LIMIT $limit

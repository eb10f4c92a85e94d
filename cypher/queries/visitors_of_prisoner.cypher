// name: visitors-of-prisoner
// description: Everyone who visited a prisoner, with the number of visits, first and last visit, the establishments visited and the declared relationship; most frequent first.
// params: prisoner_id, limit=50
MATCH (v:Person:Visitor)-[r:VISITED]->(p:Person {id: $prisoner_id})
RETURN v.id AS visitor_id, v.name AS visitor, v.dob AS dob, v.postcode AS postcode,
       r.relationship AS relationship, r.count AS visits, r.first AS first, r.last AS last,
       r.establishments AS establishments
ORDER BY visits DESC, last DESC, visitor_id
LIMIT $limit

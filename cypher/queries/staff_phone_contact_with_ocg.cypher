// name: staff-phone-contact-with-ocg
// description: Staff phones that called, or were called by, a phone used by an OCG member or the PIN account of a prisoner who is an OCG member; with the member, OCG, direction and call totals.
// params: limit=100
MATCH (s:Person:Staff)-[:USES_PHONE]->(sp:Phone)-[c:CALLED]-(x)
WHERE x.id <> sp.id
OPTIONAL MATCH (x)<-[:USES_PHONE]-(user:Person)
WITH s, sp, c, x, CASE WHEN x:Person THEN x ELSE user END AS member
WHERE member IS NOT NULL AND member.id <> s.id
MATCH (member)-[mo:MEMBER_OF]->(o:OCG)
RETURN DISTINCT s.id AS staff_id, s.name AS staff, s.establishment AS staff_establishment,
       sp.number AS staff_number,
       CASE WHEN startNode(c).id = sp.id THEN 'staff called' ELSE 'called staff' END AS direction,
       coalesce(x.number, 'PIN ' + x.id) AS other, member.id AS member_id, member.name AS member,
       o.urn AS ocg_urn, o.name AS ocg, mo.role AS ocg_role,
       c.count AS calls, c.total_seconds AS total_seconds, c.first AS first, c.last AS last
ORDER BY calls DESC, staff_id, member_id, ocg_urn
LIMIT $limit

// name: ocg-overview
// description: Every OCG with its band and primary crime, the number of members, how many are in custody (the member or a record decided to be the same person) and outside, and the establishments holding them.
// params: limit=100
MATCH (o:OCG)
OPTIONAL MATCH (m:Person)-[:MEMBER_OF]->(o)
OPTIONAL MATCH (held:Person {canonical_id: m.canonical_id})
WHERE held.in_custody = true
WITH o, m, collect(DISTINCT held.establishment) AS held_at
WITH o, count(m) AS members,
     sum(CASE WHEN m IS NOT NULL AND size(held_at) > 0 THEN 1 ELSE 0 END) AS in_custody,
     collect(held_at) AS places
RETURN o.urn AS urn, o.name AS name, o.band AS band, o.primary_crime AS primary_crime,
       members, in_custody, members - in_custody AS outside_custody,
       reduce(acc = [], xs IN places | acc + [x IN xs WHERE NOT x IN acc]) AS establishments
ORDER BY in_custody DESC, members DESC, urn
LIMIT $limit

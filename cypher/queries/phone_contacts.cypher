// name: phone-contacts
// description: Calls from and to a number (aggregated per pair): direction, the other number or PIN account, who uses the other number, call count, total seconds, first/last call and call sources.
// params: number, limit=100
MATCH (ph:Phone {number: $number})-[c:CALLED]-(other)
OPTIONAL MATCH (other)<-[:USES_PHONE]-(user:Person)
WITH ph, c, other, collect(DISTINCT user.name) AS users
RETURN CASE WHEN startNode(c).id = ph.id THEN 'out' ELSE 'in' END AS direction,
       other.id AS other_id, coalesce(other.number, other.name) AS other,
       CASE WHEN other:Person THEN [other.name] ELSE users END AS other_users,
       c.count AS calls, c.total_seconds AS total_seconds, c.first AS first, c.last AS last,
       c.sources AS sources, c.establishments AS establishments
ORDER BY calls DESC, other_id, direction
LIMIT $limit

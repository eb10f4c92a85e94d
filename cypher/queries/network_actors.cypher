// name: network-actors
// description: Actors of a generic network (loaded with marsoc load-network) with their degree (links of that network, either direction) and total link weight; best connected first.
// params: network, limit=100
MATCH (a:Actor {network: $network})
OPTIONAL MATCH (a)-[r:CONNECTED_TO]-(:Actor)
WHERE r.network = $network
WITH a, count(r) AS degree, sum(coalesce(r.weight, 1)) AS weight
RETURN a.id AS id, a.label AS label, degree, weight
ORDER BY degree DESC, weight DESC, id
LIMIT $limit

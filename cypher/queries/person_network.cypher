// name: person-network
// description: Everything linked to a person within two links (not through an establishment, which would list a whole prison), with the link types along the way; optionally only through the given link types. Nearest first.
// params: person_id, link_types=null, limit=100
MATCH path = (start:Person {id: $person_id})-[*1..2]-(other)
WHERE other.id <> start.id
  AND all(r IN relationships(path) WHERE $link_types IS NULL OR type(r) IN $link_types)
  AND none(n IN nodes(path)[1..length(path)] WHERE n:Establishment)
WITH other, min(length(path)) AS hops,
     collect(DISTINCT [r IN relationships(path) | type(r)]) AS routes
RETURN other.id AS id, labels(other) AS labels,
       coalesce(other.name, other.number, other.label, other.code, other.postcode) AS name,
       hops, routes[0..5] AS link_types
ORDER BY hops, id
LIMIT $limit

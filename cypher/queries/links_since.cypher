// name: links-since
// description: Links loaded or updated since a date (lastupdated), or whose period starts on or after it (valid_from); since is an ISO date or timestamp; optionally only some link types. Newest first.
// params: since, link_types=null, limit=200
MATCH (a)-[r]->(b)
WHERE (r.lastupdated >= $since OR r.valid_from >= $since)
  AND ($link_types IS NULL OR type(r) IN $link_types)
RETURN type(r) AS type, a.id AS from_id, b.id AS to_id, r.valid_from AS valid_from,
       r.valid_to AS valid_to, r.lastupdated AS lastupdated, r.source AS source,
       r.source_ref AS source_ref, r.load_run AS load_run
ORDER BY lastupdated DESC, valid_from DESC, type, from_id, to_id
LIMIT $limit

// name: person-profile
// description: One person record with its labels, custody periods, staff posts, phones, OCG memberships, postcodes and the other records an analyst decided are the same person (same canonical_id).
// params: person_id, limit=1
MATCH (p:Person {id: $person_id})
OPTIONAL MATCH (other:Person {canonical_id: p.canonical_id})
WHERE other.id <> p.id
WITH p, collect(DISTINCT other.id) AS same_as
RETURN p.id AS id, p.name AS name, labels(p) AS labels, p.dob AS dob, p.gender AS gender,
       p.pnc_id AS pnc_id, p.canonical_id AS canonical_id, p.in_custody AS in_custody,
       p.establishment AS establishment, p.role AS role, same_as,
       [(p)-[h:HELD_AT]->(prison:Establishment) |
         {establishment: prison.code, name: prison.name, from: h.from, to: h.to, cell: h.cell}] AS custody,
       [(p)-[j:EMPLOYED_AT]->(workplace:Establishment) |
         {establishment: workplace.code, name: workplace.name, role: j.role, from: j.from, to: j.to}] AS posts,
       [(p)-[u:USES_PHONE]->(ph:Phone) |
         {number: ph.number, attribution_source: u.attribution_source, first_seen: u.first_seen,
          last_seen: u.last_seen}] AS phones,
       [(p)-[m:MEMBER_OF]->(o:OCG) | {urn: o.urn, name: o.name, band: o.band, role: m.role, since: m.since}] AS ocgs,
       [(p)-[:LIVES_IN]->(pc:Postcode) | pc.postcode] AS postcodes
LIMIT $limit

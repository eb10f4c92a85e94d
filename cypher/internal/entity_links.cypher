// name: entity-links
// description: The links of one entity, either way, with their type, other end, grading, originating agency, provenance, dates and counts (of visits and calls) (the entity page of the API; filtered for the reader's agency by the caller's visibility rule).
// params: id, limit
// mode: read
// template: label
MATCH (n:{label} {id: $id})-[r]-(m)
RETURN type(r) AS type, startNode(r) = n AS outgoing, m.id AS other, labels(m) AS other_labels,
       r.source_eval AS source_eval, r.intel_eval AS intel_eval, r.handling AS handling,
       r.handling_conditions AS handling_conditions, r.originating_agency AS originating_agency,
       r.source AS source, r.source_ref AS source_ref, r.valid_from AS valid_from, r.valid_to AS valid_to,
       r.first AS first, r.last AS last, r.count AS count
ORDER BY type, other
LIMIT $limit

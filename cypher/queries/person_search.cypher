// name: person-search
// description: People whose display name or folded name key contains the text (case-insensitive), optionally only those with one role label (Prisoner, Visitor, Staff, Nominal).
// params: text, role=null, limit=50
MATCH (p:Person)
WHERE (toLower(p.name) CONTAINS toLower($text) OR p.name_key CONTAINS toLower($text))
  AND ($role IS NULL OR $role IN labels(p))
RETURN p.id AS id, p.name AS name, labels(p) AS labels, p.dob AS dob, p.pnc_id AS pnc_id,
       p.establishment AS establishment, p.in_custody AS in_custody, p.canonical_id AS canonical_id
ORDER BY name, id
LIMIT $limit

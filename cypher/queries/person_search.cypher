// name: person-search
// description: People whose display name, folded name key (accents removed: dvorak finds Dvořák), id or PNC id contains the text (case-insensitive), optionally only those with one role label (Prisoner, Visitor, Staff, Nominal); paged with skip and limit. The people page runs this query.
// params: text, role=null, skip=0, limit=50
MATCH (p:Person)
WHERE ($role IS NULL OR $role IN labels(p))
  AND (toLower(coalesce(p.name, '')) CONTAINS toLower($text)
       OR coalesce(p.name_key, '') CONTAINS toLower($text)
       OR toLower(p.id) CONTAINS toLower($text)
       OR toLower(coalesce(p.pnc_id, '')) CONTAINS toLower($text))
RETURN p.id AS id, p.name AS name, labels(p) AS labels, p.dob AS dob, p.pnc_id AS pnc_id,
       p.establishment AS establishment, p.in_custody AS in_custody, p.canonical_id AS canonical_id
ORDER BY coalesce(p.name_key, toLower(p.name), p.id), id
SKIP $skip
LIMIT $limit

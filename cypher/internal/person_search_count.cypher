// name: person-search-count
// description: How many people the person-search query finds for the same text and role (the people page's page count).
// params: text, role
// mode: read
MATCH (p:Person)
WHERE ($role IS NULL OR $role IN labels(p))
  AND (toLower(coalesce(p.name, '')) CONTAINS toLower($text)
       OR coalesce(p.name_key, '') CONTAINS toLower($text)
       OR toLower(p.id) CONTAINS toLower($text)
       OR toLower(coalesce(p.pnc_id, '')) CONTAINS toLower($text))
RETURN count(p) AS n

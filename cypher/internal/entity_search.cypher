// name: entity-search
// description: Entities of one label whose id or name contains some text (any case) that a user of the agency may see (restricted_to), one page, for the entity search of the API; people use person-search.
// params: text, agency, skip, limit
// mode: read
// template: label
MATCH (n:{label})
WHERE (toLower(n.id) CONTAINS toLower($text) OR toLower(coalesce(n.name, '')) CONTAINS toLower($text))
  AND (n.restricted_to IS NULL OR $agency IS NULL OR $agency IN n.restricted_to)
RETURN n.id AS id, labels(n) AS labels, n.name AS name
ORDER BY id
SKIP $skip
LIMIT $limit

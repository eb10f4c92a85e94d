// name: hidden-facts-count
// description: How many facts a user of one agency may not see: handling C links whose originating agency is another (or unknown), and nodes known only from such facts (restricted_to without the agency). A console that would show them is refused to that user.
// params: agency
// mode: read
MATCH ()-[r]->()
WHERE toUpper(r.handling) = 'C' AND (r.originating_agency IS NULL OR r.originating_agency <> $agency)
WITH count(r) AS links
OPTIONAL MATCH (n)
WHERE n.restricted_to IS NOT NULL AND NOT $agency IN n.restricted_to
WITH links, count(n) AS nodes
RETURN links + nodes AS n

// name: counts-by-label
// description: How many nodes carry each label (a person counts under Person and under each role label).
// params: limit=100
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS nodes
ORDER BY label
LIMIT $limit

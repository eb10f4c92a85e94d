// name: numbers-called-by-many-prisoners
// description: Numbers dialled from the PIN accounts of at least min_prisoners different prisoners (candidate hub or relay phones), with calls, prisoners, their establishments and the number's known users.
// params: min_prisoners=3, limit=50
MATCH (p:Person:Prisoner)-[c:CALLED]->(ph:Phone)
WITH ph, count(DISTINCT p) AS prisoner_count, sum(c.count) AS calls,
     collect(DISTINCT p.id) AS prisoners, collect(DISTINCT p.establishment) AS establishments
WHERE prisoner_count >= $min_prisoners
OPTIONAL MATCH (user:Person)-[:USES_PHONE]->(ph)
WITH ph, prisoner_count, calls, prisoners, establishments, collect(DISTINCT user.id) AS users
RETURN ph.number AS number, prisoner_count, calls, prisoners, establishments, users
ORDER BY prisoner_count DESC, calls DESC, number
LIMIT $limit

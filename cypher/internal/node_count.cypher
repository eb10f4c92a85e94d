// name: node-count
// description: How many nodes the store holds (the load-run records left out).
// params:
// mode: read
MATCH (n)
WHERE NOT n:LoadRun
RETURN count(n) AS n

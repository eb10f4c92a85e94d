// name: node-count
// description: How many nodes the store holds.
// params:
// mode: read
MATCH (n)
RETURN count(n) AS n

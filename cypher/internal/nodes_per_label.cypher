// name: nodes-per-label
// description: Nodes per label; a node with several labels counts under each.
// params:
// mode: read
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS n

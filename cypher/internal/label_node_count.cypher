// name: label-node-count
// description: How many nodes carry one label (the loaders' reference check decides from it whether to read the ids whole).
// params:
// mode: read
// template: label
MATCH (n:{label})
RETURN count(n) AS n

// name: label-node-ids
// description: The id of every node with one label (the loaders' reference check, read once per file).
// params:
// mode: read
// template: label
MATCH (n:{label})
RETURN n.id AS id

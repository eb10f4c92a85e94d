// name: label-node-ids-present
// description: Which of the given ids exist as nodes with one label.
// params: ids
// mode: read
// template: label
MATCH (n:{label})
WHERE n.id IN $ids
RETURN n.id AS id

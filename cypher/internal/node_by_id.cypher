// name: node-by-id
// description: One node by its graph-wide id, under the label its id's namespace implies: its labels and properties.
// params: id
// mode: read
// template: label
MATCH (n:{label} {id: $id})
RETURN labels(n) AS labels, properties(n) AS props
LIMIT 1

// name: neo4j-node-index
// description: Range index on one non-key property of one label (Neo4j 5).
// params:
// template: name, label, property
CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.{property})

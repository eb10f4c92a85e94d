// name: neo4j-link-index
// description: Range index on one property of one link type (Neo4j 5): the load run, so a delta read finds what a run wrote without a scan.
// params:
// template: name, type, property
CREATE INDEX {name} IF NOT EXISTS FOR ()-[r:{type}]-() ON (r.{property})

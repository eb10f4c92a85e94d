// name: neo4j-node-key
// description: Uniqueness constraint on the key property of one label (Neo4j 5); it also creates the backing index.
// params:
// template: name, label, property
CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{property} IS UNIQUE

// name: falkordb-node-index
// description: Range index on one property of one label (FalkorDB). Built asynchronously; the adapter waits until it is operational.
// params:
// template: label, property
CREATE INDEX FOR (n:{label}) ON (n.{property})

// name: falkordb-link-index
// description: Range index on one property of one link type (FalkorDB): the load run, so a delta read finds what a run wrote without a scan. Built asynchronously; the adapter waits until it is operational.
// params:
// template: type, property
CREATE INDEX FOR ()-[r:{type}]-() ON (r.{property})

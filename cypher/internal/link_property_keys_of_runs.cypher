// name: link-property-keys-of-runs
// description: The property names stored on the links of one type that the load runs $runs wrote (a delta read takes aggregated links by these columns; found by the load_run index).
// params: runs
// mode: read
// template: type
MATCH ()-[r:{type}]->()
WHERE r.load_run IN $runs
WITH DISTINCT keys(r) AS names
UNWIND names AS key
RETURN DISTINCT key

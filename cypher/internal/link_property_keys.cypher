// name: link-property-keys
// description: The property names stored on links of one type (whole-graph extraction reads aggregated links by these columns).
// params:
// mode: read
// template: type
MATCH ()-[r:{type}]->()
WITH DISTINCT keys(r) AS names
UNWIND names AS key
RETURN DISTINCT key

// name: link-property-keys
// description: The property names stored on links of one type (whole-graph extraction reads aggregated links by these columns).
// params:
// mode: read
// template: type
MATCH ()-[r:{type}]->()
UNWIND keys(r) AS key
RETURN DISTINCT key

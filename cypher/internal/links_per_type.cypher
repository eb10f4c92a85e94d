// name: links-per-type
// description: Links per link type.
// params:
// mode: read
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS n

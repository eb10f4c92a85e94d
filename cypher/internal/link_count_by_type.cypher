// name: link-count-by-type
// description: How many links of one type the store holds (both engines answer from their counts, no scan).
// params:
// mode: read
// template: type
MATCH ()-[r:{type}]->()
RETURN count(r) AS n

// name: links-present
// description: Which of the given (src, dst) pairs are joined by a link of one type, with the endpoint labels their ids imply.
// params: links
// mode: read
// template: from_label, type, to_label
UNWIND $links AS l
MATCH (a:{from_label} {id: l.src})-[r:{type}]->(b:{to_label} {id: l.dst})
RETURN l.src AS src, l.dst AS dst, count(r) AS n

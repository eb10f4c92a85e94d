// name: nominal-label-set
// description: Add the Nominal role label to the given people (OCG members).
// params: ids
// mode: write
UNWIND $ids AS pid
MATCH (n:Person {id: pid})
SET n:Nominal
RETURN count(n) AS n

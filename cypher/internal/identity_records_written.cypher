// name: identity-records-written
// description: The fields identity resolution compares, for the Person records written by the given load runs.
// params: runs
// mode: read
MATCH (n:Person)
WHERE n.load_run IN $runs
RETURN n.id AS id, n.namespace AS namespace, n.forenames AS forenames, n.surname AS surname,
       n.dob AS dob, n.postcode AS postcode, n.pnc_id AS pnc_id

// name: identity-records-others
// description: The fields identity resolution compares, for the Person records not written by the given load runs (the rest of the store, when the written records are most of it).
// params: runs
// mode: read
MATCH (n:Person)
WHERE n.load_run IS NULL OR NOT n.load_run IN $runs
RETURN n.id AS id, n.namespace AS namespace, n.forenames AS forenames, n.surname AS surname,
       n.dob AS dob, n.postcode AS postcode, n.pnc_id AS pnc_id

// name: identity-records
// description: The fields identity resolution compares, for every Person.
// params:
// mode: read
MATCH (n:Person)
RETURN n.id AS id, n.namespace AS namespace, n.forenames AS forenames, n.surname AS surname,
       n.dob AS dob, n.postcode AS postcode, n.pnc_id AS pnc_id

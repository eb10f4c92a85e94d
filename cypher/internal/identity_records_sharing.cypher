// name: identity-records-sharing
// description: The fields identity resolution compares, for every Person record sharing a date of birth, a postcode or a PNC id (upper-cased, trimmed) with the given values: the blocks the written records fall in.
// params: dobs, postcodes, pncs
// mode: read
MATCH (n:Person)
WHERE n.dob IN $dobs OR n.postcode IN $postcodes OR toUpper(trim(n.pnc_id)) IN $pncs
RETURN n.id AS id, n.namespace AS namespace, n.forenames AS forenames, n.surname AS surname,
       n.dob AS dob, n.postcode AS postcode, n.pnc_id AS pnc_id

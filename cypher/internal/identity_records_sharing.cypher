// name: identity-records-sharing
// description: The fields identity resolution compares, for every Person record sharing a date of birth, a postcode or a PNC id (upper-cased, trimmed) with the given values: the blocks the written records fall in. Dates of birth and postcodes are found by their indexes; the PNC ids, which a source may have stored in lower case, by comparing each stored one normalised.
// params: dobs, postcodes, pncs
// mode: read
MATCH (n:Person)
WHERE n.dob IN $dobs
RETURN n.id AS id, n.namespace AS namespace, n.forenames AS forenames, n.surname AS surname,
       n.dob AS dob, n.postcode AS postcode, n.pnc_id AS pnc_id
UNION
MATCH (n:Person)
WHERE n.postcode IN $postcodes
RETURN n.id AS id, n.namespace AS namespace, n.forenames AS forenames, n.surname AS surname,
       n.dob AS dob, n.postcode AS postcode, n.pnc_id AS pnc_id
UNION
MATCH (n:Person)
WHERE toUpper(trim(n.pnc_id)) IN $pncs
RETURN n.id AS id, n.namespace AS namespace, n.forenames AS forenames, n.surname AS surname,
       n.dob AS dob, n.postcode AS postcode, n.pnc_id AS pnc_id

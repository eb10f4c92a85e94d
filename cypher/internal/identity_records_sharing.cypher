// name: identity-records-sharing
// description: The fields identity resolution compares, for every Person record sharing a date of birth, a postcode or a PNC id (upper-cased, trimmed) with the given values: the blocks the written records fall in. Postcodes are found by their index; dates of birth (not indexed: FalkorDB answers a range filter on an indexed text property wrongly, and analysts ask for birth dates by range) and PNC ids (a source may have stored one in lower case) by comparing every record's, each in a statement of its own.
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

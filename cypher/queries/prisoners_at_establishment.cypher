// name: prisoners-at-establishment
// description: Prisoners in custody now at an establishment (an open HELD_AT period: to is null), with reception date and cell.
// params: establishment_code, limit=500
MATCH (p:Person:Prisoner)-[h:HELD_AT]->(e:Establishment {code: $establishment_code})
WHERE h.to IS NULL
RETURN p.id AS id, p.name AS name, p.dob AS dob, p.pnc_id AS pnc_id,
       h.from AS received, h.cell AS cell, e.name AS establishment
ORDER BY name, id
LIMIT $limit

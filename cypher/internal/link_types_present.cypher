// name: link-types-present
// description: The link types the store holds (the engine's own catalogue, no scan).
// params:
// mode: read
CALL db.relationshipTypes() YIELD relationshipType
RETURN relationshipType AS type

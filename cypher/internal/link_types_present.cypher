// name: link-types-present
// description: The link types the engine's catalogue knows, no scan (every declared type, for its load_run index, and any other type the store holds links of).
// params:
// mode: read
CALL db.relationshipTypes() YIELD relationshipType
RETURN relationshipType AS type

// name: labels-present
// description: The node labels the store knows (the engine's own catalogue, no scan).
// params:
// mode: read
CALL db.labels() YIELD label
RETURN label

// The console's Cypher editor: Neo4j's own CodeMirror 6 editor (@neo4j-cypher/codemirror:
// highlighting, completion from the schema given, the parser's errors as you type),
// bundled into graph_service/api/static/cypher-editor.js by `npm run build:editor`.
export { createCypherEditor } from "@neo4j-cypher/codemirror";

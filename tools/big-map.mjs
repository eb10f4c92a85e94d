// The large-map renderer: sigma.js (WebGL) over a graphology graph, for maps above what
// vis-network draws quickly; bundled into graph_service/api/static/big-map.js by
// `npm run build:assets`.
export { default as Graph } from "graphology";
export { default as Sigma } from "sigma";

#!/usr/bin/env node
// Lint Cypher with Neo4j's own parser and semantic checks, offline.
//
// Uses lintCypherQuery(text, dbSchema) from the npm package
// @neo4j-cypher/language-support (an ES module; `npm ci` at the repository root
// installs it). With an empty schema the linter reports every $parameter as "not
// defined": that notice is dropped (isNotParamError). Every other diagnostic
// (syntax error, undefined variable, deprecation, unknown function...) counts.
//
// Usage:
//   node tests/cypher/lint_cypher.mjs [--cypher 5,25] FILE.cypher...
//       lints each file (its // header lines are Cypher comments, so the whole
//       file is linted as it is);
//   node tests/cypher/lint_cypher.mjs [--cypher 5,25] -
//       reads JSON from stdin: [{"id": "...", "text": "..."}, ...].
// --cypher: the Cypher versions to check each statement under (default: 5, the
//   language of Neo4j 5 and the default of Neo4j 2025.x); each version is linted
//   with dbSchema.defaultLanguage, so a file needs no "CYPHER n" prefix.
//
// Prints one JSON document on stdout:
//   {"ok": bool, "package": "<version>", "results": [{"id", "ok", "cypher",
//    "diagnostics": [{"severity", "message", "line", "column", "offset"}]}]}
// and exits 0 when every statement is clean, 1 when any has a diagnostic, 2 on a
// usage error.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { lintCypherQuery, isNotParamError } from '@neo4j-cypher/language-support';

const PACKAGE = '@neo4j-cypher/language-support';

// The package's "exports" do not expose its package.json: walk up from its entry point.
function packageVersionOf(name) {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (dir !== dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const meta = JSON.parse(readFileSync(file, 'utf8'));
      if (meta.name === name) return meta.version;
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

const packageVersion = packageVersionOf(PACKAGE);

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function usage(message) {
  process.stderr.write(`${message}\nusage: node tests/cypher/lint_cypher.mjs [--cypher 5,25] (FILE.cypher... | -)\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const versions = [];
  const inputs = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--cypher') {
      const value = argv[i + 1];
      if (!value) usage('--cypher needs a value');
      versions.push(...value.split(',').map((v) => v.trim()).filter(Boolean));
      i += 1;
    } else {
      inputs.push(arg);
    }
  }
  for (const v of versions) {
    if (!/^\d+$/.test(v)) usage(`bad Cypher version ${JSON.stringify(v)}`);
  }
  if (inputs.length === 0) usage('no input');
  return { versions: versions.length ? versions : ['5'], inputs };
}

function readStatements(inputs) {
  if (inputs.length === 1 && inputs[0] === '-') {
    const items = JSON.parse(readFileSync(0, 'utf8'));
    if (!Array.isArray(items)) usage('stdin must hold a JSON list of {"id", "text"}');
    return items.map((item, n) => ({ id: String(item.id ?? n), text: String(item.text) }));
  }
  return inputs.map((path) => ({ id: path, text: readFileSync(path, 'utf8') }));
}

function lint(text, version) {
  const { diagnostics } = lintCypherQuery(text, { defaultLanguage: `CYPHER ${version}` });
  return diagnostics.filter(isNotParamError).map((d) => ({
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    offset: d.offsets?.start,
  }));
}

const { versions, inputs } = parseArgs(process.argv.slice(2));
const results = [];
for (const { id, text } of readStatements(inputs)) {
  for (const version of versions) {
    const diagnostics = lint(text, version);
    results.push({ id, cypher: version, ok: diagnostics.length === 0, diagnostics });
  }
}
const ok = results.every((r) => r.ok);
process.stdout.write(`${JSON.stringify({ ok, package: packageVersion, results }, null, 1)}\n`);
process.exit(ok ? 0 : 1);

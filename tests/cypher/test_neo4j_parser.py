"""Every Cypher statement the product can send to Neo4j passes Neo4j's own parser.

No Neo4j server runs here; ``tests/cypher/lint_cypher.mjs`` runs ``lintCypherQuery``
of the npm package ``@neo4j-cypher/language-support`` (Neo4j's parser and semantic
checks) on each statement, under Cypher 5 (Neo4j 5, and the default of Neo4j 2025.x)
and Cypher 25. Checked: every named query in ``cypher/queries``, the Neo4j schema
templates rendered for every indexed (label, property) of the schema, and the write
Cypher of ``graph_service/store/cypher_gen.py`` for every node and link type.

The package is installed by ``npm ci`` at the repository root (CI does it); without
it these tests fail, they are not skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import lru_cache
from typing import Any

import pytest

from graph_service.cypher_library import CYPHER_DIR, CypherLibrary
from graph_service.schema import LINK_TYPES, NODE_TYPES, PERSON_ROLE_LABELS, indexed_properties, node_type
from graph_service.store import cypher_gen
from graph_service.store.neo4j_store import Neo4jStore

ROOT = CYPHER_DIR.parent
LINT = ROOT / "tests" / "cypher" / "lint_cypher.mjs"
PACKAGE = ROOT / "node_modules" / "@neo4j-cypher" / "language-support"
CYPHER_VERSIONS = ("5", "25")
LIBRARY = CypherLibrary()


# -- the statements -----------------------------------------------------------------------
def query_statements() -> dict[str, str]:
    return {f"query:{q.name}": q.text for q in LIBRARY.queries.values()}


def schema_statements() -> dict[str, str]:
    templates = LIBRARY.schema_templates("neo4j")
    found = {}
    for label, prop in indexed_properties():
        for template in templates.values():
            name = f"marsoc_{label.lower()}_{prop}_{template.name.removeprefix('neo4j-node-').replace('-', '_')}"
            found[f"schema:{template.name}:{label}.{prop}"] = template.render(name=name, label=label, property=prop)
    # Exactly what the Neo4j adapter sends (a driver is not needed to build them).
    adapter = Neo4jStore(driver=None, database="neo4j")
    for n, statement in enumerate(adapter._schema_statements()):
        found[f"schema:adapter:{n}"] = statement
    return found


def _endpoint_pairs(from_labels: tuple[str, ...], to_labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """Pairs that use every declared endpoint label on each side at least once (the
    statements differ only in those names; every combination would triple the time)."""
    return [(from_labels[i % len(from_labels)], to_labels[i % len(to_labels)]) for i in range(max(len(from_labels), len(to_labels)))]


def write_statements() -> dict[str, str]:
    found = {}
    for node in NODE_TYPES:
        found[f"write:upsert_nodes:{node.label}"] = cypher_gen.upsert_nodes(node.label)
    for role in PERSON_ROLE_LABELS:
        found[f"write:upsert_nodes:Person+{role}"] = cypher_gen.upsert_nodes("Person", (role,))
    found["write:upsert_nodes:Person+all-roles"] = cypher_gen.upsert_nodes("Person", PERSON_ROLE_LABELS)
    # Every declared link type, and an intelligence type links.csv may add.
    types = [(t.type, t.from_labels, t.to_labels) for t in LINK_TYPES]
    types.append(("SUSPECTED_COURIER", ("Person", "Phone", "OCG"), ("Person", "Phone", "OCG")))
    for name, from_labels, to_labels in types:
        for a, b in _endpoint_pairs(from_labels, to_labels):
            found[f"write:upsert_links:{name}:{a}->{b}"] = cypher_gen.upsert_links(name, a, b)
            found[f"write:accumulate_links:{name}:{a}->{b}"] = cypher_gen.accumulate_links(name, a, b)
    return found


STATEMENTS: dict[str, str] = {**query_statements(), **schema_statements(), **write_statements()}


# -- running the linter ---------------------------------------------------------------------
def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not installed: the Neo4j Cypher checks need `node` (and `npm ci` at the repo root)")
    if not PACKAGE.is_dir():
        pytest.fail(
            f"{PACKAGE.relative_to(ROOT)} is missing: run `npm ci` at the repository root "
            "(it installs Neo4j's Cypher parser, @neo4j-cypher/language-support, from package-lock.json)"
        )
    return node


def _start(node: str, version: str, items: list[dict[str, str]]) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [node, str(LINT), "--cypher", version, "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    return process, json.dumps(items)


def run_lint(items: list[dict[str, str]], versions: tuple[str, ...] = CYPHER_VERSIONS) -> list[dict[str, Any]]:
    """Lint ``items`` under each Cypher version, in parallel node processes (one per CPU).

    Neo4j's analyser takes up to a second per long statement, so the work is spread
    round-robin over the processes.
    """
    node = _node()
    jobs = [(version, item) for version in versions for item in items]
    workers = max(1, min(len(jobs), os.cpu_count() or 1, 8))
    chunks: dict[tuple[int, str], list[dict[str, str]]] = {}
    for n, (version, item) in enumerate(jobs):
        chunks.setdefault((n % workers, version), []).append(item)
    processes = [_start(node, version, chunk) for (_, version), chunk in chunks.items()]
    results: list[dict[str, Any]] = []
    for process, payload in processes:
        try:
            out, err = process.communicate(payload, timeout=600)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("the Cypher linter ran for more than 10 minutes")
        if process.returncode not in (0, 1):
            pytest.fail(f"the Cypher linter failed (exit {process.returncode}):\n{err}")
        results.extend(json.loads(out)["results"])
    return results


@lru_cache(maxsize=1)
def lint_everything() -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Every distinct statement linted once: {(id, cypher version): diagnostics}."""
    texts = sorted(set(STATEMENTS.values()))
    results = run_lint([{"id": str(n), "text": text} for n, text in enumerate(texts)])
    by_text = {(texts[int(r["id"])], r["cypher"]): r["diagnostics"] for r in results}
    return {(key, version): by_text[(text, version)] for key, text in STATEMENTS.items() for version in CYPHER_VERSIONS}


def _explain(key: str, diagnostics: list[dict[str, Any]]) -> str:
    lines = STATEMENTS[key].splitlines()
    parts = []
    for d in diagnostics:
        where = lines[d["line"] - 1] if 0 < d["line"] <= len(lines) else ""
        parts.append(f"{d['severity']} line {d['line']} col {d['column']}: {d['message']}\n    {where}")
    return "\n".join(parts)


# -- the linter itself -------------------------------------------------------------------------
def test_linter_reports_errors_and_ignores_only_parameter_notices():
    results = run_lint(
        [
            {"id": "clean", "text": "MATCH (n:Person {id: $id}) RETURN n.name AS name LIMIT $limit"},
            {"id": "undefined-variable", "text": "MATCH (n) RETURN m"},
            {"id": "syntax", "text": "MATCH (n RETURN n"},
            {"id": "deprecated", "text": "MATCH (n) CALL { WITH n RETURN 1 AS one } RETURN one"},
        ]
    )
    by_id = {(r["id"], r["cypher"]): r for r in results}
    for version in CYPHER_VERSIONS:
        assert by_id[("clean", version)]["ok"], by_id[("clean", version)]
        assert not by_id[("syntax", version)]["ok"]
        assert any("not defined" in d["message"] for d in by_id[("undefined-variable", version)]["diagnostics"])
        assert not by_id[("deprecated", version)]["ok"]
        assert not any(d["message"].startswith("Parameter") for r in results for d in r["diagnostics"])


# -- every statement ---------------------------------------------------------------------------
@pytest.mark.parametrize("version", CYPHER_VERSIONS)
@pytest.mark.parametrize("key", sorted(STATEMENTS))
def test_neo4j_parser_accepts(key: str, version: str):
    diagnostics = lint_everything()[(key, version)]
    assert not diagnostics, f"Neo4j (Cypher {version}) rejects {key}:\n{_explain(key, diagnostics)}"


def test_every_kind_is_covered():
    kinds = {key.split(":", 1)[0] for key in STATEMENTS}
    assert kinds == {"query", "schema", "write"}
    assert sum(k.startswith("query:") for k in STATEMENTS) == len(LIBRARY.queries)
    keyed = {label for label, prop in indexed_properties() if prop == node_type(label).key}
    assert keyed == {n.label for n in NODE_TYPES}

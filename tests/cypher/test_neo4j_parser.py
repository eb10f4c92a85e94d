"""Every Cypher statement the product can send to Neo4j passes Neo4j's own parser.

No Neo4j server runs here; ``tests/cypher/lint_cypher.mjs`` runs ``lintCypherQuery``
of the npm package ``@neo4j-cypher/language-support`` (Neo4j's parser and semantic
checks) on each statement. Checked under Cypher 5 (the language of Neo4j 5 and the
default of Neo4j 2025.x): every named query in ``cypher/queries``, every internal
statement in ``cypher/internal`` (a template rendered for every schema name its
placeholders may take), the Neo4j schema templates rendered for every indexed (label,
property) of the schema (and exactly what the Neo4j adapter sends), and the write
Cypher of ``graph_service/store/cypher_gen.py`` for every node type and link type.
Also under Cypher 25: the queries, the internal statements (one rendering of each
template), the schema statements and one write statement of each kind (the write
statements of different types differ only in schema names, and Neo4j's analyser takes
up to a second each). The statements ``store.subgraph`` builds from its filters are
captured as sent and linted by
``test_queries_run.py::test_extraction_statements_pass_neo4j_parser``.

Only the "Parameter $x is not defined" notice is ignored (with no schema given, the
linter reports every parameter); any other diagnostic fails, warnings included.

The parser is installed from ``package-lock.json`` on first use (see
``neo4j_parser.py``); without Node.js these tests are skipped, and fail under CI=true.
"""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any

import pytest
from neo4j_parser import LINT, ensure_parser, package_version, run_lint

from graph_service.cypher_library import CypherLibrary, NamedQuery
from graph_service.schema import (
    ALL_LABELS,
    LINK_TYPES,
    NODE_TYPES,
    PERSON_ROLE_LABELS,
    indexed_link_properties,
    indexed_properties,
    node_type,
)
from graph_service.store import cypher_gen
from graph_service.store.neo4j_store import Neo4jStore

pytestmark = pytest.mark.slow

ALL_VERSIONS = ("5", "25")
CONSOLE_TEMPLATE = CypherLibrary().root.parent / "graph_service" / "api" / "templates" / "console.html"
LIBRARY = CypherLibrary()


# -- the statements: {key: (text, cypher versions)} ------------------------------------------
def query_statements() -> dict[str, tuple[str, tuple[str, ...]]]:
    return {f"query:{q.name}": (q.text, ALL_VERSIONS) for q in LIBRARY.queries.values()}


def schema_statements() -> dict[str, tuple[str, tuple[str, ...]]]:
    templates = LIBRARY.schema_templates("neo4j")
    found = {}
    for template in templates.values():
        if not template.template:
            found[f"schema:{template.name}"] = (template.render(), ALL_VERSIONS)
    for label, prop in indexed_properties():
        for template in (t for t in templates.values() if "label" in t.template):
            name = f"marsoc_{label.lower()}_{prop}_{template.name.removeprefix('neo4j-node-').replace('-', '_')}"
            text = template.render(name=name, label=label, property=prop)
            found[f"schema:{template.name}:{label}.{prop}"] = (text, ALL_VERSIONS)
    for type_name, prop in indexed_link_properties():
        for template in (t for t in templates.values() if "type" in t.template):
            text = template.render(name=f"marsoc_{type_name.lower()}_{prop}_index", type=type_name, property=prop)
            found[f"schema:{template.name}:{type_name}.{prop}"] = (text, ALL_VERSIONS)
    # Exactly what the Neo4j adapter sends (no driver is needed to build the statements).
    adapter = Neo4jStore(driver=None, database="neo4j")
    for n, text in enumerate(adapter._schema_statements()):
        found[f"schema:adapter:{n}"] = (text, ALL_VERSIONS)
    return found


# What each placeholder of an internal statement may hold (see store.port.schema_name).
PLACEHOLDER_VALUES: dict[str, tuple[str, ...]] = {
    "label": ALL_LABELS,
    "from_label": ALL_LABELS,
    "to_label": ALL_LABELS,
    "role": PERSON_ROLE_LABELS,
    "type": (*(t.type for t in LINK_TYPES), "SUSPECTED_COURIER"),
}


def _renderings(named: NamedQuery) -> dict[str, str]:
    """Every rendering of an internal statement: each placeholder takes each of its values
    in turn (the others their first value), so every schema name is checked once."""
    if not named.template:
        return {"": named.render()}
    first = {name: PLACEHOLDER_VALUES[name][0] for name in named.template}
    found = {}
    for name in named.template:
        for value in PLACEHOLDER_VALUES[name]:
            given = {**first, name: value}
            found[",".join(f"{k}={v}" for k, v in sorted(given.items()))] = named.render(**given)
    return found


def internal_statements() -> dict[str, tuple[str, tuple[str, ...]]]:
    found = {}
    for named in LIBRARY.internal.values():
        for n, (key, text) in enumerate(sorted(_renderings(named).items())):
            found[f"internal:{named.name}:{key}" if key else f"internal:{named.name}"] = (
                text,
                ALL_VERSIONS if n == 0 else ("5",),
            )
    return found


def _endpoint_pairs(from_labels: tuple[str, ...], to_labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """Pairs that use every declared endpoint label on each side at least once."""
    count = max(len(from_labels), len(to_labels))
    return [(from_labels[i % len(from_labels)], to_labels[i % len(to_labels)]) for i in range(count)]


# One statement of each kind is also checked under Cypher 25.
CYPHER_25_WRITES = {
    "write:upsert_nodes:Person+all-roles",
    "write:upsert_links:HELD_AT:Person->Establishment",
    "write:upsert_links:LIVES_IN:Person->Postcode",
    "write:accumulate_links:CALLED:Phone->Phone",
    "write:accumulate_summaries:CALLED:Phone->Phone",
}


def write_statements() -> dict[str, tuple[str, tuple[str, ...]]]:
    texts = {}
    for node in NODE_TYPES:
        texts[f"write:upsert_nodes:{node.label}"] = cypher_gen.upsert_nodes(node.label)
    for role in PERSON_ROLE_LABELS:
        texts[f"write:upsert_nodes:Person+{role}"] = cypher_gen.upsert_nodes("Person", (role,))
    texts["write:upsert_nodes:Person+all-roles"] = cypher_gen.upsert_nodes("Person", PERSON_ROLE_LABELS)
    # Every declared link type, and an intelligence type links.csv may add.
    types = [(t.type, t.from_labels, t.to_labels) for t in LINK_TYPES]
    types.append(("SUSPECTED_COURIER", ("Person", "Phone", "OCG"), ("Person", "Phone", "OCG")))
    for name, from_labels, to_labels in types:
        for a, b in _endpoint_pairs(from_labels, to_labels):
            texts[f"write:upsert_links:{name}:{a}->{b}"] = cypher_gen.upsert_links(name, a, b)
    for link in LINK_TYPES:
        for a, b in _endpoint_pairs(link.from_labels, link.to_labels) if link.aggregated else ():
            texts[f"write:accumulate_links:{link.type}:{a}->{b}"] = cypher_gen.accumulate_links(link.type, a, b)
            texts[f"write:accumulate_summaries:{link.type}:{a}->{b}"] = cypher_gen.accumulate_summaries(link.type, a, b)
    assert set(texts) >= CYPHER_25_WRITES
    return {key: (text, ALL_VERSIONS if key in CYPHER_25_WRITES else ("5",)) for key, text in texts.items()}


def console_statements() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The statement the console page offers when it opens."""
    page = (CONSOLE_TEMPLATE).read_text(encoding="utf-8")
    found = re.search(r'<textarea id="cypher-text"[^>]*>(.*?)</textarea>', page, flags=re.S)
    assert found, "the console page has no default statement"
    return {"console:default": (html.unescape(found.group(1)), ALL_VERSIONS)}


STATEMENTS = {
    **query_statements(),
    **internal_statements(),
    **schema_statements(),
    **write_statements(),
    **console_statements(),
}
CASES = sorted((key, version) for key, (_, versions) in STATEMENTS.items() for version in versions)

# Statements that must NOT pass: the linter itself is checked in the same run.
SELF_TEST = {
    "selftest:clean": "MATCH (n:Person {id: $id}) RETURN n.name AS name LIMIT $limit",
    "selftest:undefined-variable": "MATCH (n) RETURN m",
    "selftest:syntax": "MATCH (n RETURN n",
    "selftest:deprecated": "MATCH (n) CALL { WITH n RETURN 1 AS one } RETURN one",
}


# -- running the linter ---------------------------------------------------------------------
CACHE_KEY = "marsoc/neo4j-lint"


def _digest(text: str, version: str) -> str:
    """Identifies one lint result: the statement, the Cypher version, the linter script
    and the installed package version (a new parser version lints everything again)."""
    package = package_version()
    h = hashlib.sha256()
    for part in (package, LINT.read_text(encoding="utf-8"), version, text):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


@pytest.fixture(scope="module")
def linted(request: pytest.FixtureRequest) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Every distinct (statement, version) linted once, in one parallel run.

    Results are kept in pytest's cache (``.pytest_cache``), keyed by statement, version,
    lint script and package version, so a later run only lints what changed
    (``pytest --cache-clear`` lints everything again).
    """
    ensure_parser()
    wanted = {(STATEMENTS[key][0], version) for key, version in CASES}
    wanted |= {(text, version) for text in SELF_TEST.values() for version in ALL_VERSIONS}
    digests = {pair: _digest(*pair) for pair in wanted}
    cache = getattr(request.config, "cache", None)  # None with -p no:cacheprovider
    known: dict[str, list[dict[str, Any]]] = cache.get(CACHE_KEY, {}) if cache is not None else {}
    missing = sorted(pair for pair in wanted if digests[pair] not in known)
    if missing:
        found = run_lint([(str(n), text, version) for n, (text, version) in enumerate(missing)])
        for n, pair in enumerate(missing):
            known[digests[pair]] = found[(str(n), pair[1])]
        if cache is not None:
            cache.set(CACHE_KEY, {digests[pair]: known[digests[pair]] for pair in wanted})
    result = {(key, version): known[digests[(STATEMENTS[key][0], version)]] for key, version in CASES}
    for key, text in SELF_TEST.items():
        for version in ALL_VERSIONS:
            result[(key, version)] = known[digests[(text, version)]]
    return result


def _explain(text: str, diagnostics: list[dict[str, Any]]) -> str:
    lines = text.splitlines()
    parts = []
    for d in diagnostics:
        where = lines[d["line"] - 1] if 0 < d["line"] <= len(lines) else ""
        parts.append(f"{d['severity']} line {d['line']} col {d['column']}: {d['message']}\n    {where}")
    return "\n".join(parts)


# -- the linter itself -------------------------------------------------------------------------
@pytest.mark.parametrize("version", ALL_VERSIONS)
def test_linter_reports_errors_and_ignores_only_parameter_notices(linted, version: str):
    found = linted
    assert found[("selftest:clean", version)] == []  # $id and $limit: notices dropped
    assert found[("selftest:syntax", version)]
    assert any("not defined" in d["message"] for d in found[("selftest:undefined-variable", version)])
    assert any("deprecated" in d["message"] for d in found[("selftest:deprecated", version)])
    assert not any(d["message"].startswith("Parameter ") for ds in found.values() for d in ds)


# -- every statement ---------------------------------------------------------------------------
@pytest.mark.parametrize(("key", "version"), CASES, ids=[f"{k}@cypher{v}" for k, v in CASES])
def test_neo4j_parser_accepts(linted, key: str, version: str):
    diagnostics = linted[(key, version)]
    assert not diagnostics, f"Neo4j (Cypher {version}) rejects {key}:\n{_explain(STATEMENTS[key][0], diagnostics)}"


def test_every_kind_is_covered():
    assert {key.split(":", 1)[0] for key in STATEMENTS} == {"query", "internal", "schema", "write", "console"}
    assert sum(k.startswith("query:") for k in STATEMENTS) == len(LIBRARY.queries)
    internal = {key.split(":")[1] for key in STATEMENTS if key.startswith("internal:")}
    assert internal == set(LIBRARY.internal)
    rendered = {key.rsplit(":", 1)[1] for key in STATEMENTS if key.startswith("internal:label-node-ids:")}
    assert rendered == {f"label={label}" for label in ALL_LABELS}
    assert "schema:neo4j-await-indexes" in STATEMENTS
    link_indexes = {key.split(":")[2] for key in STATEMENTS if key.startswith("schema:neo4j-link-index:")}
    assert link_indexes == {f"{t.type}.load_run" for t in LINK_TYPES}
    assert {label for label, prop in indexed_properties() if prop == node_type(label).key} == {
        n.label for n in NODE_TYPES
    }
    written_types = {key.split(":")[2] for key in STATEMENTS if key.startswith("write:upsert_links:")}
    assert written_types >= {t.type for t in LINK_TYPES}
    accumulated = {key.split(":")[2] for key in STATEMENTS if key.startswith("write:accumulate_links:")}
    assert accumulated == {t.type for t in LINK_TYPES if t.aggregated} == {"CALLED", "VISITED"}
    summed = {key.split(":")[2] for key in STATEMENTS if key.startswith("write:accumulate_summaries:")}
    assert summed == accumulated

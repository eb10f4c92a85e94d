"""Every file of the ``cypher/`` library is well formed.

Queries: header (name, description, params), unique names, declared params equal to
the ``$params`` used, valid defaults, a bounded result, read-only, only the Cypher
both engines run, labels and link types the schema declares, listed in
``docs/queries.md``. The product's own statements (``cypher/internal``): the same
header plus a mode, declared params equal to those used, read statements read-only,
portable Cypher, declared labels and types, placeholders only of the kinds the store
checks against the schema, every one used by the product and listed in
``docs/queries.md``. Schema templates: header, no params, placeholders as declared.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from graph_service.cypher_library import CYPHER_DIR, CypherLibrary, NamedQuery, parse_file
from graph_service.schema import ALL_LABELS, LINK_TYPES_BY_NAME, RUN_LABEL, link_type

ROOT = CYPHER_DIR.parent
QUERY_FILES = sorted((CYPHER_DIR / "queries").glob("*.cypher"))
TEMPLATE_FILES = sorted((CYPHER_DIR / "schema").glob("*/*.cypher"))
INTERNAL_FILES = sorted((CYPHER_DIR / "internal").glob("*.cypher"))
LIBRARY = CypherLibrary()
QUERIES = [LIBRARY.queries[name] for name in sorted(LIBRARY.queries)]
INTERNAL = [LIBRARY.internal[name] for name in sorted(LIBRARY.internal)]
READ_INTERNAL = [q for q in INTERNAL if q.mode == "read"]
# The placeholder names the store port fills, each from the schema (see port.schema_name).
SCHEMA_PLACEHOLDERS = {"label", "from_label", "to_label", "role", "type"}
DOC = ROOT / "docs" / "queries.md"

# Words that make a statement write (or call procedures, which may write).
WRITE_WORDS = {"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "LOAD", "FOREACH", "CALL"}
# Constructs FalkorDB does not run (see /work/shared/spec/engines.md), or that Neo4j deprecates.
NOT_PORTABLE = {
    "=~": "regular expressions",
    "EXISTS {": "EXISTS subqueries (use a pattern predicate)",
    "COUNT {": "COUNT subqueries",
    "COLLECT {": "COLLECT subqueries",
    "CALL {": "CALL subqueries",
    "SHORTESTPATH": "shortestPath",
    "DATETIME(": "datetime()",
    "APOC.": "APOC procedures",
    "GDS.": "GDS procedures",
}


def _code(query: NamedQuery) -> str:
    """The statement without comments and with string literals blanked."""
    body = "\n".join(line.split("//", 1)[0] for line in query.text.splitlines())
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", body)


def test_library_loads():
    assert len(QUERY_FILES) >= 15
    assert len(LIBRARY.queries) == len(QUERY_FILES)
    assert set(LIBRARY.schema) >= {"falkordb", "neo4j"}
    assert len(LIBRARY.internal) == len(INTERNAL_FILES) >= 20
    assert len(LIBRARY.all_files()) == len(QUERY_FILES) + len(INTERNAL_FILES) + len(TEMPLATE_FILES)


@pytest.mark.parametrize(
    "path", QUERY_FILES + INTERNAL_FILES + TEMPLATE_FILES, ids=lambda p: str(p.relative_to(CYPHER_DIR))
)
def test_file_has_the_header(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert re.match(r"^// name: [a-z0-9]+(-[a-z0-9]+)*$", lines[0]), "first line must be '// name: kebab-case-name'"
    assert lines[1].startswith("// description: ") and lines[1].rstrip().endswith("."), (
        "second line: '// description: ... .'"
    )
    assert lines[2].startswith("// params:"), "third line: '// params: ...'"
    parsed = parse_file(path)
    assert parsed.description and parsed.text


def test_names_are_unique_across_the_library():
    names = [parse_file(p).name for p in QUERY_FILES + INTERNAL_FILES + TEMPLATE_FILES]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


@pytest.mark.parametrize("query", QUERIES + INTERNAL, ids=lambda q: q.name)
def test_file_name_follows_the_query_name(query: NamedQuery):
    assert query.path.name == query.name.replace("-", "_") + ".cypher"


@pytest.mark.parametrize("query", QUERIES + INTERNAL, ids=lambda q: q.name)
def test_declared_params_equal_used_params(query: NamedQuery):
    assert len(query.params) == len(set(query.params)), "a parameter is declared twice"
    assert set(query.params) == query.used_params()


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_defaults_are_valid(query: NamedQuery):
    assert set(query.defaults) <= set(query.params)
    for name, value in query.defaults.items():
        assert value is None or isinstance(value, (bool, int, float, str, list)), f"{name}: {value!r}"
    limit = query.defaults.get("limit")
    assert isinstance(limit, int) and not isinstance(limit, bool) and 1 <= limit <= 1000, (
        "limit needs a default 1..1000"
    )
    for name in ("since", "on_date"):
        value = query.defaults.get(name)
        assert value is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), f"{name} must be an ISO date"


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_result_is_bounded(query: NamedQuery):
    assert re.search(r"\bLIMIT\s+\$limit\s*$", _code(query).strip()), "the statement must end with LIMIT $limit"


@pytest.mark.parametrize("query", QUERIES + READ_INTERNAL, ids=lambda q: q.name)
def test_query_is_read_only(query: NamedQuery):
    words = set(re.findall(r"[A-Za-z_]+", _code(query).upper()))
    # property names (r.count, h.from...) are not clauses: drop words after a dot.
    props = set(re.findall(r"\.\s*([A-Za-z_]+)", _code(query).upper()))
    allowed = {"CALL"} if query in READ_INTERNAL and re.match(r"CALL db\.[A-Za-z]+\(\)", _code(query)) else set()
    found = (words - props) & (WRITE_WORDS - allowed)
    assert not found, f"write clause(s): {sorted(found)}"


@pytest.mark.parametrize("query", QUERIES + INTERNAL, ids=lambda q: q.name)
def test_query_uses_only_portable_cypher(query: NamedQuery):
    code = re.sub(r"\s+", " ", _code(query).upper()).replace("( ", "(")
    code = re.sub(r"\s*\{", " {", code)
    found = [why for token, why in NOT_PORTABLE.items() if token in code]
    assert not found, f"not runnable on both engines: {found}"


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_values_travel_as_parameters(query: NamedQuery):
    """No user-facing value is written into the text: literals only for schema names
    (link types in lists), 'in'/'out'-style labels of results and small numbers."""
    code = _code(query)
    # every string literal left after blanking is '' - check the original text instead
    body = "\n".join(line.split("//", 1)[0] for line in query.text.splitlines())
    for literal in re.findall(r"'((?:[^'\\]|\\.)*)'", body):
        assert literal in LINK_TYPES_BY_NAME or re.fullmatch(r"[a-z ]*|PIN ", literal), f"literal {literal!r}"
    assert "{id: '" not in code and "= '" not in code


def _labels_and_types(code: str) -> tuple[set[str], set[str]]:
    labels = set()
    for group in re.findall(r"\(\s*[A-Za-z_]*\s*((?::\s*[A-Za-z_]+\s*)+)", code):
        labels.update(x.strip() for x in group.split(":") if x.strip())
    labels.update(re.findall(r"\b(?:WHEN|WHERE|AND|OR|NOT)\s+[a-z_]+:([A-Za-z]+)", code))  # predicates: WHERE x:Person
    types = set()
    for group in re.findall(r"\[\s*[A-Za-z_]*\s*:\s*([A-Z_|]+)", code):
        types.update(t for t in group.split("|") if t)
    return labels, types


@pytest.mark.parametrize("query", QUERIES + INTERNAL, ids=lambda q: q.name)
def test_labels_and_link_types_are_declared(query: NamedQuery):
    code = re.sub(r"\{(" + "|".join(SCHEMA_PLACEHOLDERS) + r")\}", "Person", _code(query))
    labels, types = _labels_and_types(code)
    declared = {*ALL_LABELS, RUN_LABEL}  # the load-run records are the schema's own label too
    assert labels <= declared, f"undeclared label(s): {sorted(labels - declared)}"
    for name in types:
        link_type(name)  # raises SchemaError for a name that is not a link type
    body = "\n".join(line.split("//", 1)[0] for line in query.text.splitlines())
    for literal in re.findall(r"'([A-Z][A-Z_]+)'", body):
        assert literal in LINK_TYPES_BY_NAME, f"link type {literal!r} in a list is not declared"


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_pattern_comprehensions_use_distinct_variables(query: NamedQuery):
    """FalkorDB 4.22 returns an empty list for the second of two pattern comprehensions
    in one clause that introduce the same variable name (Neo4j does not): keep them distinct."""
    seen: dict[str, int] = {}
    for n, body in enumerate(re.findall(r"\[\s*\((.*?)\|", _code(query), flags=re.S)):
        for var in re.findall(r"[(\[]\s*([a-z_][A-Za-z0-9_]*)\s*:", body):
            assert seen.setdefault(var, n) == n, f"variable {var!r} introduced by two pattern comprehensions"


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(CYPHER_DIR)))
def test_schema_template_placeholders(path: Path):
    template = parse_file(path)
    assert template.params == (), "schema statements take placeholders, not parameters"
    used = {field for _, field, _, _ in string.Formatter().parse(template.text) if field}
    assert used == set(template.template)
    assert "$" not in template.text


@pytest.mark.parametrize("query", INTERNAL, ids=lambda q: q.name)
def test_internal_statement_header_and_placeholders(query: NamedQuery):
    lines = query.path.read_text(encoding="utf-8").splitlines()
    assert lines[3] in ("// mode: read", "// mode: write"), "fourth line: '// mode: read' or '// mode: write'"
    assert set(query.template) <= SCHEMA_PLACEHOLDERS, f"placeholders the store cannot fill: {query.template}"
    used = set(re.findall(r"\{([a-z_]+)\}", _code(query)))
    assert used == set(query.template), f"placeholders used {sorted(used)}, declared {sorted(query.template)}"
    if query.mode == "write":
        assert re.search(r"\b(CREATE|MERGE|SET|DELETE|REMOVE)\b", _code(query).upper()), "a write that writes nothing"


def _product_sources() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for d in ("graph_service", "loaders", "viz") for p in (ROOT / d).rglob("*.py")
    )


@pytest.mark.parametrize("query", INTERNAL, ids=lambda q: q.name)
def test_internal_statement_is_used_by_the_product(query: NamedQuery):
    assert re.search(rf"""["']{re.escape(query.name)}["']""", _product_sources()), f"{query.name} is not called"


def test_every_internal_statement_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for query in INTERNAL:
        assert f"`{query.name}`" in text, f"docs/queries.md does not list internal statement {query.name}"


def test_every_query_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for query in QUERIES:
        heading = re.search(rf"^### `{re.escape(query.name)}`\s*$", text, flags=re.M)
        assert heading, f"docs/queries.md has no '### `{query.name}`' section"
        section = text[heading.end() :].split("\n### ", 1)[0]
        for param in query.params:
            assert f"`{param}`" in section, f"docs/queries.md: {query.name} does not list parameter {param}"
    library = text.split("\n## The product's own statements", 1)[0]
    documented = set(re.findall(r"^### `([^`]+)`", library, flags=re.M))
    assert documented == set(LIBRARY.queries), (
        f"documented but not in the library: {sorted(documented - set(LIBRARY.queries))}"
    )


def test_params_header_keeps_list_and_string_defaults_whole(tmp_path):
    from graph_service.cypher_library import parse_file

    path = tmp_path / "q.cypher"
    path.write_text(
        '// name: q\n// description: d\n// params: evals=["1", "2"], label="a,b", limit=5\n'
        "MATCH (n) WHERE n.x IN $evals AND n.l = $label RETURN n LIMIT $limit\n"
    )
    query = parse_file(path)
    assert query.params == ("evals", "label", "limit")
    assert query.defaults == {"evals": ["1", "2"], "label": "a,b", "limit": 5}

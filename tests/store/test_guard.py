"""The console's statement guard: what may reach outside the store is refused, the
same words inside strings, names and comments are not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph_service.store.guard import ALLOWED_PROCEDURES, StatementRefused, check_console_statement, code_of

REFUSED = [
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "MATCH (n) WITH n LOAD CSV WITH HEADERS FROM n.url AS r RETURN r",
    "Load\n  Csv from $u as r return r",
    "CALL dbms.procedures()",
    "CALL dbms.listConfig()",
    "CALL algo.pageRank(null, null)",
    "CALL db.idx.fulltext.queryNodes('Person', 'x')",
    "CALL apoc.load.json('http://example.org')",
    "RETURN apoc.load.jsonParams('http://example.org', {}, null)",
    "CALL `apoc`.load.json('x')",
    "RETURN `apoc.text`.join(['a'], '')",
    "MATCH (n) RETURN n; MATCH (m) DETACH DELETE m",
    "RETURN 1 ; RETURN 2",
    "CALL db.labels() YIELD label CALL dbms.killQueries([]) RETURN label",
    "x" * 20_001,
    "RETURN " + "[" * 13 + "1" + "]" * 13,
    "RETURN " + "({a: [" * 5 + "1" + "]})" * 5,
    "UNWIND range(1, 300000000) AS x RETURN count(x)",
    "RETURN size(RANGE (0, 100000))",
    "MATCH (n) UNWIND range(1, n.count * 1000000) AS x RETURN x",
    "RETURN range(1, $n)",
    "RETURN range(1, 10, 0)",
    "RETURN range(1, 2",
    "RETURN size(reduce(s = 'ab', x IN range(1, 30) | s + s))",
    "RETURN size([x IN range(1, 2000) | range(1, 99999)])",
    "UNWIND range(1, 99999) AS a UNWIND range(1, 99999) AS b RETURN count(*)",
]
ALLOWED = [
    "MATCH (n:Person) RETURN n.name LIMIT 5",
    "MATCH (n) RETURN n;",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.relationshipTypes()",
    "MATCH (n) CALL { WITH n RETURN count(*) AS c } RETURN c",
    "MATCH (n) CALL (n) { RETURN n.id AS i } RETURN i",
    "RETURN date.truncate('month', date('2024-05-17')), duration.between(date(), date())",
    "MATCH (n {name: 'LOAD CSV FROM x; CALL dbms.x()'}) RETURN n",
    'MATCH (n) WHERE n.note = "apoc.load.json(1)" RETURN n',
    "MATCH (n) // LOAD CSV and CALL dbms.x() in a comment\nRETURN n",
    "MATCH (n) /* ; CALL x.y() */ RETURN n.call AS call_count",
    "MATCH (`LOAD CSV`) RETURN `LOAD CSV`",
    "RETURN " + "[" * 12 + "1" + "]" * 12,
    "RETURN '" + "[" * 40 + "'",
    "UNWIND range(1, 99999) AS x RETURN sum(x)",
    "RETURN range(10, 0, -2)",
    "RETURN range(0, 1000000, 100)",
    "MATCH (n) RETURN n.reduce AS reduce",
    "MATCH (n) RETURN n.range AS range",
]


@pytest.mark.parametrize("statement", REFUSED, ids=lambda s: s[:40])
def test_refused_with_a_reason(statement):
    with pytest.raises(StatementRefused) as refused:
        check_console_statement(statement)
    assert str(refused.value)


@pytest.mark.parametrize("statement", ALLOWED, ids=lambda s: s[:40])
def test_allowed(statement):
    assert check_console_statement(statement) == statement


def test_every_allowed_procedure_passes():
    for name in sorted(ALLOWED_PROCEDURES):
        check_console_statement(f"CALL {name}()")


@given(st.text(max_size=200))
def test_any_text_inside_a_string_is_only_a_string(text):
    quoted = "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    statement = f"MATCH (n) WHERE n.name = {quoted} RETURN n"
    assert check_console_statement(statement) == statement
    assert code_of(statement) == "MATCH (n) WHERE n.name = '' RETURN n"


def test_the_engine_cautions_examples_run():
    import doctest

    from graph_service.store import falkordb_store

    result = doctest.testmod(falkordb_store)
    assert result.failed == 0 and result.attempted >= 2

"""The embedded store's read path: one round trip per read, the row cap applied by the
engine, nodes and links decoded from the response the query returned."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph_service.settings import load_settings
from graph_service.store import GraphStore, LoadRun, QueryTimeout, open_store
from graph_service.store.capping import with_row_limit

RUN = LoadRun("read-path", now="2024-01-01T00:00:00+00:00")
PHONES = 3000  # a cartesian product of 9 million rows: about 20 s to build whole here


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    opened = open_store(load_settings(data_dir=tmp_path_factory.mktemp("read-path")))
    try:
        opened.upsert_nodes("Phone", [{"id": f"phone:{i}", "props": {"number": str(i)}} for i in range(PHONES)], RUN)
        rows = [{"src": "phone:1", "dst": "phone:2", "key": {}, "props": {"source": "t", "valid_from": "2024-01-01"}}]
        opened.accumulate_links(
            "CALLED",
            [{**rows[0], "events": [{"id": "c1", "at": "2024-01-01T10:00:00", "seconds": 5, "source": "t"}]}],
            RUN,
            "Phone",
            "Phone",
        )
        yield opened
    finally:
        opened.close()


ORIGINAL: list = []


def _sent(store: GraphStore) -> list[str]:
    sent: list[str] = []
    original = store._graph.execute_command  # type: ignore[attr-defined]
    ORIGINAL.append(original)

    def recording(*command):
        if command and command[0] in ("GRAPH.RO_QUERY", "GRAPH.QUERY"):
            sent.append(command[2])
        return original(*command)

    store._graph.execute_command = recording  # type: ignore[attr-defined]
    return sent


def test_the_engine_stops_at_the_row_cap(store):
    """Built whole, the product times out; capped, the engine stops after cap + 1 rows."""
    cartesian = "MATCH (a:Phone), (b:Phone) RETURN a.id, b.id"
    with pytest.raises(QueryTimeout):
        store._read(cartesian, {}, timeout_s=1, limit=None)
    result = store.query(cartesian, row_cap=5, timeout_s=1)
    assert len(result.rows) == 5 and result.truncated and result.columns == ["a.id", "b.id"]


def test_a_query_with_nodes_links_and_dates_runs_once(store):
    sent = _sent(store)
    try:
        result = store.query(
            "MATCH (a:Phone {id: 'phone:1'})-[r:CALLED]->(b) RETURN a, r, b, date('2024-02-03') AS d", row_cap=10
        )
    finally:
        store._graph.execute_command = ORIGINAL.pop()
    assert len([s for s in sent if "MATCH (a:Phone" in s]) == 1
    a, r, b, d = result.rows[0]
    assert a["labels"] == ["Phone"] and a["properties"]["id"] == "phone:1"
    assert r["type"] == "CALLED" and r["properties"]["count"] == 1
    assert b["properties"]["number"] == "2" and d == "2024-02-03"


@pytest.mark.parametrize(
    ("cypher", "params", "expected"),
    [
        ("MATCH (n) RETURN n", {}, "MATCH (n) RETURN n\nLIMIT 6"),
        ("MATCH (n) RETURN n // a comment", {}, "MATCH (n) RETURN n // a comment\nLIMIT 6"),
        ("MATCH (n) RETURN n;", {}, "MATCH (n) RETURN n\nLIMIT 6"),
        ("MATCH (n) RETURN n LIMIT 100", {}, "MATCH (n) RETURN n LIMIT 6"),
        ("MATCH (n) RETURN n LIMIT 2", {}, "MATCH (n) RETURN n LIMIT 2"),
        (
            "MATCH (n) RETURN n ORDER BY n.limit SKIP 3 LIMIT $limit",
            {"limit": 9},
            "MATCH (n) RETURN n ORDER BY n.limit SKIP 3 LIMIT 6",
        ),
        (
            "MATCH (n) WHERE n.name = 'RETURN x LIMIT 1' RETURN n",
            {},
            "MATCH (n) WHERE n.name = 'RETURN x LIMIT 1' RETURN n\nLIMIT 6",
        ),
        ("CALL { MATCH (n) RETURN n LIMIT 1 } RETURN n", {}, "CALL { MATCH (n) RETURN n LIMIT 1 } RETURN n\nLIMIT 6"),
        ("CALL db.labels() YIELD label RETURN label", {}, "CALL db.labels() YIELD label RETURN label\nLIMIT 6"),
        ("MATCH (n) RETURN n.id AS id UNION MATCH (m) RETURN m.id AS id", {}, None),
        ("CALL db.labels()", {}, None),
        ("MATCH (n) RETURN n LIMIT toInteger($x)", {"x": 3}, None),
        ("MATCH (n) RETURN n LIMIT $missing", {}, None),
        ("MATCH (n) RETURN n /* LIMIT 1 */", {}, "MATCH (n) RETURN n /* LIMIT 1 */\nLIMIT 6"),
    ],
)
def test_with_row_limit(cypher, params, expected):
    assert with_row_limit(cypher, 6, params) == expected


def test_statements_the_cap_cannot_edit_are_still_capped(store):
    union = "MATCH (n:Phone) RETURN n.id AS id UNION ALL MATCH (m:Phone) RETURN m.id AS id"
    result = store.query(union, row_cap=7)
    assert len(result.rows) == 7 and result.truncated


def test_the_cap_keeps_columns_order_and_the_query_own_smaller_limit(store):
    result = store.query("MATCH (n:Phone) RETURN n.number AS b, n.id AS a ORDER BY a LIMIT 3", row_cap=10)
    assert result.columns == ["b", "a"] and len(result.rows) == 3 and not result.truncated
    assert [r[1] for r in result.rows] == sorted(f"phone:{i}" for i in range(PHONES))[:3]


@pytest.mark.parametrize(
    "cypher",
    [
        "MATCH (a:Phone), (b:Phone) RETURN a.id AS x, b.id AS set",
        "MATCH (a:Phone), (b:Phone) RETURN a.id AS limit, b.id AS y",
        "MATCH (a:Phone), (b:Phone) RETURN a.id AS x, b.id AS y UNION ALL MATCH (n:Phone) RETURN n.id AS x, n.id AS y",
        "MATCH (a:Phone), (b:Phone) RETURN b.id AS zed, a.id AS alpha UNION MATCH (n:Phone) RETURN 1 AS zed, 2 AS alpha",
    ],
)
def test_statements_whose_end_cannot_be_edited_are_capped_by_the_engine(store, cypher):
    """Wrapped in a subquery, a cartesian product stops at the cap: with a one-second
    limit it answers; built whole it would take about 20 s."""
    result = store.query(cypher, {"n": 10**9}, row_cap=5, timeout_s=1)
    assert len(result.rows) == 5 and result.truncated
    assert result.columns[0] in ("x", "limit", "zed")  # the statement's own column order, not RETURN *'s


def test_trailing_semicolons_and_bad_parameter_names(store):
    assert len(store.query("MATCH (n:Phone) RETURN n.id AS id; ; ", row_cap=6).rows) == 6
    from graph_service.store import StoreError

    for params in ({"a`b": 1}, {"": 1}, {"x": "a\x00b"}, {"x": ["\udb8a"]}):
        with pytest.raises(StoreError, match="bad parameter"):
            store.query("RETURN 1 AS x", params, row_cap=5)
    with pytest.raises(StoreError, match="bad parameter"):
        store.query("RETURN 1 AS x", {"a`b": 1})


def test_return_columns():
    from graph_service.store.capping import return_columns

    assert return_columns("MATCH (n) RETURN DISTINCT n.id AS `the id`, [x IN [1, 2] | x] AS xs") == ["the id", "xs"]
    assert return_columns("MATCH (n) RETURN *") is None
    assert return_columns("CALL db.labels()") is None

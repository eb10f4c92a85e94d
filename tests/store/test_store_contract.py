"""The store contract, run against every adapter (see conftest.py)."""

from __future__ import annotations

import pytest

from graph_service.cypher_library import MissingParameter, UnknownQuery
from graph_service.schema import SchemaError
from graph_service.store import GraphStore, LoadRun, QueryTimeout, ReadOnlyViolation, SubgraphFilter

RUN1 = LoadRun("run-1", now="2026-01-01T00:00:00+00:00")
RUN2 = LoadRun("run-2", now="2026-02-01T00:00:00+00:00")


def person(pid: str, name: str, **props) -> dict:
    return {"id": pid, "props": {"name": name, "source": "test.csv", "source_ref": f"test.csv:{pid}", **props}}


def link(src: str, dst: str, key: dict | None = None, **props) -> dict:
    base = {"source": "test.csv", "source_ref": f"{src}->{dst}", "source_eval": "1", "intel_eval": "A", "handling": "P"}
    return {"src": src, "dst": dst, "key": key or {}, "props": {**base, **props}}


def build_small_world(store: GraphStore, run: LoadRun = RUN1) -> None:
    """Two prisoners at one prison, a visitor of both, a member of staff, a phone."""
    store.upsert_nodes(
        "Person",
        [person("prisoner:A1111AA", "Adam ONE"), person("prisoner:B2222BB", "Bea TWO")],
        run,
        extra_labels=("Prisoner",),
    )
    store.upsert_nodes("Person", [person("visitor:V1", "Vic VISITOR")], run, extra_labels=("Visitor",))
    store.upsert_nodes("Person", [person("staff:S1", "Sam STAFF")], run, extra_labels=("Staff",))
    store.upsert_nodes("Establishment", [{"id": "establishment:BXI", "props": {"code": "BXI"}}], run)
    store.upsert_nodes("Phone", [{"id": "phone:+447700900001", "props": {"number": "+447700900001"}}], run)
    store.upsert_links(
        "HELD_AT",
        [
            link(
                "prisoner:A1111AA",
                "establishment:BXI",
                {"from": "2020-01-01"},
                valid_from="2020-01-01",
                valid_to="2021-01-01",
            ),
            link("prisoner:A1111AA", "establishment:BXI", {"from": "2023-05-01"}, valid_from="2023-05-01"),
            link("prisoner:B2222BB", "establishment:BXI", {"from": "2024-01-01"}, valid_from="2024-01-01"),
        ],
        run,
        "Person",
        "Establishment",
    )
    store.upsert_links(
        "EMPLOYED_AT",
        [link("staff:S1", "establishment:BXI", {"from": "2019-01-01", "role": "OSG"}, valid_from="2019-01-01")],
        run,
        "Person",
        "Establishment",
    )
    store.upsert_links(
        "VISITED",
        [
            link("visitor:V1", "prisoner:A1111AA", valid_from="2020-03-01", valid_to="2020-06-01"),
            link("visitor:V1", "prisoner:B2222BB", valid_from="2024-03-01", valid_to="2024-04-01"),
        ],
        run,
        "Person",
        "Person",
    )
    store.upsert_links(
        "USES_PHONE",
        [link("visitor:V1", "phone:+447700900001", {"attribution_source": "declared"})],
        run,
        "Person",
        "Phone",
    )


def edge_set(graph) -> set[tuple[str, str, str]]:
    return {(u, v, d["type"]) for u, v, d in graph.edges(data=True)}


def test_ensure_schema_twice_is_harmless(store):
    store.ensure_schema()
    store.ensure_schema()
    assert store.counts() == {"nodes": {}, "links": {}}


def test_upserts_are_idempotent(store):
    build_small_world(store, RUN1)
    first = store.counts()
    build_small_world(store, RUN2)
    assert store.counts() == first
    assert first["nodes"] == {"Establishment": 1, "Person": 4, "Phone": 1, "Prisoner": 2, "Staff": 1, "Visitor": 1}
    assert first["links"] == {"EMPLOYED_AT": 1, "HELD_AT": 3, "USES_PHONE": 1, "VISITED": 2}
    assert store.link_counts() == first["links"]


def test_provenance_on_every_node_and_link(store):
    build_small_world(store, RUN1)
    build_small_world(store, RUN2)
    graph = store.subgraph()
    for _, data in graph.nodes(data=True):
        assert data["firstseen"] == RUN1.now
        assert data["lastupdated"] == RUN2.now
        assert data["load_run"] == "run-2"
    for _, _, data in graph.edges(data=True):
        assert data["firstseen"] == RUN1.now and data["lastupdated"] == RUN2.now
        assert data["source"] == "test.csv" and data["source_ref"]
        assert (data["source_eval"], data["intel_eval"], data["handling"]) == ("1", "A", "P")


def test_persons_carry_several_role_labels(store):
    build_small_world(store)
    # The visitor is also a police nominal: a second source adds its role label.
    store.upsert_nodes("Person", [person("visitor:V1", "Vic VISITOR")], RUN2, extra_labels=("Nominal",))
    labels = store.subgraph().nodes["visitor:V1"]["labels"]
    assert labels == ["Nominal", "Person", "Visitor"]
    assert store.counts()["nodes"]["Nominal"] == 1


def test_transfers_back_are_separate_periods(store):
    build_small_world(store)
    graph = store.subgraph(SubgraphFilter(link_types=("HELD_AT",)))
    periods = sorted(d["from"] for u, v, d in graph.edges(data=True) if u == "prisoner:A1111AA")
    assert periods == ["2020-01-01", "2023-05-01"]


def test_links_to_missing_nodes_are_not_written(store):
    build_small_world(store)
    written = store.upsert_links("VISITED", [link("visitor:V1", "prisoner:NOPE")], RUN1, "Person", "Person")
    assert written == 0
    assert store.counts()["links"]["VISITED"] == 2


def test_accumulated_links_count_each_event_once(store):
    build_small_world(store)
    store.upsert_nodes("Phone", [{"id": "phone:+447700900002", "props": {}}], RUN1)
    events = [
        {"id": "c1", "at": "2024-01-02T10:00:00", "seconds": 30, "source": "cdr", "place": None},
        {"id": "c2", "at": "2024-01-01T09:00:00", "seconds": 10, "source": "pin", "place": "BXI"},
    ]
    row = {"src": "phone:+447700900001", "dst": "phone:+447700900002", "props": {"source": "calls.csv"}}
    assert store.accumulate_links("CALLED", [{**row, "events": events}], RUN1, "Phone", "Phone") == 2
    assert store.accumulate_links("CALLED", [{**row, "events": events}], RUN1, "Phone", "Phone") == 0
    later = [*events[1:], {"id": "c3", "at": "2025-03-01T00:00:00", "seconds": 5, "source": "cdr", "place": None}]
    assert store.accumulate_links("CALLED", [{**row, "events": later}], RUN2, "Phone", "Phone") == 1
    ((_, _, data),) = store.subgraph(SubgraphFilter(link_types=("CALLED",))).edges(data=True)
    assert data["count"] == 3
    assert data["total_seconds"] == 45
    assert data["first"] == "2024-01-01T09:00:00" and data["last"] == "2025-03-01T00:00:00"
    assert sorted(data["sources"]) == ["cdr", "pin"]
    assert data["establishments"] == ["BXI"]
    assert (data["valid_from"], data["valid_to"]) == ("2024-01-01", "2025-03-01")
    assert data["night_count"] == 1  # c3 at 00:00; c1 (10:00) and c2 (09:00) are daytime


def _night_events(prefix: str, times: list[str]) -> list[dict]:
    return [
        {"id": f"{prefix}{n}", "at": at, "seconds": 10, "source": "cdr", "place": None} for n, at in enumerate(times)
    ]


def test_night_count_counts_calls_started_between_midnight_and_six(store):
    """``night_count``: calls started 00:00-05:59, each counted once, summed or event by event."""
    build_small_world(store)
    store.upsert_nodes("Phone", [{"id": "phone:+447700900002", "props": {}}], RUN1)
    row = {"src": "phone:+447700900001", "dst": "phone:+447700900002", "props": {"source": "calls.csv"}}
    times = ["2024-01-01T00:00:00", "2024-01-01T05:59:59", "2024-01-01T06:00:00", "2024-01-01T23:59:00"]
    first = _night_events("n", times)
    assert store.accumulate_links("CALLED", [{**row, "events": first}], RUN1, "Phone", "Phone") == 4  # summed
    # An overlapping export (n0 again, two new night calls): written event by event.
    again = [first[0], *_night_events("m", ["2024-02-01T03:15:00", "2024-02-01T04:00:00"])]
    assert store.accumulate_links("CALLED", [{**row, "events": again}], RUN2, "Phone", "Phone") == 2
    ((_, _, data),) = store.subgraph(SubgraphFilter(link_types=("CALLED",))).edges(data=True)
    assert (data["count"], data["night_count"]) == (6, 4)
    # Visits carry no night count (their events are dates).
    visits = store.subgraph(SubgraphFilter(link_types=("VISITED",)))
    assert all("night_count" not in d for *_, d in visits.edges(data=True))


def test_a_link_written_before_night_count_counts_from_zero(store):
    from graph_service.analytics.projection import person_graph
    from graph_service.analytics.scoping import scope_graph

    build_small_world(store)
    store.upsert_nodes("Phone", [{"id": "phone:+447700900002", "props": {}}], RUN1)
    store.upsert_links(
        "USES_PHONE",
        [link("staff:S1", "phone:+447700900001", {"attribution_source": "declared"}, attribution_source="declared")],
        RUN1,
        "Person",
        "Phone",
    )
    store.upsert_links(
        "USES_PHONE",
        [link("visitor:V1", "phone:+447700900002", {"attribution_source": "declared"}, attribution_source="declared")],
        RUN1,
        "Person",
        "Phone",
    )
    # A CALLED link as an older load wrote it: counts and ids, no night_count.
    store.execute_write(
        "MATCH (a:Phone {id: $a}), (b:Phone {id: $b}) "
        "CREATE (a)-[:CALLED {count: 2, event_ids: ['o1', 'o2'], total_seconds: 20, sources: ['cdr'], "
        "establishments: [], first: '2023-01-01T01:00:00', last: '2023-01-02T02:00:00'}]->(b)",
        {"a": "phone:+447700900001", "b": "phone:+447700900002"},
    )
    graph = store.subgraph()
    old = graph["phone:+447700900001"]["phone:+447700900002"]["CALLED"]
    assert "night_count" not in old
    items = person_graph(scope_graph(graph))["staff:S1"]["visitor:V1"]["evidence"]
    (call,) = [i for i in items if i["kind"] == "call" and "phone:+447700900002" in i["via"]]
    assert call["night_count"] == 0  # read as 0
    row = {"src": "phone:+447700900001", "dst": "phone:+447700900002", "props": {"source": "calls.csv"}}
    new = _night_events("x", ["2024-03-01T02:00:00", "2024-03-01T12:00:00"])
    assert store.accumulate_links("CALLED", [{**row, "events": new}], RUN2, "Phone", "Phone") == 2
    ((_, _, data),) = store.subgraph(SubgraphFilter(link_types=("CALLED",))).edges(data=True)
    assert (data["count"], data["night_count"]) == (4, 1)  # the old calls' hours are not known: 0


def _called_links(store: GraphStore) -> dict[tuple[str, str], dict]:
    graph = store.subgraph(SubgraphFilter(link_types=("CALLED",), event_ids=True))
    return {
        (u, v): {k: x for k, x in d.items() if k not in ("firstseen", "lastupdated")}
        for u, v, d in graph.edges(data=True)
    }


def test_summed_and_event_by_event_writes_agree_and_overlaps_count_once(store):
    from graph_service.store import cypher_gen

    build_small_world(store)
    phones = [f"phone:+4477009000{n:02d}" for n in range(1, 6)]
    store.upsert_nodes("Phone", [{"id": p, "props": {}} for p in phones], RUN1)

    def rows(numbers: range) -> list[dict]:
        out = {}
        for n in numbers:
            src, dst = phones[n % 2], phones[2 + n % 3]
            event = {
                "id": f"c{n}",
                "at": f"2024-0{1 + n % 9}-1{n % 10}T10:00:00",
                "seconds": n,
                "source": ("cdr", "pin", None)[n % 3],
                "place": ("BXI", None, "WWI", None)[n % 4],
            }
            out.setdefault((src, dst), {"src": src, "dst": dst, "props": {"source": "calls.csv"}, "events": []})
            out[(src, dst)]["events"].append(event)
        return list(out.values())

    events = cypher_gen.accumulate_links("CALLED", "Phone", "Phone")
    event_rows: list[int] = []
    original = store._sum_written

    def spy(cypher, rows_, run, key):
        if cypher == events:
            event_rows.append(len(rows_))
        return original(cypher, rows_, run, key)

    fresh_pair = {
        "src": phones[4],
        "dst": phones[0],
        "props": {"source": "calls.csv"},
        "events": [{"id": "c100", "at": "2024-05-05T05:00:00", "seconds": 7, "source": "cdr", "place": None}],
    }
    store.batch_size = 2  # several statements per call
    store._sum_written = spy
    assert store.accumulate_links("CALLED", rows(range(0, 20)), RUN1, "Phone", "Phone") == 20
    assert event_rows == []  # nothing counted before: every row summed
    # An overlapping export: c10..c19 again and c20..c29 new over the same pairs, and a new pair.
    again = [*rows(range(10, 30)), fresh_pair]  # the new pair alone in the last batch
    assert store.accumulate_links("CALLED", again, RUN1, "Phone", "Phone") == 11
    assert 0 < sum(event_rows) < len(again)  # only batches holding an overlapping row, event by event
    del store._sum_written
    summed = _called_links(store)
    assert sum(d["count"] for d in summed.values()) == 31
    assert sorted(i for d in summed.values() for i in d["event_ids"]) == sorted([*(f"c{n}" for n in range(30)), "c100"])

    store.execute_write("MATCH ()-[r:CALLED]->() DELETE r")
    for part in (rows(range(0, 20)), again):
        store._sum_written(events, part, RUN1, "new_events")
    by_event = _called_links(store)
    assert {k: {**d, "event_ids": sorted(d["event_ids"])} for k, d in summed.items()} == {
        k: {**d, "event_ids": sorted(d["event_ids"])} for k, d in by_event.items()
    }


def test_event_id_lists_stay_in_the_store_unless_asked_for(store):
    build_small_world(store)
    store.upsert_nodes("Phone", [{"id": "phone:+447700900002", "props": {}}], RUN1)
    events = [
        {"id": f"c{n}", "at": f"2024-01-0{n}T10:00:00", "seconds": n, "source": "cdr", "place": None}
        for n in range(1, 4)
    ]
    row = {"src": "phone:+447700900001", "dst": "phone:+447700900002", "props": {"source": "calls.csv"}}
    store.accumulate_links("CALLED", [{**row, "events": events}], RUN1, "Phone", "Phone")
    lean, full = store.subgraph(), store.subgraph(SubgraphFilter(event_ids=True))
    assert sorted(full["phone:+447700900001"]["phone:+447700900002"]["CALLED"]["event_ids"]) == ["c1", "c2", "c3"]
    # Apart from the id lists, both extractions hold the same links with the same properties.
    without_ids = {
        (u, v, k): {a: x for a, x in d.items() if a != "event_ids"} for u, v, k, d in full.edges(keys=True, data=True)
    }
    assert {(u, v, k): d for u, v, k, d in lean.edges(keys=True, data=True)} == without_ids
    assert {d["type"] for *_, d in lean.edges(keys=True, data=True)} >= {"CALLED", "VISITED", "HELD_AT"}
    assert dict(lean.nodes(data=True)) == dict(full.nodes(data=True))
    # Only the aggregated type asked for, and a neighbourhood: the same rule.
    for flt in (SubgraphFilter(link_types=("CALLED",)), SubgraphFilter(node_ids=("phone:+447700900002",), hops=1)):
        ((_, _, called),) = [e for e in store.subgraph(flt).edges(data=True) if e[2]["type"] == "CALLED"]
        assert "event_ids" not in called and called["count"] == 3
        asked = SubgraphFilter(**{**flt.__dict__, "event_ids": True})
        ((_, _, called),) = [e for e in store.subgraph(asked).edges(data=True) if e[2]["type"] == "CALLED"]
        assert sorted(called["event_ids"]) == ["c1", "c2", "c3"]


def test_unread_properties_stay_in_the_store_but_a_links_declared_key(store):
    build_small_world(store)
    reports = [
        {
            **link("prisoner:A1111AA", "visitor:V1", {"source_ref": ref}),
            "props": {**link("a", "b")["props"], "source_ref": ref},
        }
        for ref in ("IR-1", "IR-2")
    ]
    assert store.upsert_links("FINANCIAL", reports, RUN2, "Person", "Person") == 2
    unread = frozenset({"source_ref", "firstseen", "lastupdated", "load_run"})
    full = store.subgraph()
    for flt in (SubgraphFilter(unread=unread), SubgraphFilter(unread=unread, runs=("run-1", "run-2"))):
        lean = store.subgraph(flt)
        assert dict(lean.nodes(data=True)) == {
            n: {k: v for k, v in d.items() if k not in unread} for n, d in full.nodes(data=True)
        }
        kept = {"FINANCIAL": {"source_ref"}}  # two reports on one pair stay two
        # Which of two links of one type is keyed ``TYPE#2`` follows the read's order.
        assert sorted((u, v, sorted(d.items())) for u, v, d in lean.edges(data=True)) == sorted(
            (u, v, sorted((a, x) for a, x in d.items() if a not in unread - kept.get(d["type"], set())))
            for u, v, d in full.edges(data=True)
        )
        assert sorted(d["source_ref"] for *_, d in lean.edges(data=True) if d["type"] == "FINANCIAL") == [
            "IR-1",
            "IR-2",
        ]


def test_only_aggregated_link_types_accumulate(store):
    with pytest.raises(SchemaError, match="not declared as an aggregated"):
        store.accumulate_links("HELD_AT", [], RUN1, "Person", "Establishment")


def test_subgraph_filters(store):
    build_small_world(store)
    everything = store.subgraph()
    assert everything.number_of_nodes() == 6 and everything.number_of_edges() == 7

    people = store.subgraph(SubgraphFilter(labels=("Person",)))
    assert set(people) == {"prisoner:A1111AA", "prisoner:B2222BB", "visitor:V1", "staff:S1"}
    assert edge_set(people) == {
        ("visitor:V1", "prisoner:A1111AA", "VISITED"),
        ("visitor:V1", "prisoner:B2222BB", "VISITED"),
    }

    visits = store.subgraph(SubgraphFilter(link_types=("VISITED",)))
    assert {d["type"] for _, _, d in visits.edges(data=True)} == {"VISITED"}

    in_2020 = store.subgraph(SubgraphFilter(since="2020-01-01", until="2020-12-31"))
    assert edge_set(in_2020) == {
        ("prisoner:A1111AA", "establishment:BXI", "HELD_AT"),
        ("staff:S1", "establishment:BXI", "EMPLOYED_AT"),
        ("visitor:V1", "prisoner:A1111AA", "VISITED"),
        ("visitor:V1", "phone:+447700900001", "USES_PHONE"),  # no period: always kept
    }

    one_hop = store.subgraph(SubgraphFilter(node_ids=("prisoner:B2222BB",), hops=1))
    assert set(one_hop) == {"prisoner:B2222BB", "visitor:V1", "establishment:BXI"}
    two_hops = store.subgraph(SubgraphFilter(node_ids=("prisoner:B2222BB",), hops=2, link_types=("VISITED",)))
    assert set(two_hops) == {"prisoner:B2222BB", "visitor:V1", "prisoner:A1111AA"}

    capped = store.subgraph(SubgraphFilter(node_ids=("establishment:BXI",), hops=2, max_nodes=3))
    assert capped.number_of_nodes() == 3 and capped.graph["capped"] is True
    folded = capped.graph["folded"]  # what was left out, every node in one group
    assert sum(g["count"] for g in folded["groups"]) == folded["count"] > 0
    assert all(parent in capped for g in folded["groups"] for parent, _ in g["links"])
    assert store.subgraph(SubgraphFilter(node_ids=("staff:S1",), hops=1)).graph["capped"] is False


def test_a_light_neighbourhood_read_is_the_full_one_with_fewer_properties(store, monkeypatch):
    from graph_service.store import port

    build_small_world(store)
    base = {"node_ids": ("establishment:BXI",), "hops": 2}
    full = store.subgraph(SubgraphFilter(**base))
    light = store.subgraph(SubgraphFilter(**base, node_properties=("name",), link_properties=("from", "count")))
    assert set(light) == set(full) and edge_set(light) == edge_set(full)
    for node, attrs in light.nodes(data=True):
        assert attrs == {k: v for k, v in full.nodes[node].items() if k in ("name", "labels")}
    for u, v, k, attrs in light.edges(keys=True, data=True):
        assert attrs == {a: x for a, x in full.edges[u, v, k].items() if a in ("from", "count", "type")}
    # Past FAR_END_CHECK_MAX the far ends are checked here, not by the engine: the same links.
    monkeypatch.setattr(port, "FAR_END_CHECK_MAX", 0)
    assert edge_set(store.subgraph(SubgraphFilter(**base))) == edge_set(full)
    for bad in ("id", "labels", "a`b", "x) DETACH DELETE (n"):
        with pytest.raises(ValueError, match="not a property name"):
            SubgraphFilter(**base, link_properties=(bad,))


def test_subgraph_rejects_labels_outside_the_schema(store):
    with pytest.raises(SchemaError):
        SubgraphFilter(labels=("Person) DETACH DELETE (n",))
    with pytest.raises(SchemaError):
        SubgraphFilter(link_types=("lower case",))


def test_generic_networks_live_side_by_side(store):
    for name in ("alpha", "beta"):
        store.upsert_nodes(
            "Actor", [{"id": f"net:{name}:{i}", "props": {"network": name, "label": str(i)}} for i in range(3)], RUN1
        )
        store.upsert_links(
            "CONNECTED_TO",
            [
                {
                    "src": f"net:{name}:0",
                    "dst": f"net:{name}:{i}",
                    "key": {"network": name},
                    "props": {"network": name, "weight": i},
                }
                for i in (1, 2)
            ],
            RUN1,
            "Actor",
            "Actor",
        )
    alpha = store.subgraph(SubgraphFilter(network="alpha"))
    assert set(alpha) == {"net:alpha:0", "net:alpha:1", "net:alpha:2"}
    assert alpha.number_of_edges() == 2


def test_read_only_queries_refuse_writes_and_change_nothing(store):
    build_small_world(store)
    before = store.counts()
    for statement in (
        "CREATE (:Person {id: 'x'})",
        "MATCH (n) DETACH DELETE n",
        "MATCH (n:Person) SET n.name = 'changed'",
    ):
        with pytest.raises(ReadOnlyViolation):
            store.query(statement)
    assert store.counts() == before
    names = {r["name"] for r in store.query("MATCH (n:Person) RETURN n.name AS name").records()}
    assert "changed" not in names


def test_query_results_are_plain_values_with_a_row_cap(store):
    build_small_world(store)
    result = store.query(
        "MATCH (p:Person)-[r:VISITED]->(q:Person) RETURN p, r, q.id AS prisoner, date('2024-01-02') AS day "
        "ORDER BY prisoner",
        row_cap=1,
    )
    assert result.truncated is True and len(result.rows) == 1
    visitor, visit, prisoner, day = result.rows[0]
    assert visitor["labels"] == ["Person", "Visitor"] and visitor["properties"]["id"] == "visitor:V1"
    assert visit["type"] == "VISITED" and visit["properties"]["valid_from"] == "2020-03-01"
    assert prisoner == "prisoner:A1111AA"
    assert day == "2024-01-02"
    assert result.columns == ["p", "r", "prisoner", "day"]


def test_parameters_travel_as_parameters(store):
    build_small_world(store)
    hostile = "x' OR 1=1 //"
    result = store.query("MATCH (p:Person) WHERE p.id = $id RETURN p.id AS id", {"id": hostile})
    assert result.rows == []


def test_query_timeout(store):
    if store.engine not in {"embedded", "falkordb"}:
        pytest.skip("timeout checked on FalkorDB; Neo4j enforces it through the transaction timeout")
    with pytest.raises(QueryTimeout):
        store.query("UNWIND range(1, 50000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)", timeout_s=0.001)


def test_named_queries_need_their_parameters(store):
    with pytest.raises(UnknownQuery):
        store.run_named("no-such-query")
    with_params = [q for q in store.library.queries.values() if set(q.params) - set(q.defaults)]
    if not with_params:
        pytest.skip("the library has no query with a required parameter")
    with pytest.raises(MissingParameter):
        store.run_named(with_params[0].name, {})


def test_a_node_by_id_as_an_agency_may_see_it(store):
    store.upsert_nodes("Person", [{"id": "prisoner:A1111AA", "props": {"name": "Ann"}}], RUN1, ("Prisoner",))
    store.upsert_nodes("Person", [{"id": "person:P9", "props": {"name": "Pat"}, "only": ["police"]}], RUN1)
    found = store.node("prisoner:A1111AA", "hmpps")
    assert found is not None and found["labels"] == ["Person", "Prisoner"] and found["properties"]["name"] == "Ann"
    assert store.node("person:P9", "police") is not None and store.node("person:P9", None) is not None
    # restricted to another agency, absent, or no label for its namespace: the same answer
    assert store.node("person:P9", "hmpps") is None
    assert store.node("prisoner:ZZZZ", "police") is None and store.node("nonsense:1", "police") is None

from __future__ import annotations

import networkx as nx
import pytest

from graph_service.analytics.errors import InvalidScope
from graph_service.analytics.projection import person_graph
from graph_service.analytics.scoping import Scope, identity_groups, link_in_scope, scope_graph
from graph_service.multigraph import links
from graph_service.visibility import node_visible


def types(g):
    return sorted({d["type"] for _, _, d in g.edges(data=True)})


def test_identity_merge_contracts_canonical_ids(small_world):
    g = scope_graph(small_world)
    assert "visitor:V2" not in g
    assert g.nodes["staff:S2"]["merged_ids"] == ["staff:S2", "visitor:V2"]
    assert "Visitor" in g.nodes["staff:S2"]["labels"]
    visit = next(d for u, v, d in g.edges("staff:S2", data=True) if d["type"] == "VISITED")
    assert visit["store_src"] == "visitor:V2"  # the stored endpoint is kept for evidence checks


def test_possibly_same_as_is_never_merged():
    g = nx.MultiDiGraph()
    g.add_node("person:P1", labels=["Person"], canonical_id="person:P1")
    g.add_node("visitor:V1", labels=["Person"], canonical_id="visitor:V1")
    g.add_edge("person:P1", "visitor:V1", key="POSSIBLY_SAME_AS", type="POSSIBLY_SAME_AS", score=0.9)
    scoped = scope_graph(g)
    assert set(scoped) == {"person:P1", "visitor:V1"}
    assert types(scoped) == ["POSSIBLY_SAME_AS"]
    assert identity_groups(g) == {}


def test_merge_can_be_switched_off(small_world):
    assert "visitor:V2" in scope_graph(small_world, Scope(merge_identities=False))


def test_grading_filters(small_world):
    excluded = scope_graph(small_world, Scope(exclude_intel=("E",)))
    assert "CORRUPT_APPROACH" not in types(excluded)
    only_reliable = scope_graph(small_world, Scope(min_source_eval="1"))
    assert not [d for _, _, d in only_reliable.edges(data=True) if d.get("source_eval") in ("2", "3")]
    assert "MEMBER_OF" in types(only_reliable)  # official links (no grading) stay
    member_links = [(u, v) for u, v, d in only_reliable.edges(data=True) if d["type"] == "MEMBER_OF"]
    assert ("person:P2", "ocg:O2") not in member_links  # graded 2/B
    assert "CORRUPT_APPROACH" not in types(scope_graph(small_world, Scope(min_intel_eval="D")))


def test_handling_filter():
    g = nx.MultiDiGraph()
    g.add_edge("a", "b", key="ASSOCIATE_OF", type="ASSOCIATE_OF", handling="C")
    g.add_edge("a", "c", key="ASSOCIATE_OF", type="ASSOCIATE_OF", handling="P")
    assert list(scope_graph(g, Scope(handling=("P",))).edges()) == [("a", "c")]


def test_time_window_and_as_of(small_world):
    early = scope_graph(small_world, Scope(as_of="2023-12-31"))
    assert not early.has_edge("phone:+S1", "phone:+P1")  # first call 2024-02-01
    assert early.has_edge("phone:+S2", "phone:+M2")
    assert not [1 for u, v, d in early.edges(data=True) if u == "person:P2" and d["type"] == "MEMBER_OF"]
    window = scope_graph(small_world, Scope(since="2024-06-01", until="2024-12-31"))
    assert not window.has_edge("phone:+S1", "phone:+P1")  # last call 2024-05-01
    assert not window.has_edge("phone:+S2", "phone:+M2")  # last call 2024-05-01
    assert window.has_edge("phone:+HUB", "phone:+TAXI")  # open period


def test_state_links_must_be_open_on_the_as_of_date():
    g = nx.MultiDiGraph()
    g.add_edge(
        "prisoner:A1", "establishment:E1", key="HELD_AT", type="HELD_AT", valid_from="2020-01-01", valid_to="2021-01-01"
    )
    g.add_edge("phone:1", "phone:2", key="CALLED", type="CALLED", valid_from="2020-01-01", valid_to="2021-01-01")
    scoped = scope_graph(g, Scope(as_of="2024-01-01"))
    assert types(scoped) == ["CALLED"]  # past contact stays evidence, past custody does not


def test_establishment_scope_keeps_community(small_world):
    scoped = scope_graph(small_world, Scope(establishments=("E1",)))
    prisoners = {n for n, d in scoped.nodes(data=True) if "Prisoner" in d["labels"]}
    assert prisoners == {"prisoner:A2", "prisoner:A4", "prisoner:A6", "prisoner:A8"}
    assert "establishment:E2" not in scoped
    assert "staff:S3" in scoped  # also posted to E1
    assert {"person:P1", "phone:+HUB", "ocg:O1"} <= set(scoped)


def test_establishment_scope_with_link_types_keeps_only_those_types(small_world):
    scoped = scope_graph(small_world, Scope(establishments=("E2",), link_types=("CALLED",)))
    assert types(scoped) == ["CALLED"]
    assert "prisoner:A2" not in scoped


@pytest.mark.parametrize(
    "kwargs",
    [
        {"as_of": "2024-13-01"},
        {"min_source_eval": "4"},
        {"exclude_intel": ("F",)},
        {"handling": ("X",)},
        {"since": "2024-05-01", "until": "2024-01-01"},
        {"as_of": "2024-01-01", "since": "2023-01-01"},
    ],
)
def test_bad_scopes_raise_typed_errors(kwargs):
    with pytest.raises(InvalidScope):
        Scope(**kwargs)


def test_scope_filter_for_store():
    flt = Scope(
        since="2024-01-01", until="2024-06-30", link_types=("CALLED",), establishments=("E1",)
    ).subgraph_filter()
    assert (flt.since, flt.until) == ("2024-01-01", "2024-06-30")
    assert set(flt.link_types) == {"CALLED", "HELD_AT", "EMPLOYED_AT"}


def test_merged_person_is_one_node_in_person_graph(small_world):
    people = person_graph(scope_graph(small_world))
    assert "visitor:V2" not in people
    kinds = {i["kind"] for i in people["staff:S2"]["prisoner:A2"]["evidence"]}
    assert kinds == {"intelligence", "visit"}
    assert people["staff:S2"]["prisoner:A2"]["declared"] is True


def _reference_rebuild(graph: nx.MultiDiGraph, scope: Scope) -> nx.MultiDiGraph:
    """Scoping as NetworkX's own API does it (every attribute copied): the reference."""
    groups = identity_groups(graph) if scope.merge_identities else {}
    mapping = {m: rep for rep, members in groups.items() for m in members}
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        if mapping.get(node, node) != node or not node_visible(data, scope.agency):
            continue
        attrs = dict(data)
        if node in groups:
            attrs["labels"] = sorted({x for m in groups[node] for x in graph.nodes[m].get("labels", ())})
            attrs["merged_ids"] = list(groups[node])
        out.add_node(node, **attrs)
    moved = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        if scope.filters_links and not link_in_scope(data, scope):
            continue
        a, b = mapping.get(u, u), mapping.get(v, v)
        if a not in out or b not in out or (a == b and u != v):
            continue
        if (a, b) != (u, v):
            moved.append(
                (a, b, key, {**data, "store_src": data.get("store_src", u), "store_dst": data.get("store_dst", v)})
            )
        else:
            out.add_edge(a, b, key=key, **data)
    for a, b, key, attrs in moved:
        new_key, n = key, 1
        while out.has_edge(a, b, new_key):
            n += 1
            new_key = f"{key}~{n}"
        out.add_edge(a, b, key=new_key, **attrs)
    return out


@pytest.mark.parametrize(
    "scope",
    [
        Scope(),
        Scope(as_of="2024-03-01"),
        Scope(min_intel_eval="C"),
        Scope(agency="hmpps"),
        Scope(merge_identities=False),
    ],
)
def test_scoping_on_the_graphs_own_dicts_equals_the_networkx_reference(small_world, scope):
    graph = small_world.copy()
    # a merged record's link that collides with its representative's, and a self-link
    graph.add_edge("staff:S2", "prisoner:A1", key="VISITED", type="VISITED", count=1)
    graph.add_edge("visitor:V2", "prisoner:A1", key="VISITED", type="VISITED", count=2)
    graph.add_edge("prisoner:A1", "prisoner:A1", key="ASSOCIATE_OF", type="ASSOCIATE_OF")
    found, expected = scope_graph(graph, scope), _reference_rebuild(graph, scope)
    assert list(found.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(found.edges(keys=True, data=True)) == list(expected.edges(keys=True, data=True))
    assert [list(found.pred[n]) for n in found] == [list(expected.pred[n]) for n in expected]
    assert list(links(found)) == list(found.edges(data=True))
    if scope.merge_identities:
        assert found.edges["staff:S2", "prisoner:A1", "VISITED~2"]["store_src"] == "visitor:V2"
    # Unchanged links share the source's attribute dicts; merged links are copies.
    for u, v, key, data in found.edges(keys=True, data=True):
        if "store_src" not in data:
            assert data is graph.edges[u, v, key]


def test_a_delta_replaces_attributes_and_leaves_scoped_graphs_as_they_were(small_world):
    from graph_service.analytics.workspace import apply_changes

    base = small_world.copy()
    u, v, key, data = next((u, v, k, d) for u, v, k, d in base.edges(keys=True, data=True) if d["type"] == "VISITED")
    node = next(iter(base))
    scoped = scope_graph(base, Scope(merge_identities=False))
    before_link, before_node = dict(scoped.edges[u, v, key]), dict(scoped.nodes[node])
    changes: nx.MultiDiGraph = nx.MultiDiGraph()
    changes.add_node(node, labels=["Person"], name="changed")
    changes.add_edge(u, v, key=key, **{**data, "count": 99})
    apply_changes(base, changes)
    assert base.edges[u, v, key]["count"] == 99 and base.nodes[node]["name"] == "changed"
    assert scoped.edges[u, v, key] == before_link and scoped.nodes[node] == before_node

from __future__ import annotations

import networkx as nx
import pytest

from graph_service.analytics.errors import InvalidScope
from graph_service.analytics.projection import person_graph
from graph_service.analytics.scoping import Scope, identity_groups, scope_graph


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

"""Tiny named graphs with hand-checked answers, one block per algorithm family."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from types import SimpleNamespace as Row

import networkx as nx
import pytest

from graph_service.analytics.bridges import best_paths, bridge_ranking, corruption_bridges
from graph_service.analytics.brokerage import brokerage_roles
from graph_service.analytics.centrality import betweenness, subset_betweenness
from graph_service.analytics.changes import changes_between, movers
from graph_service.analytics.cohort import band_value, cohort_priority
from graph_service.analytics.communities import communities
from graph_service.analytics.errors import AnalyticsError, NodeNotFound, NoPath
from graph_service.analytics.evidence_model import MODEL
from graph_service.analytics.hubs import custody_hubs
from graph_service.analytics.keyplayers import distance_weighted_reach, fragmentation, kpp_neg, kpp_pos, removal_pieces
from graph_service.analytics.paths import ego_network, shortest_paths
from graph_service.analytics.projection import person_graph
from graph_service.analytics.scoping import Scope, scope_graph
from graph_service.analytics.stats import network_stats


@pytest.fixture
def scoped(small_world):
    return scope_graph(small_world)


@pytest.fixture
def people(scoped):
    # The tiny world has too few numbers for the 99th-percentile rule: lower the floor.
    return person_graph(scoped, common_min_degree=10)


# ----------------------------------------------------------------- projection
def test_taxi_is_a_common_number_and_makes_no_links(people):
    assert people.graph["common_numbers"] == ["phone:+TAXI"]
    for _, _, data in people.edges(data=True):
        assert all("phone:+TAXI" not in item["via"] for item in data["evidence"])


def test_a_number_attributed_to_an_ocg_member_is_never_a_common_number():
    """Called by 60 prisoners it passes the degree rule, like a taxi; attributed to an OCG
    member it stays (a coordinating number), while the unattributed taxi goes."""
    g = nx.MultiDiGraph()
    g.add_node("person:BOSS", labels=["Person", "Nominal"])
    g.add_node("ocg:O1", labels=["OCG"])
    g.add_edge("person:BOSS", "ocg:O1", key="MEMBER_OF", type="MEMBER_OF", role="principal")
    for number in ("phone:+COORD", "phone:+TAXI"):
        g.add_node(number, labels=["Phone"])
    g.add_edge("person:BOSS", "phone:+COORD", key="USES_PHONE", type="USES_PHONE", attribution_source="intelligence")
    for i in range(60):
        prisoner = f"prisoner:A{i}"
        g.add_node(prisoner, labels=["Person", "Prisoner"])
        for number in ("phone:+COORD", "phone:+TAXI"):
            g.add_edge(prisoner, number, key="CALLED", type="CALLED", count=2)
    g.add_node("person:P1", labels=["Person", "Nominal"])
    g.add_edge("person:P1", "phone:+TAXI", key="CALLED", type="CALLED", count=1)  # both numbers: 61 contacts
    people = person_graph(g)
    assert people.graph["common_numbers"] == ["phone:+TAXI"]
    assert people.has_edge("prisoner:A0", "person:BOSS")


def test_pin_list_is_contact_not_shared_use(people):
    items = people["prisoner:A3"]["person:P2"]["evidence"]
    assert {i["kind"] for i in items} == {"call", "pin_list"}
    assert not people.has_edge("prisoner:A3", "prisoner:A4")  # same PIN-listed number, not a shared phone


def test_duty_links_make_no_person_links(people):
    assert people.degree("staff:S3") == 0


# ----------------------------------------------------------------- bridges
def test_planted_bridge_ranks_first_and_decoys_below(people):
    ranking = bridge_ranking(people)
    ids = [r.id for r in ranking.results]
    assert ids[0] == "staff:S1"
    assert "staff:S3" not in ids  # chaplain: duty links only
    assert "staff:S4" not in ids  # one allegation graded 3/E
    assert "staff:S2" not in ids  # declared family: explained, below the minimum weight
    with_family = bridge_ranking(people, model=replace(MODEL, min_weight=0.0))
    family = next(r for r in with_family.results if r.id == "staff:S2")
    assert family.weight_of_evidence < ranking.results[0].weight_of_evidence / 5
    assert all(p.explained_by_declared_relationship for p in family.paths)
    assert ranking.summary.staff == 4 and ranking.summary.staff_ranked == len(ids)
    assert ranking.summary.staff_with_evidence == len(with_family.results)


def test_bridge_result_carries_components_and_evidence(people):
    top = corruption_bridges(people)[0]
    assert [name for name, _ in top.components.items()] == ["paths", "colleagues", "betweenness", "cut", "brokerage"]
    path = top.paths[0]
    assert path.ocg == "ocg:O1" and path.nodes == ("staff:S1", "person:P1") and path.line == "contact"
    links = path.steps[0].evidence[0]["links"]
    assert {"src": "phone:+S1", "dst": "phone:+P1", "type": "CALLED", "grading": "1A P"} in links
    assert top.reasons[0].startswith("ocg:O1 through person:P1 (principal 1A P): staff:S1 - person:P1: 6 calls")
    json.dumps(top.to_json())  # plain data


def test_corrupt_approach_graded_well_is_strong_evidence(small_world):
    small_world.add_edge(
        "prisoner:A1", "staff:S3", key="CORRUPT_APPROACH", type="CORRUPT_APPROACH", source_eval="1", intel_eval="B"
    )
    ranked = corruption_bridges(person_graph(scope_graph(small_world), common_min_degree=10))
    s3 = next(r for r in ranked if r.id == "staff:S3")
    # CORRUPT_APPROACH 1.1 x reliability 1B (1.0 x 0.9), chained with A1's membership (official, 1 - e^-4.6)
    approach = 1.1 * 0.9
    expected = -math.log(1 - (1 - math.exp(-approach)) * (1 - math.exp(-4.6)))
    assert s3.components.paths.value == pytest.approx(expected)
    excluded = corruption_bridges(
        person_graph(scope_graph(small_world, Scope(min_intel_eval="A")), common_min_degree=10)
    )
    assert "staff:S3" not in [r.id for r in excluded]


def test_without_common_rule_taxi_is_only_down_weighted(scoped):
    people = person_graph(scoped)  # default floor of 50: taxi not excluded here
    assert people.graph["common_numbers"] == []
    assert corruption_bridges(people)[0].id == "staff:S1"


def test_best_paths_respects_hop_limit():
    g = nx.path_graph(["s", "a", "b", "c", "t"])
    nx.set_edge_attributes(g, 0.9, "strength")
    assert "t" not in best_paths(g, "s", max_hops=3)
    assert best_paths(g, "s", max_hops=4)["t"][1] == ["s", "a", "b", "c", "t"]


def test_cut_point_staff_closing_custody_to_ocg():
    g = nx.Graph()
    for node, kind in [("staff:S", "staff"), ("prisoner:P", "prisoner"), ("person:C", "nominal")]:
        g.add_node(node, kind=kind, ocgs={}, ocg_intel=[])
    g.nodes["person:C"]["ocgs"] = {"ocg:O": {"grading": "1A P", "role": "member"}}
    calls = [{"kind": "call", "count": 8, "night_count": 0, "links": []}]
    g.add_edge("prisoner:P", "staff:S", evidence=calls)
    g.add_edge("staff:S", "person:C", evidence=calls)
    result = corruption_bridges(g)[0]
    assert result.cut.closes_custody_ocg is True and result.cut.separated_ocg_members == 1
    assert result.components.cut.value == pytest.approx(math.log2(2) / math.log2(9))
    assert result.components.betweenness.value == 1.0
    assert result.brokerage.ocg_pairs == 1


# ----------------------------------------------------------------- brokerage and centrality
def test_gould_fernandez_roles_on_directed_triads():
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("d", "b"), ("b", "e")])
    groups = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"}
    roles = brokerage_roles(g, "b", groups)
    # a->c coordinator, a->e representative, d->c gatekeeper, d->e liaison
    assert (roles.coordinator, roles.representative, roles.gatekeeper, roles.liaison) == (1, 1, 1, 1)


def test_betweenness_exact_and_sampled_reproducible():
    g = nx.barabasi_albert_graph(80, 2, seed=1)
    assert betweenness(g).method == "exact"
    # compiled kernels are exact at any size; NetworkX's sample above exact_max_nodes
    assert betweenness(g, exact_max_nodes=10).method == "exact"
    a = betweenness(g, exact_max_nodes=10, samples=20, seed=3, kernels="networkx")
    assert a == betweenness(g, exact_max_nodes=10, samples=20, seed=3, kernels="networkx")
    assert a.method == "sampled" and a.kernel == "networkx"
    exact = betweenness(g, kernels="networkx").values
    assert all(betweenness(g).values[n] == pytest.approx(v, abs=1e-12) for n, v in exact.items())


@pytest.mark.parametrize("kernels", ["igraph", "networkx"])
def test_subset_betweenness_counts_pairs(kernels):
    g = nx.Graph([("p1", "h"), ("p2", "h"), ("h", "c")])
    assert subset_betweenness(g, ["p1", "p2"], ["c"], kernels=kernels).values["h"] == 2.0


# ----------------------------------------------------------------- hubs
def test_hub_number_ranks_and_taxi_never(scoped, people):
    ranked = custody_hubs(scoped, people)
    assert ranked[0].id == "phone:+HUB"
    assert ranked[0].users == ("person:P2",)
    assert len(ranked[0].prisoners) == 5 and ranked[0].establishments == ("establishment:E1", "establishment:E2")
    assert "phone:+TAXI" not in [r.id for r in ranked]


def test_privileged_numbers_never_rank(small_world):
    small_world.nodes["phone:+HUB"]["privileged"] = True
    scoped = scope_graph(small_world)
    assert "phone:+HUB" not in [r.id for r in custody_hubs(scoped, person_graph(scoped, common_min_degree=10))]


# ----------------------------------------------------------------- key players
def test_fragmentation_hand_checked():
    assert fragmentation(nx.Graph([(1, 2), (3, 4)])) == pytest.approx(1 - 4 / 12)


@pytest.mark.parametrize("seed", range(6))
def test_removal_pieces_match_removing_each_node(seed):
    graph = nx.gnp_random_graph(60, 0.04 + 0.01 * seed, seed=seed)
    graph.add_edge(60, 60)  # a self-loop and an isolated node must not confuse it
    graph.add_node(61)
    pieces = removal_pieces(graph)
    for node in graph:
        rest = graph.copy()
        rest.remove_node(node)
        own = nx.node_connected_component(graph, node) - {node}
        expected = sorted(len(c) for c in nx.connected_components(rest) if c <= own)
        assert sorted(pieces[node]) == expected, node


def test_kpp_neg_picks_the_cut_vertex_and_pos_the_centres():
    g = nx.barbell_graph(5, 1)
    assert kpp_neg(g, 1).nodes == (5,)
    star_pair = nx.Graph([(0, 1), (0, 2), (0, 3), (10, 11), (10, 12), (10, 13)])
    assert kpp_pos(star_pair, 2).nodes == (0, 10)
    assert distance_weighted_reach(star_pair, [0, 10]) == 1.0


# ----------------------------------------------------------------- cohort
def test_cohort_components_and_order(scoped, people):
    rows = cohort_priority(scoped, people, as_of="2024-06-01")
    assert rows[0].id == "person:P1"  # principal of a 1A group, recently active
    assert [name for name, _ in rows[0].components.items()] == ["network", "ocg_band", "intelligence", "recency"]
    assert all(r.kind != "staff" for r in rows)
    scores = [(-r.score, r.id) for r in rows]
    assert scores == sorted(scores)
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))


def test_cohort_weights_from_settings(scoped, people):
    only_band = {"network": 0, "ocg_band": 1, "intelligence": 0, "recency": 0}
    rows = cohort_priority(scoped, people, weights=only_band)
    assert [r.score for r in rows][:2] == pytest.approx([1.0, band_value("1A") * 0.8])


# ----------------------------------------------------------------- paths
def test_paths_and_typed_errors(scoped):
    result = shortest_paths(scoped, "staff:S1", "person:P1", max_hops=3)
    assert result.hops == 3
    assert result.paths[0].nodes == ("staff:S1", "phone:+S1", "phone:+P1", "person:P1")
    with pytest.raises(NoPath):
        shortest_paths(scoped, "staff:S1", "person:P1", max_hops=2)
    with pytest.raises(NodeNotFound):
        shortest_paths(scoped, "staff:S1", "person:NOBODY")
    assert issubclass(NoPath, AnalyticsError) and issubclass(NodeNotFound, AnalyticsError)


def test_ego_network_says_what_it_cut(scoped):
    ego = ego_network(scoped, "phone:+HUB", hops=2, max_nodes=4)
    assert len(ego.nodes) == 4 and ego.cut.capped is True and ego.cut.omitted > 0


# ----------------------------------------------------------------- communities
def test_communities_reproducible_and_new_group_flagged():
    g = nx.Graph()
    known = [f"k{i}" for i in range(5)]
    new = [f"n{i}" for i in range(5)]
    for group in (known, new):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                g.add_edge(a, b, strength=1.0, evidence=[{"kind": "intelligence"}])
    g.add_edge("k0", "n0", strength=0.05, evidence=[{"kind": "call"}])
    for n in g:
        g.nodes[n]["ocgs"] = {"ocg:O1": {}} if n.startswith("k") else {}
    first = communities(g, seed=4)
    assert first == communities(g, seed=4)
    flagged = [c for c in first.communities if c.new_group]
    assert [c.members for c in flagged] == [tuple(new)]
    explained = next(c for c in first.communities if c.best_ocg == "ocg:O1")
    assert explained.ocg_overlap[0].share_of_ocg == 1.0


# ----------------------------------------------------------------- changes
def test_changes_between_dates(small_world):
    result = changes_between(
        small_world,
        "2023-12-31",
        "2024-12-31",
        rank=lambda g, **kw: {"bridges": corruption_bridges(person_graph(g, common_min_degree=10))},
    )
    assert result.new_links.by_type["CALLED"] >= 1
    assert [m.id for m in result.new_ocg_members] == ["person:P2"]
    assert result.movers["bridges"][0].id == "staff:S1"
    assert result.movers["bridges"][0].rank_before is None


def test_movers_unranked_counts_as_last():
    entry = movers([], [Row(id="a", rank=1, score=1.0)])[0]
    assert (entry.id, entry.rank_before, entry.rank_after) == ("a", None, 1)
    moved = {
        m.id: m.delta
        for m in movers(
            [Row(id="a", rank=1, score=1.0), Row(id="b", rank=2, score=0.5)], [Row(id="b", rank=1, score=0.9)]
        )
    }
    assert moved == {"a": -1, "b": 1}  # a left the ranking (counted at rank 2), b moved up


def test_stats_on_multidigraph(small_world):
    stats = network_stats(small_world)
    assert stats["nodes"] == small_world.number_of_nodes()
    assert stats["components"] >= 1 and 0 <= stats["density"] <= 1


def _kpp_pos_reference(graph, k, max_hops=2, candidates=None):
    """The plain greedy: every candidate's group reach computed from scratch."""
    pool = sorted(graph.nodes, key=lambda n: (-graph.degree(n), str(n)))
    pool = pool if candidates is None else pool[:candidates]
    picked = []
    for _ in range(min(k, len(graph))):
        scored = [(-distance_weighted_reach(graph, [*picked, c], max_hops), str(c), c) for c in pool if c not in picked]
        if not scored:
            break
        picked.append(min(scored)[2])
    return picked


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("max_hops", [1, 2, 3])
def test_kpp_pos_matches_the_plain_greedy(seed, max_hops):
    graph = nx.gnp_random_graph(70, 0.04, seed=seed)
    graph = nx.relabel_nodes(graph, {n: f"n{n}" for n in graph})
    ours = kpp_pos(graph, 5, max_hops=max_hops, candidates=40 if seed % 2 else None)
    assert list(ours.nodes) == _kpp_pos_reference(graph, 5, max_hops, 40 if seed % 2 else None)
    for size, value in enumerate(ours.curve, 1):
        assert value == pytest.approx(distance_weighted_reach(graph, ours.nodes[:size], max_hops), abs=1e-12)

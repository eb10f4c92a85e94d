"""Communities: the modularity read from the adjacency, and the OCG overlaps, against
their definitions (NetworkX's modularity; set intersections per community and OCG)."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from test_kernels import GRAPHS

from graph_service.analytics.communities import communities, modularity
from graph_service.analytics.results import rank_key


def _weighted(graph: nx.Graph, seed: int) -> nx.Graph:
    rng = random.Random(seed)
    weighted = nx.Graph()
    weighted.add_nodes_from(graph)
    weighted.add_edges_from((u, v, {"strength": rng.choice([0.05, 0.3, 0.9])}) for u, v in graph.edges())
    for node in rng.sample(sorted(weighted, key=str), min(3, len(weighted))):
        weighted.add_edge(node, node, strength=0.5)  # self-links count twice in a degree
    return weighted


def _random_partition(graph: nx.Graph, seed: int, parts: int) -> list[set]:
    rng = random.Random(seed)
    found: list[set] = [set() for _ in range(parts)]
    for node in graph:
        found[rng.randrange(parts)].add(node)
    return [p for p in found if p]


@pytest.mark.parametrize(("name", "graph"), GRAPHS, ids=[n for n, _ in GRAPHS])
@pytest.mark.parametrize("resolution", [1.0, 0.5, 2.0])
def test_modularity_equals_networkx(name, graph, resolution):
    weighted = _weighted(graph, len(graph))
    for parts in (1, 3, 12, len(graph)):
        partition = _random_partition(weighted, parts, parts)
        for weight in ("strength", None):
            ours = modularity(weighted, partition, weight=weight, resolution=resolution)
            ref = nx.community.modularity(weighted, partition, weight=weight, resolution=resolution)
            assert ours == pytest.approx(ref, abs=1e-12)
    assert modularity(nx.empty_graph(3), [{0, 1, 2}]) == nx.community.modularity(nx.empty_graph(3), [{0, 1, 2}]) == 0


@pytest.mark.parametrize(("name", "graph"), GRAPHS[:6], ids=[n for n, _ in GRAPHS[:6]])
def test_ocg_overlaps_are_those_of_every_community_and_ocg(name, graph):
    rng = random.Random(7)
    people = _weighted(graph, 3)
    people.remove_edges_from(list(nx.selfloop_edges(people)))
    ocgs = [f"ocg:O{i}" for i in range(8)]
    for node in people:
        chosen = rng.sample(ocgs, rng.choice([0, 0, 1, 2]))
        people.nodes[node]["ocgs"] = {o: {} for o in chosen}
    result = communities(people, seed=1, min_size=3)
    members_of = {o: {n for n, d in people.nodes(data=True) if o in d["ocgs"]} for o in ocgs}
    assert result.modularity == pytest.approx(
        nx.community.modularity(people, [set(c.members) for c in result.communities], weight="strength"), abs=1e-12
    )
    for community in result.communities:
        members = set(community.members)
        expected = sorted(
            (
                (-rank_key(len(members & known) / len(members | known)), o, len(members & known), len(known))
                for o, known in members_of.items()
                if members & known
            ),
        )
        got = [(-rank_key(x.jaccard), x.ocg, x.members_inside, len(members_of[x.ocg])) for x in community.ocg_overlap]
        assert got == expected
        for x in community.ocg_overlap:
            known = members_of[x.ocg]
            assert x.jaccard == len(members & known) / len(members | known)
            assert x.share_of_ocg == len(members & known) / len(known)


def test_the_modularity_reported_is_the_standard_one_whatever_the_resolution():
    people = _weighted(nx.karate_club_graph(), 5)
    for resolution in (0.5, 2.0):
        result = communities(people, seed=1, resolution=resolution)
        parts = [set(c.members) for c in result.communities]
        assert result.modularity == pytest.approx(nx.community.modularity(people, parts, weight="strength"), abs=1e-12)


def test_an_ocg_listed_twice_for_a_person_counts_once():
    people = nx.Graph()
    people.add_edge("a", "b", strength=0.9)
    people.nodes["a"]["ocgs"] = ["ocg:O1", "ocg:O1"]
    (community,) = communities(people, seed=1, min_size=1).communities
    (overlap,) = community.ocg_overlap
    assert (overlap.members_inside, overlap.jaccard, overlap.share_of_ocg) == (1, 0.5, 1.0)

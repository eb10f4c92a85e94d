"""The compiled kernels agree with NetworkX, the reference, on random and real graphs."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest

from graph_service.analytics.kernels import IGraphKernels, KernelError, NetworkXKernels, kernels, modularity

IG = IGraphKernels()
NX = NetworkXKernels()
DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "criminal-networks"


def random_graphs() -> list[tuple[str, nx.Graph]]:
    found = []
    for seed in range(6):
        g = nx.gnp_random_graph(40 + 10 * seed, 0.06, seed=seed)
        g = nx.relabel_nodes(g, {n: f"n{n}" for n in g})  # string keys, as in the product
        found.append((f"gnp-{seed}", g))
    found.append(("barbell", nx.barbell_graph(6, 3)))
    found.append(("karate", nx.karate_club_graph()))
    found.append(("two-pieces", nx.disjoint_union(nx.path_graph(5), nx.star_graph(4))))
    return found


def real_graphs() -> list[tuple[str, nx.Graph]]:
    found = []
    caviar = DATASETS / "caviar_full_110.csv"
    if caviar.exists():
        rows = [line.split(",") for line in caviar.read_text().splitlines()[1:] if line.strip()]
        labels = [r[0] for r in rows]
        g = nx.Graph()
        g.add_nodes_from(labels)
        for r in rows:
            for j, cell in enumerate(r[1:]):
                if cell.strip() not in ("", "0") and labels[j] != r[0]:
                    g.add_edge(r[0], labels[j])
        found.append(("caviar", g))
    for name in ("montagna_meetings.txt", "montagna_phonecalls.txt"):
        path = DATASETS / name
        if path.exists():
            g = nx.Graph()
            for line in path.read_text().splitlines():
                parts = line.replace(",", " ").split()
                if len(parts) >= 2 and parts[0] != parts[1]:
                    g.add_edge(parts[0], parts[1])
            found.append((name.split(".")[0], g))
    return found


GRAPHS = random_graphs() + real_graphs()


@pytest.mark.parametrize(("name", "graph"), GRAPHS, ids=[n for n, _ in GRAPHS])
def test_betweenness_equals_networkx_exactly(name, graph):
    ours, ref = IG.betweenness(graph), NX.betweenness(graph)
    assert ours.keys() == ref.keys()
    assert all(ours[n] == pytest.approx(ref[n], abs=1e-12) for n in ref)
    raw = IG.betweenness(graph, normalized=False)
    assert all(raw[n] == pytest.approx(v, abs=1e-9) for n, v in NX.betweenness(graph, normalized=False).items())


@pytest.mark.parametrize(("name", "graph"), GRAPHS, ids=[n for n, _ in GRAPHS])
@pytest.mark.parametrize("normalized", [False, True])
def test_subset_betweenness_equals_networkx_exactly(name, graph, normalized):
    rng = random.Random(len(graph))
    nodes = sorted(graph, key=str)
    sources = rng.sample(nodes, max(1, len(nodes) // 5))
    targets = rng.sample(nodes, max(1, len(nodes) // 4))  # may overlap the sources
    ours = IG.subset_betweenness(graph, sources, targets, normalized=normalized)
    ref = NX.subset_betweenness(graph, sources, targets, normalized=normalized)
    assert all(ours[n] == pytest.approx(ref[n], abs=1e-9) for n in ref), name
    assert any(v > 0 for v in ref.values()) or nx.number_connected_components(graph) > 1


@pytest.mark.parametrize(("name", "graph"), GRAPHS, ids=[n for n, _ in GRAPHS])
def test_components_and_articulation_points_equal_networkx(name, graph):
    assert IG.components(graph) == NX.components(graph)
    assert IG.articulation_points(graph) == NX.articulation_points(graph)


@pytest.mark.parametrize(("name", "graph"), GRAPHS, ids=[n for n, _ in GRAPHS])
def test_leiden_communities_are_connected_and_as_good_as_louvain(name, graph):
    ours = IG.communities(graph, seed=1)
    assert set().union(*ours) == set(graph) and sum(map(len, ours)) == len(graph)
    assert all(nx.is_connected(graph.subgraph(c)) for c in ours)  # Leiden's guarantee
    assert modularity(graph, ours) >= modularity(graph, NX.communities(graph, seed=1)) - 0.02
    assert IG.communities(graph, seed=1) == ours  # seeded: the same partition twice


def test_layout_is_seeded_and_covers_every_node():
    graph = nx.karate_club_graph()
    first, again, other = IG.layout(graph, seed=3), IG.layout(graph, seed=3), IG.layout(graph, seed=4)
    assert first == again and first != other and set(first) == set(graph)


def test_a_large_layout_is_seeded_too_and_keeps_neighbours_closer_than_strangers():
    import math

    from graph_service.analytics.kernels import LAYOUT_FR_MAX_NODES

    graph = nx.random_labeled_tree(LAYOUT_FR_MAX_NODES + 400, seed=2)
    first, again, other = IG.layout(graph, seed=3), IG.layout(graph, seed=3), IG.layout(graph, seed=4)
    assert first == again and first != other and set(first) == set(graph)

    def far(a, b):
        return math.dist(first[a], first[b])

    linked = sum(far(u, v) for u, v in graph.edges()) / graph.number_of_edges()
    nodes = sorted(graph)
    strangers = sum(far(nodes[i], nodes[-1 - i]) for i in range(200)) / 200
    assert linked < strangers / 3  # a layout, not a scatter


def test_empty_graphs_and_unknown_kernels():
    empty = nx.Graph()
    for k in (IG, NX):
        assert k.betweenness(empty) == {} and k.components(empty) == [] and k.articulation_points(empty) == set()
    assert IG.subset_betweenness(nx.path_graph(3), [], [1]) == {0: 0.0, 1: 0.0, 2: 0.0}
    with pytest.raises(KernelError, match="unknown kernel"):
        kernels("gds-but-not-configured")


@pytest.mark.parametrize(("name", "graph"), GRAPHS, ids=[n for n, _ in GRAPHS])
def test_weighted_leiden_is_as_good_as_weighted_louvain(name, graph):
    rng = random.Random(len(graph))
    weighted = nx.Graph()
    weighted.add_nodes_from(graph)
    weighted.add_edges_from((u, v, {"strength": rng.choice([0.05, 0.3, 0.9])}) for u, v in graph.edges())
    ours = IG.communities(weighted, seed=2, weight="strength")
    ref = NX.communities(weighted, seed=2, weight="strength")
    assert all(nx.is_connected(weighted.subgraph(c)) for c in ours)
    score = nx.community.modularity
    assert score(weighted, ours, weight="strength") >= score(weighted, ref, weight="strength") - 0.02


def test_weights_of_the_indexed_copy_follow_the_links():
    from graph_service.analytics.kernels import Indexed

    g = nx.Graph()
    g.add_edge("b", "a", strength=0.5)
    g.add_edge("a", "c")
    assert Indexed.of(g, "strength").weights == (0.5, 1.0)
    assert Indexed.of(g).weights is None


def test_subset_betweenness_is_the_same_from_the_smaller_side():
    g = nx.barabasi_albert_graph(60, 2, seed=4)
    many, few = list(range(0, 40)), [41, 50, 59]
    one_way = IG.subset_betweenness(g, many, few)
    assert one_way == pytest.approx(NX.subset_betweenness(g, many, few), abs=1e-9)
    assert one_way == pytest.approx(IG.subset_betweenness(g, few, many), abs=1e-9)


def test_resolve_keeps_the_networkx_backend_setting_working():
    from graph_service.analytics.kernels import resolve

    assert resolve().name == "igraph"
    chosen = resolve(backend="networkx")
    assert chosen.name == "networkx" and getattr(chosen, "backend", None) == "networkx"
    assert resolve("networkx").name == "networkx" and resolve(IG) is IG

"""Neo4j Graph Data Science kernels agree with NetworkX (needs a Neo4j with GDS)."""

from __future__ import annotations

import importlib.util
import os

import networkx as nx
import pytest

from graph_service.analytics.kernels import GDSKernels, KernelError, NetworkXKernels, kernels

REASON = "GDS kernels not tested: NEO4J_URI (a Neo4j with Graph Data Science) is not set"


def test_gds_needs_a_client():
    with pytest.raises(KernelError, match="GraphDataScience client"):
        kernels("gds")


@pytest.fixture(scope="module")
def gds_kernels():
    if not os.environ.get("NEO4J_URI"):
        pytest.skip(REASON)
    if importlib.util.find_spec("graphdatascience") is None:
        pytest.skip("GDS kernels not tested: install the optional extra marsoc[gds] (graphdatascience)")
    found = GDSKernels.connect(
        os.environ["NEO4J_URI"],
        (os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")),
        os.environ.get("NEO4J_DATABASE", "neo4j"),
    )
    yield found
    found.gds.close()


GRAPHS = [nx.karate_club_graph(), nx.barbell_graph(5, 2), nx.disjoint_union(nx.path_graph(4), nx.cycle_graph(5))]


@pytest.mark.parametrize("graph", GRAPHS, ids=["karate", "barbell", "two-pieces"])
def test_gds_agrees_with_networkx(gds_kernels, graph):
    ref = NetworkXKernels()
    ours = gds_kernels.betweenness(graph)
    assert all(ours[n] == pytest.approx(v, abs=1e-9) for n, v in ref.betweenness(graph).items())
    assert gds_kernels.components(graph) == ref.components(graph)
    assert gds_kernels.articulation_points(graph) == ref.articulation_points(graph)
    parts = gds_kernels.communities(graph, seed=1)
    assert set().union(*parts) == set(graph) and all(nx.is_connected(graph.subgraph(c)) for c in parts)

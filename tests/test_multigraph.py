"""Links written and read through a MultiDiGraph's own dicts give exactly the graph
NetworkX's own calls give."""

from __future__ import annotations

import doctest

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from graph_service import multigraph
from graph_service.multigraph import add_link, links

pairs = st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from("abcd"), st.sampled_from(["CALLED", "VISITED"])))


def test_examples_run():
    assert doctest.testmod(multigraph).failed == 0


@given(pairs)
def test_add_link_equals_networkx(given_links):
    ours, theirs = nx.MultiDiGraph(), nx.MultiDiGraph()
    ours.add_nodes_from("abcd")
    theirs.add_nodes_from("abcd")
    for n, (u, v, kind) in enumerate(given_links):
        add_link(ours, u, v, kind, {"type": kind, "n": n})
        key, k = kind, 1
        while theirs.has_edge(u, v, key):
            k += 1
            key = f"{kind}#{k}"
        theirs.add_edge(u, v, key=key, type=kind, n=n)
    assert list(ours.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))
    assert {n: list(ours.pred[n].items()) for n in ours} == {n: list(theirs.pred[n].items()) for n in theirs}
    assert list(links(ours)) == list(theirs.edges(data=True))
    assert nx.utils.graphs_equal(ours, theirs)


def test_links_refuses_a_graph_that_is_not_a_multidigraph():
    import pytest

    with pytest.raises(TypeError, match="MultiDiGraph"):
        links(nx.DiGraph([("a", "b")]))

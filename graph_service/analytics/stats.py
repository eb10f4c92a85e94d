"""Network statistics of any NetworkX graph."""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.analytics.results import NetworkStats


def graph_stats(graph: nx.Graph) -> NetworkStats:
    """Size, density, components and clustering of ``graph`` (full floats).

    Directed and multi-graphs are summarised on their simple undirected view
    (parallel links and direction ignored, self-loops dropped) for density,
    components and clustering; ``links`` counts the links as stored.

    Parameters
    ----------
    graph : networkx.Graph
        Any NetworkX graph (``Graph``, ``DiGraph``, ``MultiGraph``, ``MultiDiGraph``).

    Returns
    -------
    NetworkStats
        ``nodes``, ``links``, ``pairs`` (linked node pairs), ``density``,
        ``components``, ``largest_component`` (nodes), ``isolates`` and
        ``average_clustering``.

    Examples
    --------
    >>> stats = graph_stats(nx.path_graph(4))
    >>> stats.nodes, stats.links, stats.components, stats.density
    (4, 3, 1, 0.5)
    >>> graph_stats(nx.Graph()).largest_component
    0
    """
    simple = simple_undirected(graph)
    n = simple.number_of_nodes()
    components = list(nx.connected_components(simple)) if n else []
    return NetworkStats(
        nodes=n,
        links=graph.number_of_edges(),
        pairs=simple.number_of_edges(),
        density=nx.density(simple) if n > 1 else 0.0,
        components=len(components),
        largest_component=max((len(c) for c in components), default=0),
        isolates=nx.number_of_isolates(simple),
        average_clustering=nx.average_clustering(simple) if n else 0.0,
    )


def network_stats(graph: nx.Graph) -> dict[str, Any]:
    """:func:`graph_stats` as JSON data (``to_json``: floats to 6 decimal places).

    The output form ``marsoc stats`` prints.

    Examples
    --------
    >>> network_stats(nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)]))["average_clustering"]
    0.583333
    """
    return graph_stats(graph).to_json()


def simple_undirected(graph: nx.Graph) -> nx.Graph:
    """A simple undirected copy of ``graph`` (no parallel links, no self-loops).

    Node attributes are kept; link attributes are not.

    Examples
    --------
    >>> g = nx.MultiDiGraph([(1, 2), (2, 1), (1, 1)])
    >>> sorted(simple_undirected(g).edges())
    [(1, 2)]
    """
    simple: nx.Graph = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    return simple


__all__ = ["graph_stats", "network_stats", "simple_undirected"]

"""Network statistics of any NetworkX graph."""

from __future__ import annotations

import networkx as nx


def network_stats(graph: nx.Graph) -> dict:
    """Size, density, components and clustering of ``graph``.

    Directed and multi-graphs are summarised on their simple undirected view
    (parallel links and direction ignored, self-loops dropped) for density,
    components and clustering; ``links`` counts the links as stored.

    Parameters
    ----------
    graph : networkx.Graph
        Any NetworkX graph (``Graph``, ``DiGraph``, ``MultiGraph``, ``MultiDiGraph``).

    Returns
    -------
    dict
        ``nodes``, ``links``, ``pairs`` (linked node pairs), ``density``,
        ``components``, ``largest_component`` (nodes), ``isolates`` and
        ``average_clustering``.

    Examples
    --------
    >>> import networkx as nx
    >>> stats = network_stats(nx.path_graph(4))
    >>> stats["nodes"], stats["links"], stats["components"], stats["density"]
    (4, 3, 1, 0.5)
    >>> network_stats(nx.Graph())["largest_component"]
    0
    """
    simple = simple_undirected(graph)
    n = simple.number_of_nodes()
    components = list(nx.connected_components(simple)) if n else []
    return {
        "nodes": n,
        "links": graph.number_of_edges(),
        "pairs": simple.number_of_edges(),
        "density": round(nx.density(simple), 6) if n > 1 else 0.0,
        "components": len(components),
        "largest_component": max((len(c) for c in components), default=0),
        "isolates": nx.number_of_isolates(simple),
        "average_clustering": round(nx.average_clustering(simple), 6) if n else 0.0,
    }


def simple_undirected(graph: nx.Graph) -> nx.Graph:
    """A simple undirected copy of ``graph`` (no parallel links, no self-loops).

    Node attributes are kept; link attributes are not.

    Examples
    --------
    >>> g = nx.MultiDiGraph([(1, 2), (2, 1), (1, 1)])
    >>> sorted(simple_undirected(g).edges())
    [(1, 2)]
    """
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    return simple


__all__ = ["network_stats", "simple_undirected"]

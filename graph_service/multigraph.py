"""A NetworkX ``MultiDiGraph``'s own dicts, read and written directly where millions of
links pass: extraction, scoping and the analyses' walks over every link.

NetworkX's public calls (``add_edge``, ``edges(data=True)``) check and copy at each
link; on the warm graph's millions of links that is most of the time. These helpers
keep NetworkX's layout exactly: ``succ[u][v]`` and ``pred[v][u]`` are one dict of the
links from ``u`` to ``v`` by key, every node has an entry in both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx


def adjacency(graph: nx.MultiDiGraph) -> tuple[dict, dict, dict]:
    """The graph's node attributes, successors and predecessors."""
    return graph._node, graph._succ, graph._pred  # type: ignore[attr-defined]


def neighbours(graph: nx.Graph) -> dict[Any, dict[Any, dict]]:
    """An undirected graph's own adjacency, ``{node: {neighbour: link data}}`` (read
    it only; ``graph.adj[node]`` makes a view at each step)."""
    return graph._adj  # type: ignore[attr-defined]


def pairs(graph: nx.Graph) -> Iterator[tuple[Any, Any, dict]]:
    """``(u, v, data)`` of every link of an undirected graph once, in the order and
    orientation of ``graph.edges(data=True)``, read from its own dicts.

    Examples
    --------
    >>> g = nx.Graph([("b", "a"), ("a", "c"), ("c", "c")])
    >>> list(pairs(g)) == list(g.edges(data=True))
    True
    """
    seen: set = set()
    for u, nbrs in neighbours(graph).items():
        for v, data in nbrs.items():
            if v not in seen:
                yield u, v, data
        seen.add(u)


def links(graph: nx.MultiDiGraph) -> Iterator[tuple[Any, Any, dict]]:
    """``(u, v, data)`` of every link, in the graph's order (``graph.edges(data=True)``
    takes about twice as long on a multigraph).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", type="CALLED"); _ = g.add_edge("a", "b", type="VISITED")
    >>> list(links(g)) == list(g.edges(data=True))
    True
    """
    if not (graph.is_multigraph() and graph.is_directed()):
        raise TypeError(f"links() reads a MultiDiGraph, not a {type(graph).__name__}")
    return _links(adjacency(graph)[1])


def _links(succ: dict) -> Iterator[tuple[Any, Any, dict]]:
    for u, targets in succ.items():
        for v, keyed in targets.items():
            for data in keyed.values():
                yield u, v, data


def add_link(graph: nx.MultiDiGraph, u: Any, v: Any, kind: str, data: dict, sep: str = "#") -> str:
    """Add a link between two nodes already in the graph, keyed ``kind``, or
    ``kind#2``, ``kind#3``... (``sep`` between) when the pair has that key already;
    ``data`` is kept, not copied. Returns the key.

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_nodes_from("ab")
    >>> add_link(g, "a", "b", "CALLED", {"type": "CALLED"}), add_link(g, "a", "b", "CALLED", {"type": "CALLED"})
    ('CALLED', 'CALLED#2')
    >>> sorted(g.edges(keys=True)) == [("a", "b", "CALLED"), ("a", "b", "CALLED#2")] and list(g.pred["b"]) == ["a"]
    True
    """
    _, succ, pred = adjacency(graph)
    keyed = succ[u].get(v)
    if keyed is None:
        keyed = succ[u][v] = pred[v][u] = {}
    key, n = kind, 1
    while key in keyed:
        n += 1
        key = f"{kind}{sep}{n}"
    keyed[key] = data
    return key


__all__ = ["add_link", "adjacency", "links"]

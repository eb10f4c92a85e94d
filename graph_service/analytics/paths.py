"""Paths and neighbourhoods between entities of the scoped graph.

Paths run over an undirected view of the scoped graph in which every pair of linked
entities is one step and the step lists the stored links joining them. By default
custody and post links (``HELD_AT``, ``EMPLOYED_AT``: everyone in a prison would be
two steps apart), identity candidates (``POSSIBLY_SAME_AS``) and common numbers are
left out; ``include_places=True`` keeps custody and posts. Results are
:class:`~graph_service.analytics.results.ShortestPathsResult` and
:class:`~graph_service.analytics.results.EgoNetworkResult`.
"""

from __future__ import annotations

from itertools import islice, pairwise
from typing import Any

import networkx as nx

from graph_service.analytics.errors import AnalyticsError, NodeNotFound, NoPath
from graph_service.analytics.projection import _link_ref
from graph_service.analytics.results import EgoCut, EgoNetworkResult, EgoNode, LinkPath, LinkStep, ShortestPathsResult
from graph_service.schema import IDENTITY_LINK_TYPES, PLACE_LINK_TYPES

PLACE_TYPES = frozenset(PLACE_LINK_TYPES)
NEVER = frozenset(IDENTITY_LINK_TYPES)


def step_graph(graph: nx.MultiDiGraph, *, include_places: bool = False, exclude: Any = ()) -> nx.Graph:
    """The undirected one-step-per-linked-pair view used for paths.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", type="CALLED"); _ = g.add_edge("b", "a", type="CALLED")
    >>> [len(d["links"]) for _, _, d in step_graph(g).edges(data=True)]
    [2]
    """
    skipped = set(NEVER) | (set() if include_places else set(PLACE_TYPES))
    excluded = set(exclude) | set(graph.graph.get("common_numbers", ()))
    view: nx.Graph = nx.Graph()
    view.add_nodes_from(n for n in graph if n not in excluded)
    for u, v, data in graph.edges(data=True):
        if data.get("type") in skipped or u == v or u in excluded or v in excluded:
            continue
        if not view.has_edge(u, v):
            view.add_edge(u, v, links=[])
        view[u][v]["links"].append(_link_ref(u, v, data))
    return view


def _check(view: nx.Graph, *nodes: Any) -> None:
    for node in nodes:
        if node not in view:
            raise NodeNotFound(node)


def _describe(view: nx.Graph, path: list) -> LinkPath:
    return LinkPath(
        nodes=tuple(path),
        hops=len(path) - 1,
        steps=tuple(LinkStep(from_=a, to=b, links=tuple(view[a][b]["links"])) for a, b in pairwise(path)),
    )


def shortest_paths(
    graph: nx.MultiDiGraph,
    source: Any,
    target: Any,
    *,
    max_hops: int = 6,
    all_paths: bool = True,
    max_paths: int = 50,
    include_places: bool = False,
) -> ShortestPathsResult:
    """The shortest path (or all shortest paths, at most ``max_paths``) within ``max_hops``.

    Raises
    ------
    NodeNotFound
        ``source`` or ``target`` is not in the scoped graph.
    NoPath
        They are not joined within ``max_hops``.

    ``NodeNotFound`` and ``NoPath`` are also ``networkx.NodeNotFound`` and
    ``networkx.NetworkXNoPath``.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for u, v in [("a", "b"), ("b", "d"), ("a", "c"), ("c", "d")]:
    ...     _ = g.add_edge(u, v, type="CALLED")
    >>> result = shortest_paths(g, "a", "d")
    >>> result.hops, [p.nodes for p in result.paths]
    (2, [('a', 'b', 'd'), ('a', 'c', 'd')])
    >>> shortest_paths(g, "a", "d", max_hops=1)
    Traceback (most recent call last):
    ...
    graph_service.analytics.errors.NoPath: no path from 'a' to 'd' within 1 hops
    """
    if max_hops < 1:
        raise AnalyticsError("max_hops must be at least 1")
    view = step_graph(graph, include_places=include_places)
    _check(view, source, target)
    lengths = nx.single_source_shortest_path_length(view, source, cutoff=max_hops)
    if target not in lengths:
        raise NoPath(source, target, max_hops)
    if all_paths:
        found = list(islice(nx.all_shortest_paths(view, source, target), max_paths + 1))
    else:
        found = [nx.shortest_path(view, source, target)]
    found.sort(key=lambda p: [str(x) for x in p])
    truncated = len(found) > max_paths
    return ShortestPathsResult(
        source=source,
        target=target,
        hops=lengths[target],
        count=min(len(found), max_paths),
        truncated=truncated,
        paths=tuple(_describe(view, p) for p in found[:max_paths]),
    )


def ego_network(
    graph: nx.MultiDiGraph, center: Any, *, hops: int = 2, max_nodes: int = 200, include_places: bool = False
) -> EgoNetworkResult:
    """The ``hops`` neighbourhood of ``center``, cut at ``max_nodes`` nodes.

    Nodes are added ring by ring; in a ring that does not fit, the best-linked
    nodes (degree, then id) are kept. ``cut`` says whether and where it cut and
    how many nodes it left out. Each link runs from its smaller id (compared as
    strings); links are sorted by their two ids.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for i in range(5):
    ...     _ = g.add_edge("hub", f"n{i}", type="CALLED")
    >>> ego = ego_network(g, "hub", hops=1, max_nodes=3)
    >>> ego.nodes, ego.cut.to_json()
    (('hub', 'n0', 'n1'), {'capped': True, 'at_hop': 1, 'omitted': 3, 'max_nodes': 3})
    """
    view = step_graph(graph, include_places=include_places)
    _check(view, center)
    kept = [center]
    seen = {center}
    frontier = [center]
    cut = EgoCut(capped=False, at_hop=None, omitted=0, max_nodes=max_nodes)
    for hop in range(1, hops + 1):
        ring = sorted({o for n in frontier for o in view[n] if o not in seen}, key=lambda x: (-view.degree(x), str(x)))
        room = max_nodes - len(kept)
        if len(ring) > room:
            cut = EgoCut(capped=True, at_hop=hop, omitted=len(ring) - room, max_nodes=max_nodes)
            ring = ring[:room]
        kept.extend(ring)
        seen.update(ring)
        frontier = ring
        if cut.capped or not ring:
            break
    sub = view.subgraph(kept)
    # Each link from its smaller id (as a string) to the other, sorted: the view's own
    # edge orientation follows set order, which changes from run to run.
    pairs = sorted(
        ((u, v) if str(u) <= str(v) else (v, u) for u, v in sub.edges()), key=lambda e: (str(e[0]), str(e[1]))
    )
    links = tuple(LinkStep(from_=u, to=v, links=tuple(view[u][v]["links"])) for u, v in pairs)
    return EgoNetworkResult(
        center=center,
        hops=hops,
        nodes=tuple(kept),
        node_details=tuple(
            EgoNode(id=n, labels=graph.nodes[n].get("labels", []), name=graph.nodes[n].get("name")) for n in kept
        ),
        links=links,
        cut=cut,
    )


__all__ = ["ego_network", "shortest_paths", "step_graph"]

"""Key players (Borgatti): KPP-Neg (fragmentation) and KPP-Pos (reach).

Both are greedy: start empty and add, one at a time, the node that most improves
the measure; ties go to the smallest node id compared as a string. On large graphs
the candidates can be limited to the ``candidates`` highest-degree nodes (ties by
id), which is stated in the result.

Fragmentation (Borgatti 2006) of a graph with ``n`` nodes and components of sizes
``s_k``: ``F = 1 - sum_k s_k (s_k - 1) / (n (n - 1))``; 0 when connected, 1 when no
two nodes are joined; taken as 1.0 when ``n < 2``. Results are
:class:`~graph_service.analytics.results.KppNegResult` and
:class:`~graph_service.analytics.results.KppPosResult`; their curves are full floats
(``to_json`` writes 12 decimal places).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph_service.analytics.errors import AnalyticsError
from graph_service.analytics.results import KppNegResult, KppPosResult
from graph_service.gc_pause import paused_gc


def fragmentation(graph: nx.Graph) -> float:
    """Borgatti's fragmentation of an undirected graph.

    Examples
    --------
    >>> fragmentation(nx.path_graph(3))
    0.0
    >>> fragmentation(nx.empty_graph(3))
    1.0
    >>> round(fragmentation(nx.Graph([(0, 1), (2, 3)])), 4)
    0.6667
    """
    n = graph.number_of_nodes()
    if n < 2:
        return 1.0
    joined = sum(len(c) * (len(c) - 1) for c in nx.connected_components(graph))
    return 1.0 - joined / (n * (n - 1))


def removal_pieces(graph: nx.Graph) -> dict[Any, list[int]]:
    """For every node, the sizes of the pieces its component falls into without it.

    One depth-first search (Hopcroft-Tarjan low points) for the whole graph: a child
    subtree whose low point does not reach above the node is cut off by removing it;
    everything else in the component stays joined. Linear in nodes + links, so a
    greedy step costs one search instead of one search per candidate.

    Examples
    --------
    >>> removal_pieces(nx.path_graph(4))
    {0: [3], 1: [2, 1], 2: [1, 2], 3: [3]}
    >>> removal_pieces(nx.cycle_graph(4))[0]
    [3]
    """
    return _pieces(graph, graph)[0]


def _pieces(graph: nx.Graph, roots: Iterable[Any]) -> tuple[dict[Any, list[int]], dict[Any, int]]:
    """:func:`removal_pieces` of the components holding ``roots``, and the size of each
    node's component."""
    order: dict[Any, int] = {}
    low: dict[Any, int] = {}
    size: dict[Any, int] = {}
    pieces: dict[Any, list[int]] = {}
    component: dict[Any, int] = {}
    for root in roots:
        if root in order:
            continue
        members = [root]
        order[root] = low[root] = len(order)
        size[root], pieces[root] = 1, []
        stack = [(root, None, iter(graph[root]))]
        while stack:
            node, parent, neighbours = stack[-1]
            for nxt in neighbours:
                if nxt not in order:
                    order[nxt] = low[nxt] = len(order)
                    size[nxt], pieces[nxt] = 1, []
                    members.append(nxt)
                    stack.append((nxt, node, iter(graph[nxt])))
                    break
                if nxt != parent and order[nxt] < low[node]:
                    low[node] = order[nxt]
            else:
                stack.pop()
                if parent is not None:
                    low[parent] = min(low[parent], low[node])
                    size[parent] += size[node]
                    if low[node] >= order[parent]:
                        pieces[parent].append(size[node])
        total = size[root]
        for node in members:
            component[node] = total
            rest = total - 1 - sum(pieces[node])
            if rest > 0:
                pieces[node].append(rest)
    return pieces, component


def _bare(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph``'s nodes and links without their attributes, in the same order."""
    bare: nx.Graph = nx.Graph()
    bare.add_nodes_from(graph)
    bare.add_edges_from(graph.edges)
    return bare


def _joined(graph: nx.Graph) -> int:
    """Ordered pairs of nodes joined by a path: ``sum s (s - 1)`` over components."""
    return sum(len(c) * (len(c) - 1) for c in nx.connected_components(graph))


def candidate_pool(graph: nx.Graph, candidates: int | None) -> list[Any]:
    """All nodes, or the ``candidates`` highest-degree ones (ties by id string)."""
    degree = graph.degree
    if candidates is None or candidates >= graph.number_of_nodes():
        return sorted(graph.nodes, key=lambda n: (-degree(n), str(n)))
    return heapq.nsmallest(candidates, graph.nodes, key=lambda n: (-degree(n), str(n)))


def best_fragmenting_node(graph: nx.Graph, pool: Iterable[Any] | None = None) -> Any:
    """The node whose removal leaves the highest fragmentation (ties: smallest id string).

    Examples
    --------
    >>> best_fragmenting_node(nx.path_graph(5))
    2
    """
    return _best_cut(graph, pool, _joined(graph))[0]


def _best_cut(graph: nx.Graph, pool: Iterable[Any] | None, joined: int) -> tuple[Any, int]:
    """The best node to remove and the joined pairs left without it; ``joined``: the
    graph's joined pairs now. Only the components holding the pool are searched."""
    candidates = list(pool) if pool is not None else list(graph.nodes)
    pieces, component = _pieces(graph, candidates)
    best, best_key = None, None
    for node in candidates:
        size = component[node]
        left = joined - size * (size - 1) + sum(s * (s - 1) for s in pieces[node])
        key = (left, str(node))
        if best_key is None or key < best_key:
            best, best_key = node, key
    if best is None or best_key is None:
        raise AnalyticsError("no node to remove: the graph is empty")
    return best, best_key[0]


@paused_gc()
def kpp_neg(graph: nx.Graph, k: int, *, candidates: int | None = None) -> KppNegResult:
    """Greedy KPP-Neg: the ``k`` nodes whose removal most fragments the graph.

    Returns
    -------
    KppNegResult
        ``nodes`` (in the order picked), ``fragmentation`` after removing each
        prefix (``curve``), the final ``fragmentation`` and ``candidates`` used.

    Examples
    --------
    >>> g = nx.barbell_graph(4, 1)  # two cliques joined through node 4
    >>> result = kpp_neg(g, 1)
    >>> result.nodes, result.curve == (fragmentation(nx.Graph(g.subgraph(set(g) - {4}))),)
    ((4,), True)
    >>> result.to_json()["curve"]
    [0.571428571429]
    """
    working = _bare(graph)
    picked, curve = [], []
    joined = _joined(working)
    for _ in range(min(k, graph.number_of_nodes())):
        pool = list(candidate_pool(working, candidates)) if candidates is not None else None
        node, joined = _best_cut(working, pool, joined)
        working.remove_node(node)
        picked.append(node)
        n = working.number_of_nodes()
        curve.append(1.0 - joined / (n * (n - 1)) if n >= 2 else 1.0)
    return KppNegResult(
        nodes=tuple(picked),
        curve=tuple(curve),
        fragmentation=curve[-1] if curve else fragmentation(graph),
        candidates=candidates,
    )


def distance_weighted_reach(graph: nx.Graph, group: Iterable[Any], max_hops: int = 2) -> float:
    """Borgatti's distance-weighted reach of ``group`` within ``max_hops``.

    ``(|S| + sum over nodes j outside S within max_hops of 1 / d(S, j)) / n``: 1.0 when
    the group reaches everyone in one step.

    Examples
    --------
    >>> distance_weighted_reach(nx.star_graph(3), [0])
    1.0
    >>> distance_weighted_reach(nx.path_graph(4), [0], max_hops=2)
    0.625
    """
    group = [g for g in group if g in graph]
    n = graph.number_of_nodes()
    if n == 0:
        return 0.0
    distance = _ball(graph, group, max_hops)
    return (len(group) + sum(1.0 / d for d in distance.values() if d > 0)) / n


def _ball(graph: nx.Graph, sources: Iterable[Any], max_hops: int) -> dict[Any, int]:
    """Distances from the nearest of ``sources`` to everything within ``max_hops``
    (the sources at 0): one breadth-first search from all of them."""
    distance = dict.fromkeys(sources, 0)
    frontier = list(distance)
    for hop in range(1, max_hops + 1):
        nxt = []
        for here in frontier:
            for other in graph[here]:
                if other not in distance:
                    distance[other] = hop
                    nxt.append(other)
        frontier = nxt
    return distance


def _reach(counts: list[int], n: int) -> float:
    """Distance-weighted reach from ``counts[d]``, the nodes at distance ``d`` (0: the group)."""
    return (counts[0] + sum(c / d for d, c in enumerate(counts) if d)) / n


@paused_gc()
def kpp_pos(graph: nx.Graph, k: int, *, max_hops: int = 2, candidates: int | None = None) -> KppPosResult:
    """Greedy KPP-Pos: the ``k`` nodes that together reach the most, nearest first.

    Each candidate's distances within ``max_hops`` are found once; a group's distance to
    a node is the least of its members' (what a search from the whole group finds), so
    each greedy step only counts how a candidate would shorten the group's distances.
    The reach is computed from the number of nodes at each distance, so equal reaches
    compare equal and ties go to the smallest id as a string.

    Examples
    --------
    >>> g = nx.Graph([(0, 1), (0, 2), (0, 3), (4, 5), (4, 6)])
    >>> kpp_pos(g, 2).nodes
    (0, 4)
    >>> kpp_pos(g, 2).reach == distance_weighted_reach(g, [0, 4])
    True
    """
    pool = candidate_pool(graph, candidates)
    n = graph.number_of_nodes()
    balls: dict[Any, dict[Any, int]] = {}
    group: dict[Any, int] = {}  # node -> the group's distance to it
    counts = [0] * (max_hops + 1)
    picked: list[Any] = []
    curve: list[float] = []
    for _ in range(min(k, n)):
        best: Any = None
        best_key: tuple[float, str] | None = None
        best_counts = counts
        for node in pool:
            if node in group and group[node] == 0:
                continue
            ball = balls.get(node)
            if ball is None:
                ball = balls[node] = _ball(graph, [node], max_hops)
            trial = list(counts)
            for other, d in ball.items():
                held = group.get(other)
                if held is None:
                    trial[d] += 1
                elif d < held:
                    trial[held] -= 1
                    trial[d] += 1
            key = (-_reach(trial, n), str(node))
            if best_key is None or key < best_key:
                best, best_key, best_counts = node, key, trial
        if best_key is None:
            break
        for other, d in balls[best].items():
            if d < group.get(other, max_hops + 1):
                group[other] = d
        counts = best_counts
        picked.append(best)
        curve.append(-best_key[0])
    return KppPosResult(
        nodes=tuple(picked),
        curve=tuple(curve),
        reach=curve[-1] if curve else 0.0,
        max_hops=max_hops,
        candidates=candidates,
    )


__all__ = [
    "best_fragmenting_node",
    "candidate_pool",
    "distance_weighted_reach",
    "fragmentation",
    "kpp_neg",
    "kpp_pos",
    "removal_pieces",
]

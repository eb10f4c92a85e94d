"""Betweenness, computed by the kernels (:mod:`~graph_service.analytics.kernels`).

With the compiled kernels (igraph, the default; GDS) betweenness is always exact:
igraph's C Brandes computation of the whole London person graph takes about a second
here. With the NetworkX kernels (``MARSOC_KERNELS=networkx``, or a NetworkX backend
named by ``MARSOC_NETWORKX_BACKEND``, e.g. ``parallel``, which selects them) only
the NetworkX public API is used (``nx.betweenness_centrality(G, k=..., seed=...,
backend=name)``), exact up to ``exact_max_nodes`` nodes
(``settings.betweenness_exact_max_nodes``, 5000) and Brandes' estimate from
``samples`` source nodes (``settings.betweenness_samples``, 500) with a fixed seed
above it, because pure-Python exact betweenness costs O(n m).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph_service.analytics.kernels import Kernels, resolve
from graph_service.analytics.results import BetweennessResult, SubsetBetweennessResult
from graph_service.gc_pause import paused_gc

DEFAULT_EXACT_MAX_NODES = 5000
DEFAULT_SAMPLES = 500


def _call(function: Any, graph: nx.Graph, backend: str | None, **kwargs: Any) -> Any:
    if backend:
        return function(graph, backend=backend, **kwargs)
    return function(graph, **kwargs)


@paused_gc()
def betweenness(
    graph: nx.Graph,
    *,
    exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    weight: str | None = None,
    normalized: bool = True,
    backend: str | None = None,
    kernels: Kernels | str | None = None,
) -> BetweennessResult:
    """Betweenness of every node: exact with compiled kernels; with NetworkX's, exact
    or sampled by graph size.

    Returns
    -------
    BetweennessResult
        ``values`` {node: betweenness}, ``method`` (``"exact"`` or ``"sampled"``),
        ``samples`` (sources used; ``None`` when exact) and ``seed``.

    Examples
    --------
    >>> result = betweenness(nx.path_graph(3))
    >>> result.method, result.kernel, result.values[1]
    ('exact', 'igraph', 1.0)
    >>> betweenness(nx.path_graph(10), exact_max_nodes=5, samples=4, seed=1, kernels="networkx").method
    'sampled'
    """
    chosen = resolve(kernels, backend=backend)
    if chosen.name != "networkx" and weight is None:
        values = chosen.betweenness(graph, normalized=normalized)
        return BetweennessResult(values=values, method="exact", samples=None, seed=None, kernel=chosen.name)
    n = graph.number_of_nodes()
    if n <= exact_max_nodes:
        values = _call(nx.betweenness_centrality, graph, backend, normalized=normalized, weight=weight)
        return BetweennessResult(values=values, method="exact", samples=None, seed=None)
    k = min(samples, n)
    values = _call(nx.betweenness_centrality, graph, backend, k=k, normalized=normalized, weight=weight, seed=seed)
    return BetweennessResult(values=values, method="sampled", samples=k, seed=seed)


def subset_betweenness(
    graph: nx.Graph,
    sources: Iterable[Any],
    targets: Iterable[Any],
    *,
    max_sources: int | None = None,
    seed: int = 0,
    backend: str | None = None,
    kernels: Kernels | str | None = None,
) -> SubsetBetweennessResult:
    """Betweenness counted only over shortest paths from ``sources`` to ``targets``.

    Exact with compiled kernels (``max_sources`` is not needed). With the NetworkX
    kernels and more than ``max_sources`` sources, a seeded random sample of them is used
    and the values are scaled up by ``len(sources) / max_sources``. Values count
    source-target pairs (the share of each pair's shortest paths through the node);
    on undirected graphs NetworkX halves them, which is undone here.

    Examples
    --------
    >>> g = nx.path_graph(["p", "s", "c"])
    >>> subset_betweenness(g, ["p"], ["c"]).values["s"]
    1.0
    """
    sources = sorted(set(sources) & set(graph), key=str)
    targets = sorted(set(targets) & set(graph), key=str)
    chosen = resolve(kernels, backend=backend)
    if chosen.name != "networkx" and not graph.is_directed():
        values = chosen.subset_betweenness(graph, sources, targets, normalized=False)
        values = {n: v * 2.0 for n, v in values.items()}  # each pair once (see NetworkX below)
        return SubsetBetweennessResult(
            values=values,
            method="exact",
            sources=len(sources),
            sources_used=len(sources),
            targets=len(targets),
            seed=None,
            kernel=chosen.name,
        )
    scale, used = 1.0, sources
    if max_sources is not None and len(sources) > max_sources:
        used = sorted(random.Random(seed).sample(sources, max_sources), key=str)
        scale = len(sources) / max_sources
    values = _call(nx.betweenness_centrality_subset, graph, backend, sources=used, targets=targets, normalized=False)
    if not graph.is_directed():
        scale *= 2.0  # NetworkX halves undirected subset values; count each pair once
    if scale != 1.0:
        values = {n: v * scale for n, v in values.items()}
    sampled = used is not sources
    return SubsetBetweennessResult(
        values=values,
        method="sampled" if sampled else "exact",
        sources=len(sources),
        sources_used=len(used),
        targets=len(targets),
        seed=seed if sampled else None,
    )


def top_ranking(values: dict[Any, float], top: int) -> list[Any]:
    """The ``top`` nodes by value, ties broken by node id as string.

    Examples
    --------
    >>> top_ranking({"b": 1.0, "a": 1.0, "c": 2.0}, 2)
    ['c', 'a']
    """
    return [n for n, _ in sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]]


def ranking_overlap(first: list[Any], second: list[Any]) -> float:
    """Share of ``first`` also in ``second`` (1.0 for two empty lists).

    Examples
    --------
    >>> ranking_overlap([1, 2, 3, 4], [4, 3, 9, 8])
    0.5
    """
    if not first:
        return 1.0
    return len(set(first) & set(second)) / len(first)


__all__ = ["betweenness", "ranking_overlap", "subset_betweenness", "top_ranking"]

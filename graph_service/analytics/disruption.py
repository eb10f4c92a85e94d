"""Disruption simulation: remove people or numbers and watch the network break.

``simulate`` removes a given set (in the order given) or ``steps`` nodes chosen by a
strategy, and reports the network after each removal step (step 0 is the network
before any removal):

* ``removed``: ids removed at this step; ``removed_total``;
* ``lcc``: size of the largest connected component, and ``lcc_fraction``: that
  size divided by the largest component's size before any removal;
* ``fragmentation`` (Borgatti, see :mod:`~graph_service.analytics.keyplayers`) and
  ``efficiency`` (``nx.global_efficiency``), both on the remaining graph.

Strategies: ``degree``, ``betweenness`` (exact with the compiled kernels, the
default; with the NetworkX kernels exact up to ``exact_max_nodes`` nodes and a seeded
sample above) and ``kpp`` (greedy KPP-Neg). Modes:

* ``sequential``: recompute the measure on the remaining graph before each removal
  and remove the top node;
* ``block``: rank once on the whole graph and remove the top ``steps`` nodes one by
  one in that order (the measures are recomputed after each removal for the
  report). For ``kpp`` the block is the greedy KPP-Neg set of the whole graph.

Ties are broken by highest score, then smallest node id compared as a string, so
every run gives the same removals. The graph is taken as simple and undirected
(direction, parallel links and weights ignored). The result is a
:class:`~graph_service.analytics.results.DisruptionResult`; its curve is output
unrounded.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph_service.analytics.bridges import MIN_STRENGTH
from graph_service.analytics.centrality import DEFAULT_EXACT_MAX_NODES, DEFAULT_SAMPLES, betweenness
from graph_service.analytics.errors import AnalyticsError, NodeNotFound
from graph_service.analytics.kernels import Kernels, resolve
from graph_service.analytics.keyplayers import best_fragmenting_node, fragmentation, kpp_neg
from graph_service.analytics.results import DisruptionResult, DisruptionStep
from graph_service.analytics.stats import simple_undirected
from graph_service.gc_pause import paused_gc

STRATEGIES = ("degree", "betweenness", "kpp")
MODES = ("sequential", "block")


def evidence_network(people: nx.Graph, *, min_strength: float = MIN_STRENGTH) -> nx.Graph:
    """The person evidence graph as a simple undirected graph of its links of at
    least ``min_strength`` (0.02, the weakest evidence the bridges follow): what
    ``marsoc disrupt`` without ``--network`` breaks up.

    Examples
    --------
    >>> people = nx.Graph()
    >>> people.add_edge("a", "b", strength=0.5)
    >>> people.add_edge("b", "c", strength=0.01)
    >>> sorted(evidence_network(people).edges)
    [('a', 'b')]
    """
    strong = [(a, b) for a, b, d in people.edges(data=True) if d.get("strength", 0) >= min_strength and a != b]
    ends = {n for pair in strong for n in pair}
    network: nx.Graph = nx.Graph()
    network.add_nodes_from((n, d) for n, d in people.nodes(data=True) if n in ends)
    network.add_edges_from(strong)
    return network


def ranked(scores: dict[Any, float]) -> list[Any]:
    """Nodes by score descending, ties by node id as a string.

    Examples
    --------
    >>> ranked({"b": 2, "a": 2, "c": 5})
    ['c', 'a', 'b']
    """
    return [n for n, _ in sorted(scores.items(), key=lambda kv: (-kv[1], str(kv[0])))]


def largest_component(graph: nx.Graph) -> int:
    """Nodes in the largest connected component (0 for an empty graph)."""
    return max((len(c) for c in nx.connected_components(graph)), default=0)


def efficiency(
    graph: nx.Graph, *, exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES, samples: int = DEFAULT_SAMPLES, seed: int = 0
) -> float:
    """Global efficiency; exact (``nx.global_efficiency``) up to ``exact_max_nodes``.

    Above it, the mean of ``1 / d`` over every pair starting from ``samples``
    seeded source nodes.

    Examples
    --------
    >>> efficiency(nx.complete_graph(4))
    1.0
    """
    n = graph.number_of_nodes()
    if n <= exact_max_nodes:
        return nx.global_efficiency(graph)
    sources = random.Random(seed).sample(sorted(graph.nodes, key=str), min(samples, n))
    total = 0.0
    for source in sources:
        total += sum(1.0 / d for d in nx.single_source_shortest_path_length(graph, source).values() if d > 0)
    return total / (len(sources) * (n - 1))


def _scores(graph: nx.Graph, strategy: str, options: dict) -> dict[Any, float]:
    if strategy == "degree":
        return dict(graph.degree())
    return betweenness(
        graph,
        exact_max_nodes=options["exact_max_nodes"],
        samples=options["samples"],
        seed=options["seed"],
        backend=options.get("backend"),
        kernels=options.get("kernels"),
    ).values


def _next_node(graph: nx.Graph, strategy: str, options: dict) -> Any:
    if strategy == "kpp":
        return best_fragmenting_node(graph)
    return ranked(_scores(graph, strategy, options))[0]


def removal_order(graph: nx.Graph, strategy: str, mode: str, steps: int, **options: Any) -> list[Any]:
    """The nodes a strategy removes, in order (see the module docstring).

    Examples
    --------
    >>> removal_order(nx.star_graph(3), "degree", "block", 2)
    [0, 1]
    """
    if strategy not in STRATEGIES:
        raise AnalyticsError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    if mode not in MODES:
        raise AnalyticsError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    options = {"exact_max_nodes": DEFAULT_EXACT_MAX_NODES, "samples": DEFAULT_SAMPLES, "seed": 0, **options}
    steps = min(steps, graph.number_of_nodes())
    if mode == "block":
        if strategy == "kpp":
            return list(kpp_neg(graph, steps).nodes)
        return ranked(_scores(graph, strategy, options))[:steps]
    working = graph.copy()
    order = []
    for _ in range(steps):
        node = _next_node(working, strategy, options)
        order.append(node)
        working.remove_node(node)
    return order


def _state(graph: nx.Graph, removed: tuple, total: int, base_lcc: int, options: dict) -> DisruptionStep:
    lcc = largest_component(graph)
    return DisruptionStep(
        step=total,
        removed=removed,
        removed_total=total,
        nodes=graph.number_of_nodes(),
        lcc=lcc,
        lcc_fraction=lcc / base_lcc if base_lcc else 0.0,
        fragmentation=fragmentation(graph),
        efficiency=efficiency(
            graph, exact_max_nodes=options["exact_max_nodes"], samples=options["samples"], seed=options["seed"]
        ),
    )


@paused_gc()
def simulate(
    graph: nx.Graph,
    *,
    strategy: str = "degree",
    mode: str = "sequential",
    steps: int = 5,
    remove: Iterable[Any] | None = None,
    seed: int = 0,
    exact_max_nodes: int = DEFAULT_EXACT_MAX_NODES,
    samples: int = DEFAULT_SAMPLES,
    backend: str | None = None,
    kernels: Kernels | str | None = None,
) -> DisruptionResult:
    """Remove nodes step by step and report the network after each step.

    Parameters
    ----------
    graph : networkx.Graph
        Any graph; used as simple and undirected.
    strategy, mode, steps
        How to choose ``steps`` nodes (ignored when ``remove`` is given).
    remove : iterable, optional
        Ids to remove, one per step, in this order.

    Returns
    -------
    DisruptionResult
        ``strategy``, ``mode``, ``removed`` (all, in order) and ``curve`` (one entry
        per step, step 0 first).

    Examples
    --------
    >>> result = simulate(nx.path_graph(5), strategy="degree", mode="sequential", steps=1)
    >>> result.removed, [s.lcc_fraction for s in result.curve]
    ((1,), [1.0, 0.6])
    """
    simple = simple_undirected(graph)
    options = {
        "exact_max_nodes": exact_max_nodes,
        "samples": samples,
        "seed": seed,
        "backend": backend,
        "kernels": resolve(kernels, backend=backend),
    }
    if remove is not None:
        order = list(remove)
        if len(set(order)) < len(order):
            raise AnalyticsError("remove: name each node once")
        for node in order:
            if node not in simple:
                raise NodeNotFound(node, "the network")
        strategy, mode = "given", "given"
    else:
        order = removal_order(simple, strategy, mode, steps, **options)
    base_lcc = largest_component(simple)
    working = simple.copy()
    curve = [_state(working, (), 0, base_lcc, options)]
    for index, node in enumerate(order, 1):
        working.remove_node(node)
        curve.append(_state(working, (node,), index, base_lcc, options))
    return DisruptionResult(
        strategy=strategy,
        mode=mode,
        removed=tuple(order),
        curve=tuple(curve),
        nodes_before=simple.number_of_nodes(),
        lcc_before=base_lcc,
    )


__all__ = [
    "MODES",
    "STRATEGIES",
    "efficiency",
    "evidence_network",
    "largest_component",
    "ranked",
    "removal_order",
    "simulate",
]

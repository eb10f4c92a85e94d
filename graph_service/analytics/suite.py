"""Every whole-graph analysis on one warm graph: what ``marsoc analyse`` prints.

:func:`analyse` runs the sections of ``SECTIONS`` on a
:class:`~graph_service.analytics.workspace.Workspace` (one extraction and one person
graph shared by all), each cached by the workspace, and times each part:

``bridges``
    :func:`~graph_service.analytics.bridges.bridge_ranking` (summary and the top).
``hubs``
    :func:`~graph_service.analytics.hubs.custody_hubs`.
``communities``
    :func:`~graph_service.analytics.communities.communities` (Leiden).
``cohort``
    :func:`~graph_service.analytics.cohort.cohort_priority`.
``keyplayers``
    On the evidence network (:func:`~graph_service.analytics.disruption.evidence_network`):
    KPP-Neg, the ``k`` people whose removal most fragments it, and KPP-Pos, the ``k``
    who together reach the most within two steps, each chosen greedily among the
    ``candidates`` best-connected people.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph_service.analytics.scoping import Scope
from graph_service.analytics.workspace import Workspace
from graph_service.gc_pause import paused_gc

SECTIONS: tuple[str, ...] = ("bridges", "hubs", "communities", "cohort", "keyplayers")
KEYPLAYER_CANDIDATES = 200


@dataclass(frozen=True)
class Section:
    """One analysis of :func:`analyse`: its ``value`` and the ``seconds`` it took
    (0 when it came from the cache)."""

    name: str
    value: Any
    seconds: float
    cached: bool


@dataclass(frozen=True)
class Options:
    """Parameters of the sections (each is part of the cache key)."""

    top: int = 10
    seed: int = 0
    max_hops: int = 3
    min_size: int = 5
    k: int = 5
    candidates: int = KEYPLAYER_CANDIDATES
    cohort_weights: Any = None


def _bridges(ws: Workspace, scope: Scope, o: Options) -> Any:
    from graph_service.analytics.bridges import WeightCache, bridge_ranking

    cache = ws.kept(scope, "bridges", WeightCache)
    return bridge_ranking(
        ws.people(scope), max_hops=o.max_hops, top=o.top, seed=o.seed, kernels=ws.kernels, cache=cache
    )


def _hubs(ws: Workspace, scope: Scope, o: Options) -> Any:
    from graph_service.analytics.hubs import custody_hubs

    return custody_hubs(ws.graph(scope), ws.people(scope), top=o.top)


def _communities(ws: Workspace, scope: Scope, o: Options) -> Any:
    from graph_service.analytics.communities import communities

    return communities(ws.people(scope), seed=o.seed, min_size=o.min_size, kernels=ws.kernels)


def _cohort(ws: Workspace, scope: Scope, o: Options) -> Any:
    from graph_service.analytics.cohort import cohort_priority

    return cohort_priority(ws.graph(scope), ws.people(scope), weights=o.cohort_weights, as_of=scope.as_of, top=o.top)


def _keyplayers(ws: Workspace, scope: Scope, o: Options) -> Any:
    from graph_service.analytics.disruption import evidence_network
    from graph_service.analytics.keyplayers import kpp_neg, kpp_pos

    network = evidence_network(ws.people(scope))
    return {
        "nodes": network.number_of_nodes(),
        "links": network.number_of_edges(),
        "kpp_neg": kpp_neg(network, o.k, candidates=o.candidates),
        "kpp_pos": kpp_pos(network, o.k, candidates=o.candidates),
    }


RUNNERS = {
    "bridges": _bridges,
    "hubs": _hubs,
    "communities": _communities,
    "cohort": _cohort,
    "keyplayers": _keyplayers,
}


def _weights_key(weights: Any) -> Any:
    if weights is None:
        return None
    dumped = weights.model_dump() if hasattr(weights, "model_dump") else dict(weights)
    return tuple(sorted(dumped.items()))


def section(ws: Workspace, name: str, scope: Scope | None = None, options: Options | None = None) -> Section:
    """One section, from the workspace's cache when it holds it.

    Examples
    --------
    >>> section(None, "bridge")
    Traceback (most recent call last):
    ...
    ValueError: unknown section 'bridge'; choose from bridges, hubs, communities, cohort, keyplayers
    """
    if name not in RUNNERS:
        raise ValueError(f"unknown section {name!r}; choose from {', '.join(SECTIONS)}")
    scope, options = scope or Scope(), options or Options()
    params = (
        options.top,
        options.seed,
        options.max_hops,
        options.min_size,
        options.k,
        options.candidates,
        _weights_key(options.cohort_weights),
    )
    computed: list[float] = []

    def compute() -> Any:
        started = time.perf_counter()
        with paused_gc():
            value = RUNNERS[name](ws, scope, options)
        computed.append(time.perf_counter() - started)
        return value

    value = ws.result(name, scope, params, compute)
    return Section(name, value, computed[0] if computed else 0.0, cached=not computed)


@paused_gc()  # between sections too: a collection over the warm graph's heap takes a second
def analyse(
    ws: Workspace,
    scope: Scope | None = None,
    options: Options | None = None,
    sections: Sequence[str] = SECTIONS,
    progress: Any = None,
) -> tuple[dict[str, Section], dict[str, float]]:
    """Run ``sections`` on the warm graph; returns them and the timings of the shared
    parts (``refresh_s``: extraction or delta, ``scope_s``, ``people_s``) and of each
    section (``<name>_s``), with ``total_s``."""
    scope = scope or Scope()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    for label, step in (
        ("refresh_s", ws.refresh),
        ("scope_s", lambda: ws.graph(scope)),
        ("people_s", lambda: ws.people(scope)),
    ):
        if progress:
            progress(label.removesuffix("_s"))
        began = time.perf_counter()
        step()
        timings[label] = time.perf_counter() - began
    found = {}
    for name in sections:
        if progress:
            progress(name)
        found[name] = section(ws, name, scope, options)
        timings[f"{name}_s"] = found[name].seconds
    timings["total_s"] = time.perf_counter() - started
    return found, timings


__all__ = ["SECTIONS", "Options", "Section", "analyse", "section"]

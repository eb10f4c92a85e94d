"""Communities of the person evidence graph and their overlap with known OCGs.

Leiden (Traag, Waltman and van Eck 2019; igraph's ``community_leiden`` optimising
modularity) on link strength, with a fixed seed: the same graph and seed always give
the same communities. Leiden rather than Louvain because Louvain can return badly
connected, even disconnected, communities, and Leiden guarantees connected ones for
the same objective; with the NetworkX kernels (the reference) it is NetworkX's Louvain. Each community lists, per
OCG with members in it, the Jaccard index and the share of the OCG's members it
holds. A community is flagged ``new_group`` when it has at least ``min_size`` people,
no OCG reaches ``explained_jaccard`` (0.1) Jaccard with it, and at least
``min_intel`` (2) intelligence-evidence links join its members: a group the
intelligence sees that no OCG explains. Ordering: size descending, then the smallest
member id. The result is a :class:`~graph_service.analytics.results.CommunitiesResult`
(Jaccard, shares and modularity full floats, rounded only by ``to_json``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph_service.analytics.kernels import Kernels, resolve
from graph_service.analytics.results import CommunitiesResult, Community, OcgOverlap, rank_key
from graph_service.gc_pause import paused_gc
from graph_service.multigraph import neighbours


def _intel_links(people: nx.Graph, members: set) -> int:
    count = 0
    adj = neighbours(people)
    for a in members:
        for b, data in adj[a].items():
            if b in members and str(a) <= str(b):  # each link once (a self-link too)
                evidence = data.get("evidence", ())
                count += any(i.get("kind") == "intelligence" and not i.get("declared") for i in evidence)
    return count


def _overlaps(members: set, ocgs_of: dict[Any, list], ocg_members: dict[Any, set]) -> list[OcgOverlap]:
    """The OCGs with members in ``members``, best Jaccard first (found from the
    members' own OCGs: a country's communities times its OCGs is too many to test)."""
    inside: Counter = Counter(ocg for m in members for ocg in ocgs_of.get(m, ()))
    overlaps = [
        OcgOverlap(
            ocg=ocg,
            members_inside=n,
            jaccard=n / (len(members) + len(ocg_members[ocg]) - n),
            share_of_ocg=n / len(ocg_members[ocg]),
        )
        for ocg, n in inside.items()
    ]
    overlaps.sort(key=lambda o: (-rank_key(o.jaccard), str(o.ocg)))
    return overlaps


def modularity(graph: nx.Graph, parts: Iterable[set], *, weight: str | None = None, resolution: float = 1.0) -> float:
    """Modularity of a partition of an undirected graph, as NetworkX's
    ``community.modularity`` defines it (equal to it up to rounding, tested), read
    from the adjacency in one pass (each part's sums exactly rounded, so that the value
    does not depend on the order of a set): each part's internal weight over ``m`` less
    ``resolution`` times its squared share of the degree sum.

    Examples
    --------
    >>> round(modularity(nx.barbell_graph(3, 0), [{0, 1, 2}, {3, 4, 5}]), 3)
    0.357
    """
    adj = neighbours(graph)
    degree: dict[Any, float] = {}
    total = 0.0
    for node, nbrs in adj.items():
        d = 0.0
        for other, data in nbrs.items():
            w = float(data.get(weight, 1.0)) if weight is not None else 1.0
            d += 2 * w if other == node else w
        degree[node] = d
        total += d
    if total == 0:
        return 0.0
    m = total / 2
    quality = 0.0
    for part in parts:  # each part's sums exactly rounded: the same whatever a set's order
        inside: list[float] = []
        for node in part:
            for other, data in adj[node].items():
                if other in part:
                    w = float(data.get(weight, 1.0)) if weight is not None else 1.0
                    inside.append(w if other == node else w / 2)
        spread = math.fsum(degree[node] for node in part)
        quality += math.fsum(inside) / m - resolution * (spread / total) ** 2
    return quality


@paused_gc()
def communities(
    people: nx.Graph,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    min_size: int = 5,
    explained_jaccard: float = 0.1,
    min_intel: int = 2,
    kernels: Kernels | str | None = None,
) -> CommunitiesResult:
    """Leiden communities with their OCG overlap; unexplained groups flagged.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edges_from([(i, j) for i in range(4) for j in range(i)], strength=1.0)
    >>> g.add_edges_from([(i, j) for i in range(4, 8) for j in range(4, i)], strength=1.0)
    >>> g.add_edge(3, 4, strength=0.1)
    >>> for n in g:
    ...     g.nodes[n]["ocgs"] = {"ocg:O1": {}} if n < 4 else {}
    >>> result = communities(g, seed=1, min_size=3)
    >>> [(c.members, c.best_ocg) for c in result.communities]
    [((0, 1, 2, 3), 'ocg:O1'), ((4, 5, 6, 7), None)]
    """
    found = resolve(kernels).communities(people, seed=seed, resolution=resolution, weight="strength")
    ocg_members: dict[Any, set] = defaultdict(set)
    ocgs_of: dict[Any, list] = {}
    for node, data in people.nodes(data=True):
        if data.get("ocgs"):
            ocgs_of[node] = list(set(data["ocgs"]))  # each OCG once, however listed
            for ocg in ocgs_of[node]:
                ocg_members[ocg].add(node)
    ordered = sorted((set(c) for c in found), key=lambda c: (-len(c), min(str(x) for x in c)))
    rows = []
    for index, members in enumerate(ordered, 1):
        overlaps = _overlaps(members, ocgs_of, ocg_members)
        best = overlaps[0] if overlaps else None
        explained = best is not None and best.jaccard >= explained_jaccard
        intel = _intel_links(people, members) if len(members) >= min_size and not explained else None
        rows.append(
            Community(
                community=index,
                size=len(members),
                members=tuple(sorted(members, key=str)),
                ocg_overlap=tuple(overlaps),
                best_ocg=best.ocg if best else None,
                best_jaccard=best.jaccard if best else 0.0,
                intelligence_links=intel,
                new_group=bool(len(members) >= min_size and not explained and (intel or 0) >= min_intel),
            )
        )
    return CommunitiesResult(
        seed=seed,
        resolution=resolution,
        count=len(rows),
        modularity=modularity(people, ordered, weight="strength") if ordered else 0.0,
        communities=tuple(rows),
        new_groups=tuple(r.community for r in rows if r.new_group),
    )


__all__ = ["communities", "modularity"]

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

from collections import defaultdict
from typing import Any

import networkx as nx

from graph_service.analytics.kernels import Kernels, resolve
from graph_service.analytics.results import CommunitiesResult, Community, OcgOverlap, rank_key
from graph_service.gc_pause import paused_gc


def _intel_links(people: nx.Graph, members: set) -> int:
    count = 0
    for a in members:
        for b, data in people.adj[a].items():
            if b in members and str(a) <= str(b):  # each link once (a self-link too)
                evidence = data.get("evidence", ())
                count += any(i.get("kind") == "intelligence" and not i.get("declared") for i in evidence)
    return count


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
    for node, data in people.nodes(data=True):
        for ocg in data.get("ocgs") or {}:
            ocg_members[ocg].add(node)
    ordered = sorted((set(c) for c in found), key=lambda c: (-len(c), min(str(x) for x in c)))
    rows = []
    for index, members in enumerate(ordered, 1):
        overlaps = [
            OcgOverlap(
                ocg=ocg,
                members_inside=len(members & known),
                jaccard=len(members & known) / len(members | known),
                share_of_ocg=len(members & known) / len(known),
            )
            for ocg, known in ocg_members.items()
            if members & known
        ]
        overlaps.sort(key=lambda o: (-rank_key(o.jaccard), str(o.ocg)))
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
        modularity=nx.community.modularity(people, ordered, weight="strength") if ordered else 0.0,
        communities=tuple(rows),
        new_groups=tuple(r.community for r in rows if r.new_group),
    )


__all__ = ["communities"]

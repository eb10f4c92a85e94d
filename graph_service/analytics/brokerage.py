"""Gould-Fernandez brokerage roles.

A broker ``b`` sits on a two-step path ``a -> b -> c`` where ``a`` and ``c`` are not
directly linked. With each node in a group, the path is one of five roles:

==================  =================================
coordinator         a, b, c all in one group
itinerant           a and c in one group, b in another
representative      a and b in one group, c in another
gatekeeper          b and c in one group, a in another
liaison             a, b, c in three different groups
==================  =================================

On an undirected graph every unordered pair of unlinked neighbours is counted in
both directions, so representative and gatekeeper counts are equal there.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.analytics.results import BrokerageRoles

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def group_of(attrs: dict) -> str:
    """The brokerage group of a person: ``ocg``, ``prisoner``, ``staff`` or ``community``.

    Examples
    --------
    >>> group_of({"kind": "prisoner", "ocgs": {"ocg:O1": {}}}), group_of({"kind": "visitor"})
    ('ocg', 'community')
    """
    if attrs.get("ocgs"):
        return "ocg"
    kind = attrs.get("kind")
    return kind if kind in ("prisoner", "staff") else "community"


def role_of(ga: Any, gb: Any, gc: Any) -> str:
    """The Gould-Fernandez role of ``b`` on ``a -> b -> c`` from the three groups.

    Examples
    --------
    >>> [role_of(*g) for g in ("xxx", "yxy", "xxy", "yxx", "xyz")]
    ['coordinator', 'itinerant', 'representative', 'gatekeeper', 'liaison']
    """
    if ga == gb == gc:
        return "coordinator"
    if ga == gc:
        return "itinerant"
    if ga == gb:
        return "representative"
    if gb == gc:
        return "gatekeeper"
    return "liaison"


def brokerage_roles(graph: nx.Graph, broker: Any, groups: dict[Any, Any]) -> BrokerageRoles:
    """Counts of each role ``broker`` plays, plus ``ocg_pairs``.

    ``ocg_pairs`` counts unordered unlinked neighbour pairs with exactly one side
    in the ``ocg`` group: the contacts between organised crime and everyone else
    that only pass through ``broker``.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> brokerage_roles(g, "b", {"a": "staff", "b": "staff", "c": "ocg"}).representative
    1
    >>> u = nx.Graph([("a", "b"), ("b", "c")])
    >>> r = brokerage_roles(u, "b", {"a": "staff", "b": "staff", "c": "ocg"})
    >>> r.representative, r.gatekeeper, r.ocg_pairs
    (1, 1, 1)
    """
    counts = dict.fromkeys(ROLES, 0)
    pairs = 0
    if isinstance(graph, nx.DiGraph):
        before, after = list(graph.predecessors(broker)), list(graph.successors(broker))
    else:
        before = after = list(graph.neighbors(broker))
    gb = groups.get(broker)
    for a in before:
        for c in after:
            if a in (c, broker) or c == broker or graph.has_edge(a, c):
                continue
            counts[role_of(groups.get(a), gb, groups.get(c))] += 1
            if (groups.get(a) == "ocg") != (groups.get(c) == "ocg"):
                pairs += 1
    if not graph.is_directed():
        pairs //= 2
    return BrokerageRoles(**counts, ocg_pairs=pairs)


__all__ = ["ROLES", "brokerage_roles", "group_of", "role_of"]

"""What changed between two dates ("since the last hub meeting").

Both states come from one extracted graph: :func:`graph_at` applies an ``as_of``
scope for each date (see :mod:`~graph_service.analytics.scoping`), so a link is
"new" when it started after the first date and on or before the second.
Rankings (bridges, hubs, cohort) are computed at each date with the same code and
compared: a mover's ``delta`` is ``rank_before - rank_after`` (positive: moved up);
an entity unranked at a date is given rank ``len(ranking) + 1`` there, and entries
and exits are always listed. The result is a
:class:`~graph_service.analytics.results.ChangesResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import networkx as nx

from graph_service.analytics.bridges import corruption_bridges
from graph_service.analytics.cohort import cohort_priority
from graph_service.analytics.errors import InvalidScope
from graph_service.analytics.hubs import custody_hubs
from graph_service.analytics.projection import person_graph
from graph_service.analytics.results import ChangesResult, Mover, NewLink, NewLinks, NewMember, Ranked
from graph_service.analytics.scoping import Scope, scope_graph
from graph_service.gc_pause import paused_gc

CHANGES_DAYS = 28  # "changes since" defaults to this many days before the end date (a hub's meeting cycle)


def graph_at(graph: nx.MultiDiGraph, day: str, scope: Scope | None = None) -> nx.MultiDiGraph:
    """The scoped graph as known on ``day``."""
    base = scope or Scope()
    return scope_graph(graph, replace(base, as_of=day, since=None, until=None))


def _link_id(u: Any, v: Any, key: Any, data: dict) -> tuple:
    return (data.get("store_src", u), data.get("store_dst", v), str(key).split("~")[0], data.get("type"))


def new_links(before: nx.MultiDiGraph, after: nx.MultiDiGraph, *, limit: int = 200) -> NewLinks:
    """Links present ``after`` and not ``before``: counts per type and the first ``limit``.

    Examples
    --------
    >>> a = nx.MultiDiGraph(); b = nx.MultiDiGraph()
    >>> _ = b.add_edge("x", "y", key="CALLED", type="CALLED")
    >>> new_links(a, b).by_type
    {'CALLED': 1}
    """
    known = {_link_id(u, v, k, d) for u, v, k, d in before.edges(keys=True, data=True)}
    fresh = sorted(
        (_link_id(u, v, k, d) for u, v, k, d in after.edges(keys=True, data=True) if _link_id(u, v, k, d) not in known),
        key=lambda t: tuple(str(x) for x in t),
    )
    by_type: dict[str, int] = {}
    for link in fresh:
        by_type[link[3]] = by_type.get(link[3], 0) + 1
    return NewLinks(
        count=len(fresh),
        by_type=dict(sorted(by_type.items())),
        links=tuple(NewLink(src=s, dst=d, type=t) for s, d, _, t in fresh[:limit]),
        truncated=len(fresh) > limit,
    )


def new_ocg_members(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> list[NewMember]:
    """``MEMBER_OF`` links present ``after`` and not ``before``.

    Examples
    --------
    >>> a = nx.MultiDiGraph(); b = nx.MultiDiGraph()
    >>> _ = b.add_edge("person:P1", "ocg:O1", type="MEMBER_OF", role="member", valid_from="2024-02-01")
    >>> new_ocg_members(a, b)
    [NewMember(id='person:P1', ocg='ocg:O1', role='member', since='2024-02-01')]
    """
    known = {(u, v) for u, v, d in before.edges(data=True) if d.get("type") == "MEMBER_OF"}
    rows = [
        NewMember(id=u, ocg=v, role=d.get("role"), since=d.get("since") or d.get("valid_from"))
        for u, v, d in after.edges(data=True)
        if d.get("type") == "MEMBER_OF" and (u, v) not in known
    ]
    return sorted(rows, key=lambda r: (str(r.ocg), str(r.id)))


def rankings(
    graph: nx.MultiDiGraph, *, cohort_weights: Any = None, as_of: str | None = None, seed: int = 0
) -> dict[str, Sequence[Ranked]]:
    """Bridges, hubs and cohort of one scoped graph."""
    people = person_graph(graph)
    return {
        "bridges": corruption_bridges(people, seed=seed),
        "hubs": custody_hubs(graph, people),
        "cohort": cohort_priority(graph, people, weights=cohort_weights, as_of=as_of),
    }


def movers(before: Sequence[Ranked], after: Sequence[Ranked], *, top: int = 10) -> list[Mover]:
    """Largest rank changes between two rankings (ties: larger move, then id).

    ``before`` and ``after`` are rankings (bridges, hubs, cohort: anything with an
    ``id``, a ``rank`` and a ``score``).

    Examples
    --------
    >>> from types import SimpleNamespace as Row
    >>> before = [Row(id="a", rank=1, score=0.9)]
    >>> after = [Row(id="b", rank=1, score=0.8), Row(id="a", rank=2, score=0.5)]
    >>> [(m.id, m.rank_before, m.rank_after, m.delta) for m in movers(before, after)]
    [('a', 1, 2, -1), ('b', None, 1, 1)]
    """
    old = {r.id: r for r in before}
    new = {r.id: r for r in after}
    rows = []
    for node in set(old) | set(new):
        was, now = old.get(node), new.get(node)
        rb = was.rank if was is not None else None
        ra = now.rank if now is not None else None
        delta = (rb or len(before) + 1) - (ra or len(after) + 1)
        if delta == 0 and rb is not None and ra is not None:
            continue
        rows.append(
            Mover(
                id=node,
                rank_before=rb,
                rank_after=ra,
                score_before=was.score if was is not None else None,
                score_after=now.score if now is not None else None,
                delta=delta,
            )
        )
    rows.sort(key=lambda r: (-abs(r.delta), str(r.id)))
    return rows[:top]


@paused_gc()
def changes_between(
    graph: nx.MultiDiGraph,
    since: str,
    until: str,
    *,
    scope: Scope | None = None,
    cohort_weights: Any = None,
    top: int = 10,
    rank: Callable[..., Mapping[str, Sequence[Ranked]]] | None = None,
) -> ChangesResult:
    """New links, new OCG members and ranking movers between ``since`` and ``until``.

    ``graph`` is the extracted graph up to ``until`` (unscoped or scoped without a
    time); ``scope`` supplies the other scope rules applied at both dates; ``rank``
    (default :func:`rankings`) ranks one scoped graph.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("person:P1", "ocg:O1", type="MEMBER_OF", valid_from="2024-03-01")
    >>> result = changes_between(g, "2024-01-01", "2024-06-01", rank=lambda graph, **_: {})
    >>> result.new_links.by_type, [m.id for m in result.new_ocg_members]
    ({'MEMBER_OF': 1}, ['person:P1'])
    """
    if since > until:
        raise InvalidScope(f"since {since} is after until {until}")
    before, after = graph_at(graph, since, scope), graph_at(graph, until, scope)
    rank = rank or rankings
    ranked_before = rank(before, cohort_weights=cohort_weights, as_of=since)
    ranked_after = rank(after, cohort_weights=cohort_weights, as_of=until)
    return ChangesResult(
        since=since,
        until=until,
        new_links=new_links(before, after),
        new_ocg_members=tuple(new_ocg_members(before, after)),
        movers={name: tuple(movers(ranked_before[name], ranked_after[name], top=top)) for name in ranked_after},
    )


__all__ = ["changes_between", "graph_at", "movers", "new_links", "new_ocg_members", "rankings"]

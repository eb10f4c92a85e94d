"""Custody-to-community hubs: people and numbers joining many prisoners to the outside.

Each candidate is a number (``Phone``) or a person who is not a prisoner. A hub joins
prisoners through channels of contact: a number through its calls and PIN-list
entries, a person through visits. Intelligence associations are assertions, not
channels: they count on the outside side (reach) but do not make a prisoner
contact. A number's users are the people attributed it, including the holder named
by a PIN-list attribution to someone other than a prisoner
(:func:`~graph_service.analytics.projection.is_pin_list_entry`). A person's outside
side also holds, through the person graph, the contacts of their numbers. (A person
whose prisoner contacts all run through one number is reported on that number, with
the person as its user, so one hub is not counted twice.)

Score parts (each in [0, 1]; weights ``WEIGHTS``)
-------------------------------------------------
``prisoners`` (0.35)
    distinct prisoners in contact, ``log(1 + n) / log(1 + max n)``.
``establishments`` (0.2)
    distinct establishments of those prisoners, divided by the largest count.
``ocg_reach`` (0.3)
    distinct OCG members on the outside side (the person, the number's users, the
    people their numbers call), ``log(1 + n) / log(1 + max n)``.
``exclusivity`` (0.15)
    share of the candidate's prisoners for whom it is the only link to its OCGs:
    the prisoner is not a member of them and has no other person link to one of
    their members. A number an OCG uses to reach its own imprisoned members spans
    no boundary; one that brings unrelated prisoners into contact with an OCG does.

Never ranked: nodes with ``privileged`` true, common numbers (see
:mod:`graph_service.analytics.projection`: inverse-log degree and the 99th
percentile rule), prisoners, and candidates with fewer than ``min_prisoners`` (2)
prisoners. Ties: score descending, then id. Results are
:class:`~graph_service.analytics.results.HubResult`; scores are full floats, rounded
only by ``to_json``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import networkx as nx

from graph_service.analytics.projection import _link_ref, is_pin_list_entry
from graph_service.analytics.results import Channel, Component, HubComponents, HubEvidence, HubResult, rank_key
from graph_service.analytics.scoping import is_truthy
from graph_service.gc_pause import paused_gc
from graph_service.multigraph import links
from graph_service.schema import NON_ASSOCIATION_LINK_TYPES, is_intelligence_type

WEIGHTS: dict[str, float] = {"prisoners": 0.35, "establishments": 0.2, "ocg_reach": 0.3, "exclusivity": 0.15}
# Links that join no contacts or associates (custody, posts, memberships, homes,
# identity candidates, generic networks): the schema's declared meanings say which.
SKIP_TYPES: frozenset[str] = frozenset(NON_ASSOCIATION_LINK_TYPES)


# A channel as collected: ("link", u, v, data), ("via", call, use) of two such links,
# or a person link's first evidence item; made into references only for ranked hubs.
_Raw = tuple | dict


class _Contacts:
    def __init__(self, graph: nx.MultiDiGraph, people: nx.Graph) -> None:
        self.graph, self.people = graph, people
        self.labels = {n: set(d.get("labels", ())) for n, d in graph.nodes(data=True)}
        self.phones = {n for n, labels in self.labels.items() if "Phone" in labels}
        self.prisoners = {n for n, d in people.nodes(data=True) if d.get("kind") == "prisoner"}
        self.people_ids = set(people)
        self.inside: dict[Any, dict[Any, list[_Raw]]] = defaultdict(lambda: defaultdict(list))
        self.outside: dict[Any, dict[Any, list[_Raw]]] = defaultdict(lambda: defaultdict(list))
        self.users: dict[Any, list[tuple[Any, dict]]] = defaultdict(list)

    def add(self, hub: Any, other: Any, link: _Raw) -> None:
        if hub == other or other not in self.people_ids:
            return
        side = self.inside if other in self.prisoners else self.outside
        side[hub][other].append(link)


def _collect(graph: nx.MultiDiGraph, people: nx.Graph) -> _Contacts:
    c = _Contacts(graph, people)
    for u, v, data in links(graph):
        if data.get("type") == "USES_PHONE" and not is_pin_list_entry(c.labels.get(u, ()), data):
            c.users[v].append((u, data))
    phones = c.phones
    for u, v, data in links(graph):
        kind = data.get("type")
        if kind in SKIP_TYPES:
            continue
        link = ("link", u, v, data)
        if kind == "USES_PHONE":
            c.add(v, u, link)
        elif kind == "CALLED":
            for hub, other in ((u, v), (v, u)):
                if hub not in phones:
                    continue
                if other in c.people_ids:
                    c.add(hub, other, link)
                for user, use in c.users.get(other, ()):
                    c.add(hub, user, ("via", link, ("link", user, other, use)))
        elif kind == "VISITED" or (
            kind is not None and is_intelligence_type(kind) and u not in c.prisoners and v not in c.prisoners
        ):
            c.add(u, v, link)
            c.add(v, u, link)
    for node in people.nodes:
        if node in c.prisoners:
            continue
        for other, edge in people[node].items():
            if other not in c.prisoners and other not in c.outside[node]:
                c.outside[node][other].append({"person_link": edge["evidence"][0]})
    return c


def _channels(raws: list[_Raw]) -> tuple[Channel, ...]:
    """The channels as results show them (stored links as references)."""
    found: list[Channel] = []
    for raw in raws:
        if isinstance(raw, dict):
            found.append(raw)  # type: ignore[arg-type]
        elif raw[0] == "via":
            found.append((_link_ref(*raw[1][1:]), _link_ref(*raw[2][1:])))
        else:
            found.append(_link_ref(*raw[1:]))
    return tuple(found)


def _establishments(people: nx.Graph, prisoners: Any) -> list[str]:
    found: set[str] = set()
    for p in prisoners:
        data = people.nodes[p]
        found.update(
            data.get("establishments") or ([data["home_establishment"]] if data.get("home_establishment") else [])
        )
    return sorted(found)


def _exclusivity(people: nx.Graph, hub: Any, prisoners: list, ocgs: set, holders: set) -> float:
    """Share of ``prisoners`` with no link to ``ocgs`` other than through ``hub``."""
    if not prisoners or not ocgs:
        return 0.0
    own = 0
    for p in prisoners:
        linked = bool(ocgs & set(people.nodes[p].get("ocgs") or ()))
        for other in people[p]:
            if other == hub or other in holders:
                continue
            if ocgs & set(people.nodes[other].get("ocgs") or ()):
                linked = True
                break
        own += not linked
    return own / len(prisoners)


def _log_share(value: float, top: float) -> float:
    return math.log1p(value) / math.log1p(top) if top > 0 else 0.0


@paused_gc()
def custody_hubs(
    graph: nx.MultiDiGraph, people: nx.Graph, *, top: int | None = None, min_prisoners: int = 2
) -> list[HubResult]:
    """Rank people and numbers by how they join prisoners to the outside and to OCGs.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The scoped extracted graph (numbers, calls, PIN lists, visits).
    people : networkx.Graph
        Its person-level evidence graph (:func:`~graph_service.analytics.projection.person_graph`).

    Returns
    -------
    list of HubResult
        ``id``, ``kind`` (``phone``/``person``), ``score``, ``components``,
        ``prisoners``, ``establishments``, ``ocg_members``, ``ocgs``, ``users`` (of a
        number), ``evidence`` (the stored links per prisoner and per OCG member) and
        ``rank``.

    Examples
    --------
    >>> from graph_service.analytics.projection import person_graph
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("phone:+1", labels=["Phone"])
    >>> g.add_node("person:P1", labels=["Nominal", "Person"])
    >>> for i in (1, 2, 3):
    ...     g.add_node(f"prisoner:A{i}", labels=["Person", "Prisoner"], establishment=f"E{i}")
    ...     _ = g.add_edge(f"prisoner:A{i}", "phone:+1", type="CALLED", count=3)
    >>> _ = g.add_edge("person:P1", "phone:+1", type="USES_PHONE", attribution_source="intelligence")
    >>> hubs = custody_hubs(g, person_graph(g))
    >>> hubs[0].id, len(hubs[0].prisoners), len(hubs[0].establishments), hubs[0].rank
    ('phone:+1', 3, 3, 1)
    """
    c = _collect(graph, people)
    common = set(people.graph.get("common_numbers", ()))
    rows: list[dict[str, Any]] = []
    for hub in sorted(set(c.inside), key=str):
        data = graph.nodes[hub] if hub in graph else {}
        if hub in c.prisoners or hub in common or is_truthy(data.get("privileged")):
            continue
        prisoners = sorted(c.inside[hub], key=str)
        if len(prisoners) < min_prisoners:
            continue
        outside = dict(c.outside.get(hub, {}))
        members = sorted((o for o in outside if people.nodes[o].get("ocgs")), key=str)
        own = people.nodes[hub].get("ocgs") if hub in people else None
        if own:
            members = sorted(set(members) | {hub}, key=str)
        ocgs = sorted({g for m in members for g in people.nodes[m]["ocgs"]} | set(own or ()), key=str)
        users = sorted({u for u, _ in c.users.get(hub, ())}, key=str)
        rows.append(
            {  # "outside" is made into the evidence once ranked
                "id": hub,
                "kind": "phone" if "Phone" in c.labels.get(hub, ()) else "person",
                "name": data.get("name"),
                "users": tuple(users),
                "prisoners": tuple(prisoners),
                "establishments": tuple(_establishments(people, prisoners)),
                "ocg_members": tuple(members),
                "ocgs": tuple(ocgs),
                "community_contacts": len(outside),
                "outside": outside,
                "exclusivity": _exclusivity(people, hub, prisoners, set(ocgs), set(users)),
            }
        )
    top_p = max((len(r["prisoners"]) for r in rows), default=0)
    top_e = max((len(r["establishments"]) for r in rows), default=0)
    top_m = max((len(r["ocg_members"]) for r in rows), default=0)
    for row in rows:
        parts = {
            "prisoners": _log_share(len(row["prisoners"]), top_p),
            "establishments": len(row["establishments"]) / top_e if top_e else 0.0,
            "ocg_reach": _log_share(len(row["ocg_members"]), top_m),
            "exclusivity": row.pop("exclusivity"),
        }
        row["score"] = sum(WEIGHTS[k] * v for k, v in parts.items())
        row["components"] = HubComponents(**{k: Component(value=v, weight=WEIGHTS[k]) for k, v in parts.items()})
    rows.sort(key=lambda r: (-rank_key(r["score"]), str(r["id"])))
    ranked = rows[:top] if top is not None else rows
    for row in ranked:
        outside = row.pop("outside")
        row["evidence"] = HubEvidence(
            prisoners={p: _channels(c.inside[row["id"]][p]) for p in row["prisoners"]},
            ocg_members={m: _channels(outside.get(m, [])) for m in row["ocg_members"]},
        )
    return [HubResult(**row, rank=rank) for rank, row in enumerate(ranked, 1)]


__all__ = ["WEIGHTS", "custody_hubs"]

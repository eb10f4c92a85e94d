"""Cohort priority: the hub's highest-harm list, with every component shown.

Population: people (not staff) with an OCG membership or at least one intelligence
link. Components, each in [0, 1]:

``network``
    position in the person evidence graph: weighted degree ``x`` (sum of link
    strengths), as ``x / (x + NETWORK_HALF)`` (0.5 at a weighted degree of 2).
``ocg_band``
    the best membership: band value (1A = 1.0, 1B = 8/9 ... 3C = 1/9; a
    membership without band counts as 3C) times the role factor
    (``ROLE_FACTOR``: principal 1.0, member 0.8, facilitator 0.7, associate 0.5)
    times the membership's grading factor.
``intelligence``
    volume and grading: the sum ``x`` of the grading factors of the person's
    intelligence links (declared ``FAMILY_OF`` 1/A excluded), as
    ``x / (x + INTEL_HALF)`` (0.5 for one link graded 1A; an allegation graded 3E
    adds 0.0175).

Both saturate on an absolute scale, so a score does not change because someone
else entered the scope, and scores at two dates can be compared.
``recency``
    ``0.5 ** (days / HALF_LIFE_DAYS)`` since the person's latest dated link or the
    latest link of a number they use, counted back from the reference date (the
    scope's ``as_of``, else the latest date in the graph).

The score is the weighted sum with the weights of ``settings.cohort_weights``
(``MARSOC_COHORT_NETWORK``, ``_OCG_BAND``, ``_INTELLIGENCE``, ``_RECENCY``).
Ordering: score descending, then id. Rows are
:class:`~graph_service.analytics.results.CohortResult` (full floats, rounded only by
``to_json``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

import networkx as nx

from graph_service.analytics.projection import grading_factor, is_pin_list_entry
from graph_service.analytics.results import (
    CohortComponent,
    CohortComponents,
    CohortMembership,
    CohortResult,
    rank_key,
)
from graph_service.gc_pause import paused_gc
from graph_service.grading import is_official_grade
from graph_service.multigraph import links
from graph_service.schema import is_intelligence_type

ROLE_FACTOR: dict[str, float] = {"principal": 1.0, "member": 0.8, "facilitator": 0.7, "associate": 0.5}
HALF_LIFE_DAYS = 180.0
NETWORK_HALF = 2.0
INTEL_HALF = 1.0
DEFAULT_WEIGHTS: dict[str, float] = {"network": 0.30, "ocg_band": 0.25, "intelligence": 0.25, "recency": 0.20}
DATE_FIELDS = ("valid_to", "last", "last_seen", "valid_from", "date", "first", "since")


def band_value(band: Any) -> float:
    """1A = 1.0 down to 3C = 1/9; unknown bands count as 3C.

    Examples
    --------
    >>> [round(band_value(b), 3) for b in ("1A", "1B", "2A", "3C", None)]
    [1.0, 0.889, 0.667, 0.111, 0.111]
    """
    text = str(band or "").strip().upper()
    if len(text) == 2 and text[0] in "123" and text[1] in "ABC":
        return 1.0 - ((int(text[0]) - 1) * 3 + "ABC".index(text[1])) / 9.0
    return 1.0 / 9.0


def _latest(data: Mapping) -> str | None:
    found = [str(data[f])[:10] for f in DATE_FIELDS if data.get(f)]
    return max(found) if found else None


def _days(later: str, earlier: str) -> int:
    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days


def _weights(weights: Any) -> dict[str, float]:
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    if isinstance(weights, Mapping):
        return {k: float(weights[k]) for k in DEFAULT_WEIGHTS}
    return {k: float(getattr(weights, k)) for k in DEFAULT_WEIGHTS}


def _intel_and_dates(graph: nx.MultiDiGraph) -> tuple[dict, dict, str | None]:
    """Per node: the grading factors of its intelligence links summed, and the latest
    date of its links or of the links of a number it uses; and the newest date of all."""
    intel: dict[Any, float] = defaultdict(float)
    own: dict[Any, str] = {}  # the latest date of each node's own links
    users: dict[Any, list] = defaultdict(list)
    newest = None
    for u, v, data in links(graph):
        kind = data.get("type")
        if kind == "USES_PHONE" and not is_pin_list_entry(graph.nodes[u].get("labels", ()), data):
            users[v].append(u)
        when = _latest(data)
        if when:
            if newest is None or when > newest:
                newest = when
            if when > own.get(u, ""):
                own[u] = when
            if when > own.get(v, ""):
                own[v] = when
        if kind and is_intelligence_type(kind):
            if kind == "FAMILY_OF" and is_official_grade(data):
                continue
            factor = grading_factor(data)
            intel[u] += factor
            intel[v] += factor
    latest = dict(own)
    for number, held_by in users.items():
        when = own.get(number)
        if when:
            for user in held_by:
                if when > latest.get(user, ""):
                    latest[user] = when
    return intel, latest, newest


def _saturate(value: float, half: float) -> float:
    return value / (value + half) if value > 0 else 0.0


@paused_gc()
def cohort_priority(
    graph: nx.MultiDiGraph,
    people: nx.Graph,
    *,
    weights: Any = None,
    as_of: str | None = None,
    top: int | None = None,
) -> list[CohortResult]:
    """Rank people by an explainable harm score.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The scoped extracted graph (for intelligence links and dates).
    people : networkx.Graph
        Its person evidence graph.
    weights : mapping or CohortWeights, optional
        ``network``, ``ocg_band``, ``intelligence``, ``recency``.
    as_of : str, optional
        Reference date for recency (default: the latest date in the graph).

    Examples
    --------
    >>> from graph_service.analytics.projection import person_graph
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("person:P1", labels=["Nominal", "Person"])
    >>> g.add_node("person:P2", labels=["Nominal", "Person"])
    >>> g.add_node("ocg:O1", labels=["OCG"], band="1A")
    >>> _ = g.add_edge("person:P1", "ocg:O1", type="MEMBER_OF", role="principal", valid_from="2024-01-01")
    >>> _ = g.add_edge("person:P2", "person:P1", type="ASSOCIATE_OF", source_eval="2", intel_eval="B",
    ...                date="2023-07-04")
    >>> rows = cohort_priority(g, person_graph(g), as_of="2024-01-01")
    >>> [(r.id, r.components.ocg_band.value, r.rank) for r in rows]
    [('person:P1', 1.0, 1), ('person:P2', 0.0, 2)]
    """
    w = _weights(weights)
    intel, latest, newest = _intel_and_dates(graph)
    reference = as_of or newest
    strength = {n: sum(d.get("strength", 0.0) for d in people[n].values()) for n in people}
    rows: list[dict[str, Any]] = []
    for node, data in people.nodes(data=True):
        if data.get("kind") == "staff" or not (data.get("ocgs") or intel.get(node)):
            continue
        best_band, best_membership = 0.0, None
        for ocg, membership in (data.get("ocgs") or {}).items():
            band = graph.nodes[ocg].get("band") if ocg in graph else None
            value = (
                band_value(band) * ROLE_FACTOR.get(str(membership.get("role")), 0.5) * membership.get("strength", 1.0)
            )
            if value > best_band:
                best_band = value
                best_membership = CohortMembership(
                    ocg=ocg, band=band, role=membership.get("role"), grading=membership.get("grading")
                )
        last = latest.get(node)
        days = max(0, _days(reference, last)) if (last and reference) else None
        raw = {"network": strength.get(node, 0.0), "intelligence": intel.get(node, 0.0)}
        parts = {
            "network": _saturate(raw["network"], NETWORK_HALF),
            "ocg_band": best_band,
            "intelligence": _saturate(raw["intelligence"], INTEL_HALF),
            "recency": 0.5 ** (days / HALF_LIFE_DAYS) if days is not None else 0.0,
        }
        rows.append(
            {
                "id": node,
                "name": data.get("name"),
                "kind": data.get("kind"),
                "ocg": best_membership,
                "last_activity": last,
                "days_since": days,
                "score": sum(w[k] * v for k, v in parts.items()),
                "components": CohortComponents(
                    **{k: CohortComponent(value=v, weight=w[k], raw=raw.get(k, v)) for k, v in parts.items()}
                ),
                "reference_date": reference,
            }
        )
    rows.sort(key=lambda r: (-rank_key(r["score"]), str(r["id"])))
    ranked = rows[:top] if top is not None else rows
    return [CohortResult(**row, rank=rank) for rank, row in enumerate(ranked, 1)]


__all__ = ["DEFAULT_WEIGHTS", "HALF_LIFE_DAYS", "ROLE_FACTOR", "band_value", "cohort_priority"]

"""Who may see a fact: handling codes and originating agencies.

A node known only from handling ``C`` facts (a phone number first seen in a ``C``
attribution or intelligence link) is itself such a fact: the loaders store the agencies
that may see it in ``restricted_to`` (a list; absent once any fact open to everyone, or
an official record, names it), and :func:`node_visible` applies the same rule to it.

Every fact (link) carries its 3x5x2 grading and, once loaded with one, its
``originating_agency`` (``police``, ``hmpps``, ``probation``, ``nca``). A fact graded
handling ``C`` (sharing only with conditions) is visible only to users of its
originating agency; every other fact is visible to every signed-in user. The same rule
is applied by the store to what it extracts (:data:`graph_service.store.port.SubgraphFilter`
``agency``, as a Cypher condition) and by the analyses to the warm graph
(:class:`graph_service.analytics.scoping.Scope` ``agency``); ``tests`` check the two agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph_service.grading import CONDITIONAL, HANDLING, ORIGINATING_AGENCY

RESTRICTED_TO = "restricted_to"


def visible(attrs: Mapping[str, Any], agency: str | None) -> bool:
    """Whether a user of ``agency`` may see a fact with these properties (``None``: no
    restriction, the command line's operator).

    Examples
    --------
    >>> visible({"handling": "C", "originating_agency": "police"}, "police")
    True
    >>> visible({"handling": "C", "originating_agency": "police"}, "hmpps")
    False
    >>> visible({"handling": "P", "originating_agency": "police"}, "hmpps"), visible({}, "nca")
    (True, True)
    """
    if agency is None:
        return True
    if str(attrs.get(HANDLING) or "").upper() != CONDITIONAL:
        return True
    return attrs.get(ORIGINATING_AGENCY) == agency


def only_for(grading: Mapping[str, Any]) -> list[str] | None:
    """The agencies that may see a node a row with this grading creates (None: all).

    Examples
    --------
    >>> only_for({"handling": "C", "originating_agency": "nca"}), only_for({"handling": "P"})
    (['nca'], None)
    """
    return None if visible(grading, "") else [str(grading.get(ORIGINATING_AGENCY))]


def node_visible(attrs: Mapping[str, Any], agency: str | None) -> bool:
    """Whether a user of ``agency`` may see a node with these properties.

    Examples
    --------
    >>> node_visible({"restricted_to": ["police"]}, "police"), node_visible({"restricted_to": ["police"]}, "nca")
    (True, False)
    >>> node_visible({}, "nca"), node_visible({"restricted_to": ["police"]}, None)
    (True, True)
    """
    restricted = attrs.get(RESTRICTED_TO)
    return agency is None or not restricted or agency in restricted

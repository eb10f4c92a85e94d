"""What part of the graph an analysis looks at, and identity decisions.

A :class:`Scope` names a time (``as_of`` a date, or a ``since``..``until`` window on
link periods), establishments, link types, a minimum grading and handling codes.
:func:`extract` asks the store for the smallest subgraph that can answer
(:meth:`Scope.subgraph_filter`) and :func:`scope_graph` applies the rest in Python,
then contracts the records an analyst decided are the same person
(:func:`merge_identities`). ``POSSIBLY_SAME_AS`` candidates are kept as links to show
and are never merged.

Time rules
----------
* ``since``/``until``: keep links whose period (``valid_from``..``valid_to``, open
  when null) overlaps the window; links without a period are kept.
* ``as_of``: the graph as known on that date: links that started on or before it.
  State links (``HELD_AT``, ``EMPLOYED_AT``, ``MEMBER_OF``: the schema's
  ``STATE_LINK_TYPES``) must also still be open on that date; past contact (calls,
  visits, intelligence) stays evidence.
  Aggregated links (calls, visits) are kept whole: their counts are not split.

Grading rules
-------------
Links without grading are official records (``1``/``A``/``P``). ``min_source_eval``
``"2"`` keeps source evaluations 1 and 2; ``min_intel_eval`` ``"C"`` keeps A to C;
``exclude_intel`` drops the listed intelligence evaluations; ``handling`` keeps only
the listed handling codes.

Establishments
--------------
With ``establishments`` set, prisoners and staff whose every custody period or post
(in the window; the schema's ``PLACE_LINK_TYPES``) is at another establishment are
dropped with the other establishments; everyone outside (visitors, nominals, phones, OCGs) is kept, so the
analyses see the selected prisons and the whole community around them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import networkx as nx

from graph_service.analytics.errors import InvalidScope
from graph_service.gc_pause import paused_gc
from graph_service.grading import AGENCIES, HANDLING_CODES, INTEL_EVALS, SOURCE_EVALS, grading_codes
from graph_service.multigraph import add_link, adjacency
from graph_service.schema import PLACE_LINK_TYPES, STATE_LINK_TYPES
from graph_service.visibility import node_visible, visible

# Read from the schema's declared link meanings (see graph_service.schema.LinkKind).
STATE_LINKS: frozenset[str] = frozenset(STATE_LINK_TYPES)
PLACE_LINKS: frozenset[str] = frozenset(PLACE_LINK_TYPES)


def _check_date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise InvalidScope(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None


def establishment_id(value: str) -> str:
    """The node id of an establishment given as a code or an id.

    Examples
    --------
    >>> establishment_id("HMP-BXN"), establishment_id("establishment:HMP-BXN")
    ('establishment:HMP-BXN', 'establishment:HMP-BXN')
    """
    return value if value.startswith("establishment:") else f"establishment:{value}"


@dataclass(frozen=True)
class Scope:
    """The part of the graph an analysis sees. All fields are optional.

    Examples
    --------
    >>> Scope(as_of="2024-03-01").subgraph_filter().until
    '2024-03-01'
    >>> Scope(min_source_eval="4")
    Traceback (most recent call last):
    ...
    graph_service.analytics.errors.InvalidScope: min_source_eval must be one of 1, 2, 3, got '4'
    """

    as_of: str | None = None
    since: str | None = None
    until: str | None = None
    establishments: tuple[str, ...] = ()
    link_types: tuple[str, ...] | None = None
    min_source_eval: str | None = None
    min_intel_eval: str | None = None
    exclude_intel: tuple[str, ...] = ()
    handling: tuple[str, ...] = ()
    network: str | None = None
    merge_identities: bool = True
    # The viewer's agency: only what a user of it may see (graph_service.visibility).
    agency: str | None = None

    def __post_init__(self) -> None:
        for name in ("as_of", "since", "until"):
            object.__setattr__(self, name, _check_date(getattr(self, name), name))
        if self.as_of and (self.since or self.until):
            raise InvalidScope("give either as_of or a since/until window, not both")
        if self.since and self.until and self.since > self.until:
            raise InvalidScope(f"since {self.since} is after until {self.until}")
        if self.min_source_eval is not None and str(self.min_source_eval) not in SOURCE_EVALS:
            raise InvalidScope(
                f"min_source_eval must be one of {', '.join(SOURCE_EVALS)}, got {self.min_source_eval!r}"
            )
        if self.min_intel_eval is not None and str(self.min_intel_eval).upper() not in INTEL_EVALS:
            raise InvalidScope(f"min_intel_eval must be one of {', '.join(INTEL_EVALS)}")
        bad = [x for x in self.exclude_intel if str(x).upper() not in INTEL_EVALS]
        if bad:
            raise InvalidScope(f"exclude_intel: unknown intel evaluation(s) {bad}")
        if self.agency is not None and self.agency not in AGENCIES:
            raise InvalidScope(f"agency must be one of {', '.join(AGENCIES)}, got {self.agency!r}")
        bad = [x for x in self.handling if str(x).upper() not in HANDLING_CODES]
        if bad:
            raise InvalidScope(f"handling: unknown handling code(s) {bad}")
        object.__setattr__(self, "establishments", tuple(establishment_id(e) for e in self.establishments))
        object.__setattr__(self, "exclude_intel", tuple(str(x).upper() for x in self.exclude_intel))
        object.__setattr__(self, "handling", tuple(str(x).upper() for x in self.handling))
        if self.link_types is not None:
            object.__setattr__(self, "link_types", tuple(self.link_types))

    @property
    def filters_links(self) -> bool:
        """Whether any time, grading or type rule applies to links."""
        return bool(
            self.as_of
            or self.since
            or self.until
            or self.min_source_eval
            or self.min_intel_eval
            or self.exclude_intel
            or self.handling
            or self.link_types is not None
            or self.agency is not None
        )

    def subgraph_filter(self):
        """The :class:`~graph_service.store.port.SubgraphFilter` the store applies."""
        from graph_service.store.port import SubgraphFilter

        types = self.link_types
        if types is not None and self.establishments:
            types = tuple(sorted(set(types) | PLACE_LINKS))
        return SubgraphFilter(
            link_types=types,
            since=self.since,
            until=self.as_of or self.until,
            network=self.network,
            agency=self.agency,
        )

    def to_dict(self) -> dict[str, Any]:
        """The scope as plain data (shown with every result)."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}


def grading(attrs: dict) -> tuple[str, str, str]:
    """(source_eval, intel_eval, handling) of a link, official defaults filled in.

    Examples
    --------
    >>> grading({"source_eval": 2, "intel_eval": "c"})
    ('2', 'C', 'P')
    """
    return grading_codes(attrs)


def link_in_scope(attrs: dict, scope: Scope) -> bool:
    """Whether a link passes the scope's time and grading rules.

    Examples
    --------
    >>> link_in_scope({"type": "CALLED", "valid_from": "2024-02-01"}, Scope(as_of="2024-01-01"))
    False
    >>> link_in_scope({"type": "ASSOCIATE_OF", "intel_eval": "E"}, Scope(exclude_intel=("E",)))
    False
    >>> link_in_scope({"type": "HELD_AT", "valid_from": "2020-01-01", "valid_to": "2021-01-01"},
    ...               Scope(as_of="2024-01-01"))
    False
    """
    start, end = attrs.get("valid_from"), attrs.get("valid_to")
    start = str(start)[:10] if start else None
    end = str(end)[:10] if end else None
    if scope.as_of:
        if start and start > scope.as_of:
            return False
        if attrs.get("type") in STATE_LINKS and end and end < scope.as_of:
            return False
    if scope.since and end and end < scope.since:
        return False
    if scope.until and start and start > scope.until:
        return False
    source_eval, intel_eval, handling = grading(attrs)
    if scope.min_source_eval and source_eval > str(scope.min_source_eval):
        return False
    if scope.min_intel_eval and intel_eval > str(scope.min_intel_eval).upper():
        return False
    if intel_eval in scope.exclude_intel:
        return False
    if scope.handling and handling not in scope.handling:
        return False
    if not visible(attrs, scope.agency):
        return False
    return not (scope.link_types is not None and attrs.get("type") not in scope.link_types)


def _outside_establishments(graph: nx.MultiDiGraph, wanted: set[str]) -> set[str]:
    """People whose every custody period / post points at an unwanted establishment."""
    places: dict[str, set[str]] = {}
    for u, v, data in graph.edges(data=True):
        if data.get("type") in PLACE_LINKS:
            places.setdefault(u, set()).add(v)
    dropped = {n for n, d in graph.nodes(data=True) if "Establishment" in d.get("labels", ()) and n not in wanted}
    dropped |= {person for person, where in places.items() if not where & wanted}
    return dropped


@paused_gc()
def scope_graph(graph: nx.MultiDiGraph, scope: Scope | None = None) -> nx.MultiDiGraph:
    """Apply ``scope`` to an extracted graph and merge decided identities.

    Returns a new ``MultiDiGraph``; a link moved onto a merged node keeps its store
    endpoints as ``store_src``/``store_dst`` (so evidence can be checked in the store
    after identities are merged; readers take the link's own ends when they are
    absent).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("staff:S1", labels=["Person", "Staff"], canonical_id="staff:S1")
    >>> g.add_node("visitor:V1", labels=["Person", "Visitor"], canonical_id="staff:S1")
    >>> g.add_node("prisoner:A1", labels=["Person", "Prisoner"])
    >>> g.add_edge("visitor:V1", "prisoner:A1", key="VISITED", type="VISITED")
    'VISITED'
    >>> s = scope_graph(g)
    >>> sorted(s.nodes), s.nodes["staff:S1"]["merged_ids"]
    (['prisoner:A1', 'staff:S1'], ['staff:S1', 'visitor:V1'])
    >>> [(u, v, d["store_src"]) for u, v, d in s.edges(data=True)]
    [('staff:S1', 'prisoner:A1', 'visitor:V1')]
    """
    scope = scope or Scope()
    dropped: set = set()
    if scope.establishments:
        timing = Scope(as_of=scope.as_of, since=scope.since, until=scope.until)
        # Custody and posts say where people are: the establishment rule needs them
        # even when the link types or grading leave them out of the analysis.
        places: nx.MultiDiGraph = nx.MultiDiGraph()
        places.add_nodes_from(graph.nodes(data=True))
        keyed: Iterable[Any] = (  # (u, v, key, attrs)
            (u, v, k, d)
            for u, v, k, d in graph.edges(keys=True, data=True)
            if d.get("type") in PLACE_LINKS and link_in_scope(d, timing)
        )
        places.add_edges_from(keyed)
        dropped = _outside_establishments(places, set(scope.establishments))
    groups = identity_groups(graph) if scope.merge_identities else {}
    return _rebuild(graph, scope, dropped, groups)


def _rebuild(graph: nx.MultiDiGraph, scope: Scope, dropped: set, groups: dict[str, list[str]]) -> nx.MultiDiGraph:
    """One pass: keep links in scope, drop ``dropped`` nodes, contract ``groups``.

    The new graph's adjacency is built directly (``add_edges_from`` copies every
    link's attributes, the most of a scope's time and memory); it shares the
    attribute dicts of the nodes and links it keeps unchanged with ``graph``, and the
    dict of the links from one node to another when it keeps them all, which is why
    the warm graph's users may not change them (a delta replaces them: see
    :func:`~graph_service.analytics.workspace.apply_changes`).
    """
    mapping = {member: rep for rep, members in groups.items() for member in members}
    result: nx.MultiDiGraph = nx.MultiDiGraph()
    result.graph.update(graph.graph)
    result.graph["scope"] = scope.to_dict()
    nodes, succ, pred = adjacency(result)
    for node, data in graph.nodes(data=True):
        if node in dropped or mapping.get(node, node) != node or not node_visible(data, scope.agency):
            continue
        if node in groups:
            data = dict(data)
            labels: set[str] = set()
            for member in groups[node]:
                labels.update(graph.nodes[member].get("labels", ()))
            data["labels"] = sorted(labels)
            data["merged_ids"] = list(groups[node])
        nodes[node] = data
        succ[node] = {}
        pred[node] = {}
    moved: list[tuple[Any, Any, Any, dict]] = []
    check = scope.filters_links
    for u, targets in adjacency(graph)[1].items():
        a = mapping.get(u, u)
        if u in dropped or a not in nodes:
            continue
        for v, keyed in targets.items():
            b = mapping.get(v, v)
            if v in dropped or b not in nodes or (a == b and u != v):
                continue
            kept = {k: d for k, d in keyed.items() if link_in_scope(d, scope)} if check else keyed
            if not kept:
                continue
            if len(kept) == len(keyed):
                kept = keyed  # shared with ``graph`` (whose changes replace it, never change it)
            if a != u or b != v:
                for key, data in kept.items():
                    attrs = dict(data)
                    attrs.setdefault("store_src", u)
                    attrs.setdefault("store_dst", v)
                    moved.append((a, b, key, attrs))
                continue
            succ[a][b] = pred[b][a] = kept
    for a, b, key, attrs in moved:  # links of merged records, after the others
        shared = succ[a].get(b)
        if shared is not None and shared is adjacency(graph)[1].get(a, {}).get(b):
            succ[a][b] = pred[b][a] = dict(shared)  # copied before a key is added
        add_link(result, a, b, key, attrs, sep="~")
    return result


def identity_groups(graph: nx.Graph) -> dict[str, list[str]]:
    """Representative id -> the ids an analyst decided are one person.

    The representative is the shared ``canonical_id`` when that node is present,
    otherwise the smallest id of the group. Only groups of two or more are listed.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("person:P2", canonical_id="person:P1")
    >>> g.add_node("visitor:V9", canonical_id="person:P1")
    >>> identity_groups(g)
    {'person:P2': ['person:P2', 'visitor:V9']}
    """
    by_canonical: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        canonical = data.get("canonical_id") or node
        by_canonical.setdefault(str(canonical), []).append(node)
    groups = {}
    for canonical, members in by_canonical.items():
        if len(members) < 2:
            continue
        members = sorted(members, key=str)
        groups[canonical if canonical in members else members[0]] = members
    return dict(sorted(groups.items()))


def merge_identities(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Contract the nodes sharing a ``canonical_id`` into one node.

    The merged node keeps the representative's properties, the union of
    ``labels`` and ``merged_ids`` (every id it stands for); links are moved onto it
    with ``store_src``/``store_dst`` naming their stored endpoints. Links that would
    join a merged node to itself are dropped. Nodes that are only
    ``POSSIBLY_SAME_AS`` candidates are never merged.
    """
    return _rebuild(graph, Scope(), set(), identity_groups(graph))


def extract(store: Any, scope: Scope | None = None) -> nx.MultiDiGraph:
    """Extract the scoped, identity-merged graph from a store."""
    scope = scope or Scope()
    return scope_graph(store.subgraph(scope.subgraph_filter()), scope)


def labels_of(graph: nx.Graph, node: Any) -> set[str]:
    """The labels of a node as a set (empty when it has none)."""
    return set(graph.nodes[node].get("labels", ()))


def nodes_with_label(graph: nx.Graph, label: str) -> list[Any]:
    """Nodes carrying ``label``, sorted by id."""
    return sorted((n for n, d in graph.nodes(data=True) if label in d.get("labels", ())), key=str)


def is_truthy(value: Any) -> bool:
    """Stored booleans may arrive as bools, ``"Y"``, ``"true"``..."""
    if isinstance(value, str):
        return value.strip().lower() in {"y", "yes", "true", "1"}
    return bool(value)


def iter_types(graph: nx.MultiDiGraph, types: Iterable[str]):
    """Links of the given types as ``(u, v, key, data)``."""
    wanted = set(types)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if data.get("type") in wanted:
            yield u, v, key, data


__all__ = [
    "Scope",
    "establishment_id",
    "extract",
    "grading",
    "identity_groups",
    "is_truthy",
    "link_in_scope",
    "merge_identities",
    "nodes_with_label",
    "scope_graph",
]

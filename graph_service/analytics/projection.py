"""The person-level evidence graph, and the person-and-phone contact graph.

:func:`person_graph` turns an extracted (scoped) graph into an undirected
``nx.Graph`` whose nodes are people and whose links say *why* two people are
connected. Each link carries ``evidence`` (a list of items, each with its kind, the
stored links it rests on, their grading and a strength in (0, 1]; typed as
:data:`~graph_service.analytics.results.EvidenceItem`) and ``strength``, the noisy-or
of its items: ``1 - prod(1 - s)``. Strengths are full floats (only output rounds,
see :func:`~graph_service.analytics.results.to_json`). Links the schema declares not
evidence (``NON_EVIDENCE_LINK_TYPES``: duty links such as ``EMPLOYED_AT``, custody
``HELD_AT``, identity candidates ``POSSIBLY_SAME_AS``, OCG membership and generic
networks) never make a person-to-person link; custody, posts (``PLACE_LINK_TYPES``)
and memberships become node attributes.

Evidence kinds and base strengths (``KIND_WEIGHT``)
---------------------------------------------------
* ``shared_phone`` (0.9): both people are attributed the same number.
* ``call`` (0.6): a number of one calls a number of the other (or a PIN call from a
  prisoner), times ``count_factor(count)``.
* ``visit`` (0.5): a social visit, times ``count_factor(count)``.
* ``pin_list`` (0.3): the number of one is on the PIN list of a prisoner. A PIN-list
  entry (``USES_PHONE`` with ``attribution_source`` ``pin_list`` whose subject is a
  prisoner) says the prisoner may call that number, not that the prisoner uses it: it
  is a contact, never a shared number. The same attribution to anyone else (a visitor
  named as the holder of a number on a prisoner's PIN list) says that person holds the
  number: they are its user (:func:`is_pin_list_entry`).
* ``postcode`` (0.25): the same home postcode.
* ``intelligence``: by link type (``INTEL_WEIGHT``; ``CORRUPT_APPROACH`` 1.0; other
  intelligence types, named in ``schema.INTELLIGENCE_LINK_TYPES`` or not,
  ``OTHER_INTEL_WEIGHT``).

Every item is multiplied by its grading factor (``SOURCE_FACTOR`` x ``INTEL_FACTOR``;
phone items use the weakest attribution involved).

Common numbers and places
-------------------------
A number's *contact degree* is the number of distinct people and numbers it is
linked with (calls both ways and attribution). Items through a number are
multiplied by ``common_factor(degree)`` = ``1 / max(1, log2(degree) - 1)`` (inverse
log degree: 1.0 up to 4 contacts, 0.5 at 8, 0.2 at 64), and numbers whose degree is
at or above both the ``common_percentile`` (99th) percentile of all numbers and
``common_min_degree`` (50) are *common numbers* (taxi firms, bookmakers), unless the
number is attributed to an OCG member (an OCG's coordinating number): they make
no person link at all, are never ranked as hubs and are listed in
``graph.graph["common_numbers"]``. The degree of other numbers is counted without
their contacts with common numbers. Postcodes and shared numbers are treated the same
way by their number of residents or users.

Declared relationships
----------------------
A ``FAMILY_OF`` link graded source 1 / intel A is a declared relationship: every item
between the two people (the family link, visits, calls) is multiplied by
``DECLARED_FACTOR`` (0.1) and the link is marked ``declared``.

Facts for the evidence model
----------------------------
Items also carry what :mod:`~graph_service.analytics.evidence_model` weighs (strengths
above are unchanged by them): calls ``night_count`` (0 when the link predates it),
``total_seconds``, ``sources``, ``attribution`` (the attribution sources of the numbers'
users involved) and ``degrees`` (each number's contact degree); PIN-list entries
``degrees``; shared numbers and postcodes ``members`` and ``same_surname``. People carry
``roles`` (every post's role), ``surname`` and ``identity_candidates``: undecided
``POSSIBLY_SAME_AS`` candidates {other person: identity item}, never person links (a
``same`` decision is already merged by scoping, a ``different`` one removes the
candidate).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from graph_service.analytics.results import (
    CallEvidence,
    EvidenceItem,
    IdentityEvidence,
    IntelligenceEvidence,
    LinkRef,
    Membership,
    PinListEvidence,
    SharedEvidence,
    VisitEvidence,
    rank_key,
)
from graph_service.analytics.scoping import grading, is_truthy
from graph_service.gc_pause import paused_gc
from graph_service.grading import HANDLING, INTEL_EVAL, MAX_REMEMBERED_CODES, SOURCE_EVAL, is_official_grade
from graph_service.multigraph import links, neighbours
from graph_service.schema import IDENTITY_LINK_TYPES, NON_EVIDENCE_LINK_TYPES, PLACE_LINK_TYPES, is_intelligence_type

KIND_WEIGHT: dict[str, float] = {
    "shared_phone": 0.9,
    "call": 0.6,
    "visit": 0.5,
    "pin_list": 0.3,
    "postcode": 0.25,
}
INTEL_WEIGHT: dict[str, float] = {
    "CORRUPT_APPROACH": 1.0,
    "ASSOCIATE_OF": 0.8,
    "FINANCIAL": 0.8,
    "SHARES_ADDRESS": 0.6,
    "FAMILY_OF": 0.5,
}
OTHER_INTEL_WEIGHT = 0.6
SOURCE_FACTOR: dict[str, float] = {"1": 1.0, "2": 0.7, "3": 0.35}
INTEL_FACTOR: dict[str, float] = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.05}
DECLARED_FACTOR = 0.1
COMMON_PERCENTILE = 99.0
COMMON_MIN_DEGREE = 50
# Shared numbers / postcodes with more members than this make no person links.
MAX_SHARED_MEMBERS = 30
# Declared link types that never make a person-to-person link (read from the schema).
NON_EVIDENCE_TYPES: frozenset[str] = frozenset(NON_EVIDENCE_LINK_TYPES)
PLACE_TYPES: frozenset[str] = frozenset(PLACE_LINK_TYPES)
IDENTITY_TYPES: frozenset[str] = frozenset(IDENTITY_LINK_TYPES)


# Per stored (source_eval, intel_eval, handling), bounded as graph_service.grading
# bounds the codes it remembers.
_GRADED: dict[tuple[Any, Any, Any], tuple[float, str]] = {}


def graded(attrs: dict) -> tuple[float, str]:
    """:func:`grading_factor` and :func:`grading_code` of a link, read once.

    Examples
    --------
    >>> graded({"source_eval": "2", "intel_eval": "C", "handling": "C"})
    (0.42, '2C C')
    """
    raw = (attrs.get(SOURCE_EVAL), attrs.get(INTEL_EVAL), attrs.get(HANDLING))
    try:
        return _GRADED[raw]
    except (KeyError, TypeError):  # not seen yet, or an unhashable value
        pass
    codes = grading(attrs)
    factor = SOURCE_FACTOR.get(codes[0], 0.35) * INTEL_FACTOR.get(codes[1], 0.4)
    found = (factor, f"{codes[0]}{codes[1]} {codes[2]}")
    # Only text, as grading_codes keeps: True == 1 == 1.0 would share one entry.
    if len(_GRADED) < MAX_REMEMBERED_CODES and all(x is None or type(x) is str for x in raw):
        _GRADED[raw] = found
    return found


def grading_factor(attrs: dict) -> float:
    """Strength multiplier of a link's 3x5x2 grading (official records: 1.0).

    Examples
    --------
    >>> grading_factor({"source_eval": "1", "intel_eval": "A"})
    1.0
    >>> round(grading_factor({"source_eval": "2", "intel_eval": "B"}), 2)
    0.56
    """
    return graded(attrs)[0]


def grading_code(attrs: dict) -> str:
    """The grading as shown to analysts, e.g. ``"1A P"``.

    Examples
    --------
    >>> grading_code({"source_eval": "2", "intel_eval": "C", "handling": "C"})
    '2C C'
    """
    return graded(attrs)[1]


def count_factor(count: Any) -> float:
    """0.5 for one event, 0.75 for two, 1.0 from four events on.

    Examples
    --------
    >>> [count_factor(c) for c in (1, 2, 4, 100)]
    [0.5, 0.75, 1.0, 1.0]
    """
    try:
        n = max(1, int(count or 1))
    except (TypeError, ValueError):
        n = 1
    return min(1.0, 0.5 + 0.25 * math.log2(n))


def common_factor(degree: int) -> float:
    """Inverse-log down-weight of a number (or place) with ``degree`` contacts.

    ``1 / max(1, log2(degree) - 1)``: 1.0 up to 4 contacts, 0.5 at 8, 0.2 at 64.

    Examples
    --------
    >>> [round(common_factor(d), 3) for d in (1, 4, 8, 16, 64)]
    [1.0, 1.0, 0.5, 0.333, 0.2]
    """
    return 1.0 if degree <= 4 else 1.0 / max(1.0, math.log2(degree) - 1.0)


def noisy_or(strengths: Iterable[float]) -> float:
    """Combined strength of independent items: ``1 - prod(1 - s)``.

    Examples
    --------
    >>> noisy_or([0.5, 0.5])
    0.75
    """
    remaining = 1.0
    for s in strengths:
        remaining *= 1.0 - min(1.0, max(0.0, s))
    return 1.0 - remaining


def is_pin_list_entry(labels: Iterable[str], attrs: dict) -> bool:
    """Whether a ``USES_PHONE`` link is a prisoner's PIN-list entry (not use of the number).

    A ``pin_list`` attribution to a prisoner says the prisoner may call the number; to
    anyone else it names the holder of a number on a prisoner's PIN list: a user.

    Examples
    --------
    >>> is_pin_list_entry(["Person", "Prisoner"], {"attribution_source": "pin_list"})
    True
    >>> is_pin_list_entry(["Person", "Visitor"], {"attribution_source": "pin_list"})
    False
    """
    return attrs.get("attribution_source") == "pin_list" and "Prisoner" in set(labels)


def person_kind(labels: Iterable[str]) -> str:
    """``staff``, ``prisoner``, ``visitor``, ``nominal`` or ``other`` (first that applies).

    Examples
    --------
    >>> person_kind(["Person", "Visitor", "Staff"])
    'staff'
    """
    labels = set(labels)
    for label in ("Staff", "Prisoner", "Visitor", "Nominal"):
        if label in labels:
            return label.lower()
    return "person" if "Person" in labels else "other"


def _link_ref(u: Any, v: Any, data: dict, grading_text: str | None = None) -> LinkRef:
    return {
        "src": data.get("store_src", u),
        "dst": data.get("store_dst", v),
        "type": data.get("type"),
        "grading": grading_code(data) if grading_text is None else grading_text,
    }


def _percentile(values: list[int], q: float) -> float:
    if not values:
        return math.inf
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(q / 100.0 * len(ordered)) - 1))
    return float(ordered[index])


_TYPED = ("USES_PHONE", "CALLED", "MEMBER_OF", "FAMILY_OF", "LIVES_IN")


def _bins_of(b: _Builder, kind: Any) -> tuple[list, ...]:
    """The builder's lists a link of type ``kind`` goes to."""
    found = [b.typed[kind]] if kind in b.typed else []
    if (
        kind == "VISITED"
        or kind in IDENTITY_TYPES
        or (kind and kind not in NON_EVIDENCE_TYPES and is_intelligence_type(kind))
    ):
        found.append(b.evidence)
    if kind in PLACE_TYPES or kind == "MEMBER_OF":
        found.append(b.personal)
    return tuple(found)


class _Builder:
    """Collects evidence items per person pair (internal)."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self.labels = {n: set(d.get("labels", ())) for n, d in graph.nodes(data=True)}
        self.persons = {n for n, labels in self.labels.items() if "Person" in labels}
        self.phones = {n for n, labels in self.labels.items() if "Phone" in labels}
        self.refs: dict[int, LinkRef] = {}  # id(link data) -> its reference (one per link)
        self.items: dict[tuple, list[EvidenceItem]] = defaultdict(list)
        self.users: dict[Any, list[tuple[Any, dict]]] = defaultdict(list)
        self.pin_lists: list[tuple[Any, Any, dict]] = []
        self.phone_contacts: dict[Any, set] = defaultdict(set)
        self.common: set[Any] = set()
        self.declared: set[frozenset] = set()
        self.ocg_intel: dict[Any, list[IntelligenceEvidence]] = defaultdict(list)
        self.identity: dict[Any, dict[Any, IdentityEvidence]] = defaultdict(dict)
        self.numbers: dict[Any, list[tuple[Any, EvidenceItem]]] = defaultdict(list)
        self.group_phones: set | None = None  # shared numbers to group (all when None)
        # The links each collector reads, in graph order (one pass for all): by type,
        # ``evidence`` (visits, intelligence, identity) and ``personal`` (places, OCGs).
        self.typed: dict[str, list[tuple[Any, Any, dict]]] = {t: [] for t in _TYPED}
        self.evidence: list[tuple[Any, Any, dict]] = []
        self.personal: list[tuple[Any, Any, dict]] = []
        bins: dict[Any, tuple[list, ...]] = {}
        for u, v, data in links(graph):
            kind = data.get("type")
            found = bins.get(kind)
            if found is None:
                found = bins[kind] = _bins_of(self, kind)
            for into in found:
                into.append((u, v, data))

    def is_person(self, node: Any) -> bool:
        return node in self.persons

    def is_phone(self, node: Any) -> bool:
        return node in self.phones

    def ref(self, u: Any, v: Any, data: dict) -> LinkRef:
        """The reference of the stored link ``data`` from ``u`` to ``v``, made once."""
        found = self.refs.get(id(data))
        if found is None:
            found = self.refs[id(data)] = _link_ref(u, v, data)
        return found

    def add(self, a: Any, b: Any, item: EvidenceItem) -> None:
        if a == b:
            return
        self.items[(a, b) if str(a) <= str(b) else (b, a)].append(item)


@paused_gc()
def person_graph(
    graph: nx.MultiDiGraph, *, common_min_degree: int = COMMON_MIN_DEGREE, common_percentile: float = COMMON_PERCENTILE
) -> nx.Graph:
    """The person-level evidence graph of an extracted (scoped) graph.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        As returned by :func:`graph_service.analytics.scoping.extract` (node
        ``labels``, link ``type`` and grading).
    common_min_degree, common_percentile
        The common-number rule (see the module docstring).

    Returns
    -------
    networkx.Graph
        People as nodes (attributes: ``kind``, ``labels``, ``name``,
        ``establishments``, ``ocgs`` {ocg id: membership evidence}, ``ocg_intel``
        (intelligence links to OCGs), ``merged_ids``, ``roles``, ``surname``,
        ``identity_candidates``), links with ``evidence``, ``strength`` and
        ``declared``. ``graph.graph["common_numbers"]`` lists the numbers left out as
        called by everyone; ``graph.graph["unattributed_numbers"]`` holds, for each
        number nobody is attributed (its holder unknown) that joins two or more
        people, its calls and PIN-list entries as ``[(person, item)]`` (the bridges
        follow them as intermediaries; they make no person link).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for n, lab in [("staff:S1", "Staff"), ("person:P1", "Nominal")]:
    ...     g.add_node(n, labels=["Person", lab])
    >>> g.add_node("phone:+1", labels=["Phone"]); g.add_node("phone:+2", labels=["Phone"])
    >>> _ = g.add_edge("staff:S1", "phone:+1", type="USES_PHONE")
    >>> _ = g.add_edge("person:P1", "phone:+2", type="USES_PHONE")
    >>> _ = g.add_edge("phone:+1", "phone:+2", type="CALLED", count=4)
    >>> p = person_graph(g)
    >>> p["person:P1"]["staff:S1"]["strength"], p["person:P1"]["staff:S1"]["evidence"][0]["kind"]
    (0.6, 'call')
    """
    b = _Builder(graph)
    _collect_nodes_and_phones(b)
    _mark_common_numbers(b, common_min_degree, common_percentile)
    _collect_declared(b)
    _collect_calls(b)
    _collect_shared(b)
    _collect_visits_and_intel(b)
    return _assemble(b)


@paused_gc()
def person_graph_update(
    before: nx.Graph,
    graph: nx.MultiDiGraph,
    touched: Iterable[Any],
    relabelled: Iterable[Any] = (),
    *,
    common_min_degree: int = COMMON_MIN_DEGREE,
    common_percentile: float = COMMON_PERCENTILE,
) -> nx.Graph | None:
    """The person graph of ``graph``, from ``before`` (the person graph of the same graph
    before a delta), recomputing only what the delta can have changed; equal to
    :func:`person_graph` of ``graph``, node and neighbour order included.

    ``touched``: the nodes the delta added or changed and the ends of the links it
    added or changed (a delta removes nothing); ``relabelled``: those of them, people,
    whose labels changed. Every number's users and contact degree, and the common
    numbers, are worked out on the whole graph again; then only the items of pairs
    with an end among the *dirty* people (:func:`_dirty`) are collected again, and the
    attributes of those people and the unattributed numbers the delta reached.

    Returns ``None`` when the delta changed which numbers are common or took a person
    out of the graph: build it again then. ``before`` is not changed; the new graph
    shares the attributes of the people and links it keeps.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for n, lab in [("staff:S1", "Staff"), ("person:P1", "Nominal"), ("person:P2", "Nominal")]:
    ...     g.add_node(n, labels=["Person", lab])
    >>> g.add_node("phone:+1", labels=["Phone"]); g.add_node("phone:+2", labels=["Phone"])
    >>> _ = g.add_edge("staff:S1", "phone:+1", type="USES_PHONE")
    >>> _ = g.add_edge("person:P1", "phone:+2", type="USES_PHONE")
    >>> before = person_graph(g)
    >>> _ = g.add_edge("phone:+1", "phone:+2", type="CALLED", count=4)
    >>> _ = g.add_edge("person:P2", "phone:+2", type="USES_PHONE")
    >>> after = person_graph_update(before, g, ["phone:+1", "phone:+2", "person:P2"])
    >>> sorted(after.edges) == sorted(person_graph(g).edges), before.number_of_edges()
    (True, 0)
    """
    b = _Builder(graph)
    _collect_nodes_and_phones(b)
    _mark_common_numbers(b, common_min_degree, common_percentile)
    if sorted(b.common, key=str) != before.graph.get("common_numbers") or any(n not in b.persons for n in before):
        return None
    dirty, numbers = _dirty(b, touched, relabelled)
    _restrict(b, dirty, numbers)
    _collect_declared(b)
    _collect_calls(b)
    _collect_shared(b)
    _collect_visits_and_intel(b)
    return _splice(before, b, dirty, numbers)


def _dirty(b: _Builder, touched: Iterable[Any], relabelled: Iterable[Any]) -> tuple[set, set]:
    """The people whose links or attributes a delta can have changed, and the numbers
    nobody is attributed whose contacts it can have changed.

    A touched person; every user and PIN-list prisoner of a touched number (its users,
    its contact degree or its calls changed) and of the numbers of a relabelled person
    (whether its use is a PIN-list entry); every resident of a touched place (the
    postcode's residents). Numbers: the touched numbers and the unattributed numbers
    they called or were called by (an item there carries both degrees)."""
    dirty: set = set()
    phones: set = set()
    for node in touched:
        if node in b.persons:
            dirty.add(node)
        elif node in b.phones:
            phones.add(node)
    places = {n for n in touched if n in b.graph and n not in b.persons and n not in b.phones}
    relabelled = {n for n in relabelled if n in b.persons}
    pins: dict[Any, list] = defaultdict(list)
    for prisoner, phone, _data in b.pin_lists:
        pins[phone].append(prisoner)
    for u, v, _data in b.typed["USES_PHONE"]:
        if u in relabelled and v in b.phones:
            phones.add(v)
    for u, v, _data in b.typed["LIVES_IN"]:
        if v in places and u in b.persons:
            dirty.add(u)
    numbers = set(phones)
    for phone in phones:
        dirty.update(user for user, _ in b.users.get(phone, ()))
        dirty.update(pins.get(phone, ()))
    for u, v, _data in b.typed["CALLED"]:
        if u in phones and v in b.phones and not b.users.get(v):
            numbers.add(v)
        if v in phones and u in b.phones and not b.users.get(u):
            numbers.add(u)
    return dirty, numbers


def _restrict(b: _Builder, dirty: set, numbers: set) -> None:
    """Keep, of the links the collectors read, those that can make an item of a pair
    with a dirty end or of a number in ``numbers``: the links of the dirty people, of
    their numbers (used or PIN-listed), of ``numbers`` and of their postcodes."""
    reach = set(dirty) | numbers
    for u, v, _data in b.typed["USES_PHONE"]:
        if u in dirty:
            reach.add(v)
    for u, v, _data in b.typed["LIVES_IN"]:
        if u in dirty:
            reach.add(v)

    def near(found: list[tuple[Any, Any, dict]]) -> list[tuple[Any, Any, dict]]:
        return [link for link in found if link[0] in reach or link[1] in reach]

    b.typed = {kind: near(found) for kind, found in b.typed.items()}
    b.evidence, b.personal, b.pin_lists = near(b.evidence), near(b.personal), near(b.pin_lists)
    b.group_phones = reach & b.phones


def _splice(before: nx.Graph, b: _Builder, dirty: set, numbers: set) -> nx.Graph:
    """``before`` with the dirty people's attributes and links, and ``numbers``' entries,
    replaced by those collected in ``b``."""
    after: nx.Graph = nx.Graph()
    after.graph.update(before.graph)
    unattributed = {n: c for n, c in before.graph.get("unattributed_numbers", {}).items() if n not in numbers}
    unattributed.update(_unattributed(b, b.persons, numbers))
    after.graph["unattributed_numbers"] = dict(sorted(unattributed.items(), key=lambda nc: str(nc[0])))
    fresh = _node_attrs(b, dirty)
    nodes, adj = after._node, after._adj  # type: ignore[attr-defined]
    for node, data in before.nodes(data=True):
        nodes[node] = fresh.pop(node, data)
    nodes.update(fresh)  # people new to the graph, in graph order
    old = neighbours(before)
    reordered = set(dirty)
    for node in nodes:
        kept = old.get(node, {})
        if node in dirty:
            reordered.update(kept)
            adj[node] = {}
        elif dirty.isdisjoint(kept):
            adj[node] = dict(kept)
        else:
            adj[node] = {c: d for c, d in kept.items() if c not in dirty}
    for a, c, data in _person_links(b, nodes, dirty):
        adj[a][c] = adj[c][a] = data
        reordered.update((a, c))
    for node in reordered:
        adj[node] = dict(sorted(adj[node].items(), key=lambda cd: str(cd[0])))
    return after


def _collect_nodes_and_phones(b: _Builder) -> None:
    for u, v, data in b.typed["USES_PHONE"]:
        if b.is_person(u) and b.is_phone(v):
            if is_pin_list_entry(b.labels.get(u, ()), data):
                b.pin_lists.append((u, v, data))
            else:
                b.users[v].append((u, data))
            b.phone_contacts[v].add(u)
    for u, v, _data in b.typed["CALLED"]:
        if b.is_phone(u):
            b.phone_contacts[u].add(v)
        if b.is_phone(v):
            b.phone_contacts[v].add(u)


def _mark_common_numbers(b: _Builder, min_degree: int, percentile: float) -> None:
    """Common numbers by contact degree; a number attributed to an OCG member is never
    one, however many call it (an OCG's coordinating number reaching a hundred
    prisoners is what the hubs look for, not a taxi firm)."""
    degrees = {p: len(c) for p, c in b.phone_contacts.items()}
    cut = max(min_degree, _percentile(list(degrees.values()), percentile))
    members = {u for u, _, _data in b.typed["MEMBER_OF"]}
    ocg_numbers = {p for p, users in b.users.items() if any(u in members for u, _ in users)}
    b.common = {p for p, d in degrees.items() if d >= cut and p not in ocg_numbers}
    b.common |= {n for n, d in b.graph.nodes(data=True) if b.is_phone(n) and is_truthy(d.get("privileged"))}
    for phone, contacts in b.phone_contacts.items():
        if phone not in b.common:
            contacts.difference_update(b.common)


def _collect_declared(b: _Builder) -> None:
    for u, v, data in b.typed["FAMILY_OF"]:
        if is_official_grade(data):
            b.declared.add(frozenset((u, v)))


def _phone_people(b: _Builder, node: Any) -> Sequence[tuple[Any, dict | None]]:
    """People behind one end of a call: the phone's users, or the PIN prisoner."""
    if b.is_person(node):
        return [(node, None)]
    return b.users.get(node, [])


# A person behind one end of a call: (person, use of the number or None, the use's
# reference, its grading factor, its attribution source).
_End = tuple[Any, dict | None, LinkRef | None, float, str]


class _CallEnds:
    """The people behind each end of a call (the phone's users, or the PIN prisoner),
    with each use's reference, grading factor and attribution; and each number's
    contact degree and its down-weight, worked out once per node."""

    def __init__(self, b: _Builder) -> None:
        self.b = b
        self._people: dict[Any, list[_End]] = {}
        self._degrees: dict[Any, tuple[int, float]] = {}

    def of(self, node: Any) -> list[_End]:
        found = self._people.get(node)
        if found is None:
            found = self._people[node] = [
                (person, use, self.b.ref(person, node, use) if use else None, *self._use(use))
                for person, use in _phone_people(self.b, node)
            ]
        return found

    @staticmethod
    def _use(use: dict | None) -> tuple[float, str]:
        return (1.0, "") if use is None else (grading_factor(use), str(use.get("attribution_source")))

    def degree(self, phone: Any) -> tuple[int, float]:
        found = self._degrees.get(phone)
        if found is None:
            degree = len(self.b.phone_contacts[phone])
            found = self._degrees[phone] = (degree, common_factor(degree))
        return found


def _call_facts(data: dict, via: list, grading_text: str, degrees: list[int]) -> CallEvidence:
    """What every item of one stored call says (its items share the lists)."""
    return {
        "kind": "call",
        "type": "CALLED",
        "via": via,
        "links": [],
        "grading": grading_text,
        "count": data.get("count"),
        "first": data.get("first") or data.get("valid_from"),
        "last": data.get("last") or data.get("valid_to"),
        "strength": 0.0,
        "night_count": int(data.get("night_count") or 0),
        "total_seconds": data.get("total_seconds"),
        "sources": list(data.get("sources") or ()),
        "attribution": [],
        "degrees": degrees,
    }


def _collect_calls(b: _Builder) -> None:
    phones, common, users = b.phones, b.common, b.users
    base = KIND_WEIGHT["call"]
    ends = _CallEnds(b)
    for u, v, data in b.typed["CALLED"]:
        if u in common or v in common:
            continue
        ends_u, ends_v = ends.of(u), ends.of(v)
        if not ends_u and not ends_v:
            continue  # two numbers nobody is known to use: nothing to say about anyone
        factor, grading_text = graded(data)
        weight = base * count_factor(data.get("count")) * factor
        degrees = []
        for end in (u, v):
            if end in phones:
                degree, down = ends.degree(end)
                degrees.append(degree)
                weight *= down
        call_ref = _link_ref(u, v, data, grading_text)
        facts = _call_facts(data, [n for n in (u, v) if n in phones], grading_text, degrees)
        for number, people, own in ((u, ends_v, v), (v, ends_u, u)):
            if people and number in phones and not users.get(number):
                _number_contact(b, number, people, own, facts, call_ref, weight)
        for a, a_use, a_ref, a_factor, a_source in ends_u:
            for c, c_use, c_ref, c_factor, c_source in ends_v:
                if a == c:
                    continue
                links = [a_ref, call_ref] if a_ref else [call_ref]
                if c_ref:
                    links.append(c_ref)
                if a_use is None:
                    factor, attribution = (1.0, []) if c_use is None else (c_factor, [c_source])
                elif c_use is None:
                    factor, attribution = a_factor, [a_source]
                else:
                    factor, attribution = min(a_factor, c_factor), [a_source, c_source]
                call: CallEvidence = {**facts, "links": links, "strength": weight * factor, "attribution": attribution}
                b.add(a, c, call)
    for prisoner, phone, data in b.pin_lists:
        if phone in b.common:
            continue
        weight = KIND_WEIGHT["pin_list"] * grading_factor(data) * common_factor(len(b.phone_contacts[phone]))
        if not b.users.get(phone):
            listed: PinListEvidence = {
                "kind": "pin_list",
                "type": "USES_PHONE",
                "via": [phone],
                "links": [b.ref(prisoner, phone, data)],
                "grading": grading_code(data),
                "strength": weight,
                "degrees": [len(b.phone_contacts[phone])],
            }
            b.numbers[phone].append((prisoner, listed))
        for user, use in b.users.get(phone, []):
            if user != prisoner:
                entry: PinListEvidence = {
                    "kind": "pin_list",
                    "type": "USES_PHONE",
                    "via": [phone],
                    "links": [b.ref(prisoner, phone, data), b.ref(user, phone, use)],
                    "grading": grading_code(data),
                    "strength": weight * grading_factor(use),
                    "degrees": [len(b.phone_contacts[phone])],
                }
                b.add(prisoner, user, entry)


def _number_contact(
    b: _Builder,
    number: Any,
    people: Sequence[_End],
    own: Any,
    facts: CallEvidence,
    call_ref: LinkRef,
    weight: float,
) -> None:
    """A call between people (behind ``own``) and a number nobody is attributed (its holder unknown)."""
    via = [n for n in (own, number) if n in b.phones]
    contacts = b.numbers[number]
    for person, use, ref, factor, source in people:
        item: CallEvidence = {
            **facts,
            "via": via,
            "links": [ref, call_ref] if ref else [call_ref],
            "strength": weight * (factor if use else 1.0),
            "attribution": [source] if use else [],
        }
        contacts.append((person, item))


def _collect_shared(b: _Builder) -> None:
    residents: dict[Any, list[tuple[Any, dict]]] = defaultdict(list)
    for u, v, data in b.typed["LIVES_IN"]:
        if b.is_person(u):
            residents[v].append((u, data))
    phones = b.users if b.group_phones is None else {p: u for p, u in b.users.items() if p in b.group_phones}
    groups: list[tuple[Any, Any, list[tuple[Any, dict]]]] = [
        ("shared_phone", p, users) for p, users in phones.items() if p not in b.common
    ]
    groups += [("postcode", pc, people) for pc, people in residents.items()]
    for kind, place, members in groups:
        people = sorted({m for m, _ in members}, key=str)
        if len(people) < 2 or len(people) > MAX_SHARED_MEMBERS:
            continue
        weight = KIND_WEIGHT[kind] * common_factor(len(people))
        first: dict[Any, dict] = {}
        for person, data in members:
            first.setdefault(person, data)
        surnames = {m: _surname(b.graph.nodes[m]) for m in people}
        for i, a in enumerate(people):
            for c in people[i + 1 :]:
                da, dc = first[a], first[c]
                shared: SharedEvidence = {
                    "kind": kind,
                    "type": da.get("type"),
                    "via": [place],
                    "links": [b.ref(a, place, da), b.ref(c, place, dc)],
                    "grading": min(grading_code(da), grading_code(dc)),
                    "strength": weight * min(grading_factor(da), grading_factor(dc)),
                    "members": len(people),
                    "same_surname": bool(surnames[a]) and surnames[a] == surnames[c],
                }
                b.add(a, c, shared)


def _surname(attrs: dict) -> str:
    return str(attrs.get("surname") or "").strip().casefold()


def _collect_visits_and_intel(b: _Builder) -> None:
    for u, v, data in b.evidence:
        kind = data.get("type")
        if kind == "VISITED" and b.is_person(u) and b.is_person(v):
            visit: VisitEvidence = {
                "kind": "visit",
                "type": kind,
                "via": [],
                "links": [_link_ref(u, v, data)],
                "grading": grading_code(data),
                "count": data.get("count"),
                "relationship": data.get("relationship"),
                "first": data.get("first") or data.get("valid_from"),
                "last": data.get("last") or data.get("valid_to"),
                "strength": KIND_WEIGHT["visit"] * count_factor(data.get("count")) * grading_factor(data),
            }
            b.add(u, v, visit)
        elif kind and kind not in NON_EVIDENCE_TYPES and is_intelligence_type(kind):
            _intel_item(b, u, v, data)
        elif kind in IDENTITY_TYPES and b.is_person(u) and b.is_person(v) and u != v:
            _identity_item(b, u, v, data)


def _identity_item(b: _Builder, u: Any, v: Any, data: dict) -> None:
    """An undecided identity candidate, kept on both people (never a person link)."""
    if str(data.get("decision") or "").lower() in ("same", "different"):
        return  # same: merged by scoping (never seen here); different: no longer a candidate
    ref = _link_ref(u, v, data)
    item: IdentityEvidence = {
        "kind": "identity",
        "type": data.get("type"),
        "via": [],
        "links": [ref],
        "grading": ref["grading"],
        "score": data.get("score"),
        "reasons": [str(r) for r in data.get("reasons") or ()],
        "strength": float(data.get("score") or 0.0) * grading_factor(data),
    }
    b.identity[u].setdefault(v, item)
    b.identity[v].setdefault(u, item)


def _intel_item(b: _Builder, u: Any, v: Any, data: dict) -> None:
    kind = data["type"]
    strength = INTEL_WEIGHT.get(kind, OTHER_INTEL_WEIGHT) * grading_factor(data)
    ref = _link_ref(u, v, data)
    item: IntelligenceEvidence = {
        "kind": "intelligence",
        "type": kind,
        "via": [],
        "links": [ref],
        "grading": ref["grading"],
        "date": data.get("date") or data.get("valid_from"),
        "strength": strength,
    }
    ends: list[Sequence[tuple[Any, dict | None]]] = []
    for end in (u, v):
        if b.is_person(end):
            ends.append([(end, None)])
        elif b.is_phone(end) and end not in b.common:
            ends.append(b.users.get(end, []))
        else:
            ends.append([(end, None)])
    for a, _ in ends[0]:
        for c, _ in ends[1]:
            if b.is_person(a) and b.is_person(c):
                linked: IntelligenceEvidence = {**item, "via": [n for n in (u, v) if b.is_phone(n)]}
                b.add(a, c, linked)
            elif "OCG" in b.labels.get(c, ()) and b.is_person(a):
                b.ocg_intel[a].append({**item, "ocg": c})
            elif "OCG" in b.labels.get(a, ()) and b.is_person(c):
                b.ocg_intel[c].append({**item, "ocg": a})


def _node_attrs(b: _Builder, only: set | None = None) -> dict[Any, dict]:
    """The attributes of every person (of those in ``only``), in graph order."""
    attrs: dict[Any, dict] = {}
    for node, data in b.graph.nodes(data=True):
        if not b.is_person(node) or (only is not None and node not in only):
            continue
        attrs[node] = {
            "kind": person_kind(data.get("labels", ())),
            "labels": list(data.get("labels", ())),
            "name": data.get("name"),
            "establishments": set(),
            "ocgs": {},
            "ocg_intel": list(b.ocg_intel.get(node, ())),
            "merged_ids": list(data.get("merged_ids", [node])),
            "in_custody": data.get("in_custody"),
            "role": data.get("role"),
            "roles": {data["role"]} if data.get("role") else set(),
            "surname": data.get("surname"),
            "identity_candidates": dict(sorted(b.identity.get(node, {}).items(), key=lambda kv: str(kv[0]))),
        }
        if data.get("establishment"):
            attrs[node]["home_establishment"] = f"establishment:{data['establishment']}"
    for u, v, data in b.personal:
        kind = data.get("type")
        if u not in attrs:
            continue
        if kind in PLACE_TYPES:
            attrs[u]["establishments"].add(v)
            if data.get("role"):
                attrs[u]["roles"].add(data["role"])
        elif kind == "MEMBER_OF":
            membership: Membership = {
                "role": data.get("role"),
                "grading": grading_code(data),
                "strength": grading_factor(data),
                "link": _link_ref(u, v, data),
                "since": data.get("since") or data.get("valid_from"),
            }
            attrs[u]["ocgs"][v] = membership
    for value in attrs.values():
        value["establishments"] = sorted(value["establishments"])
        value["roles"] = sorted(value["roles"], key=str)
    return attrs


def _assemble(b: _Builder) -> nx.Graph:
    people: nx.Graph = nx.Graph()
    people.graph["common_numbers"] = sorted(b.common, key=str)
    people.add_nodes_from(_node_attrs(b).items())
    people.graph["unattributed_numbers"] = _unattributed(b, people)
    people.add_edges_from(_person_links(b, people.nodes))
    return people


def _person_links(b: _Builder, known: Any, only: set | None = None) -> list[tuple[Any, Any, dict]]:
    """The person links of the collected items between ``known`` people (with an end in
    ``only``, when given), in the order of their ends' ids: each person's neighbours
    then come in id order, whatever order the links were read in."""
    found = []
    for (a, c), items in b.items.items():
        if a not in known or c not in known or (only is not None and a not in only and c not in only):
            continue
        declared = frozenset((a, c)) in b.declared
        if declared:
            items = [_declared(i) for i in items]
        if len(items) > 1:
            items.sort(key=_item_order)
        found.append(
            (a, c, {"evidence": items, "declared": declared, "strength": noisy_or(i["strength"] for i in items)})
        )
    found.sort(key=lambda link: (str(link[0]), str(link[1])))
    return found


def _item_order(item: EvidenceItem) -> tuple:
    return (-rank_key(item["strength"]), item["kind"], str(item.get("type")))


def _unattributed(b: _Builder, people: Any, numbers: set | None = None) -> dict[Any, list[tuple[Any, EvidenceItem]]]:
    """Numbers nobody is attributed (of ``numbers``, when given) that join two or more
    people: {number: [(person, item)]}."""
    found = {}
    for number in sorted(b.numbers if numbers is None else b.numbers.keys() & numbers, key=str):
        contacts = [(p, i) for p, i in b.numbers[number] if p in people]
        if len({p for p, _ in contacts}) >= 2:
            found[number] = sorted(contacts, key=lambda pi: (str(pi[0]), pi[1]["kind"], -pi[1]["strength"]))
    return found


def _declared(item: EvidenceItem) -> EvidenceItem:
    """A copy of ``item`` between declared relatives: strength x ``DECLARED_FACTOR``."""
    copy = item.copy()
    copy["strength"] = item["strength"] * DECLARED_FACTOR
    copy["declared"] = True
    return copy


def criminal_nodes(people: nx.Graph) -> dict[Any, dict]:
    """People with an OCG membership: id -> their memberships."""
    return {n: d["ocgs"] for n, d in people.nodes(data=True) if d.get("ocgs")}


__all__ = [
    "COMMON_MIN_DEGREE",
    "COMMON_PERCENTILE",
    "DECLARED_FACTOR",
    "INTEL_FACTOR",
    "INTEL_WEIGHT",
    "KIND_WEIGHT",
    "SOURCE_FACTOR",
    "common_factor",
    "count_factor",
    "criminal_nodes",
    "grading_code",
    "grading_factor",
    "is_pin_list_entry",
    "noisy_or",
    "person_graph",
    "person_graph_update",
    "person_kind",
]

"""Corruption bridges: staff connected to organised crime outside their duties, weighed as evidence.

Works on the person-level evidence graph
(:func:`graph_service.analytics.projection.person_graph`), which holds no duty link
(posts, custody). Every fact is weighed by the evidence model
(:mod:`graph_service.analytics.evidence_model`: a log-likelihood ratio per item, from
its kind, grading, volume, pattern and specificity), and a member of staff's **weight
of evidence** is the sum of five parts (``BridgeComponents``):

``paths`` (weight 1)
    Lines of evidence to OCG members (any ``MEMBER_OF`` role) of at most ``max_hops``
    person steps. A line is everything reaching OCGs through one first contact (one
    person; one shared postcode or number); its value is its best path, steps chained
    as probabilities with the membership's (:func:`~graph_service.analytics.evidence_model.chain`),
    a step leaving an intermediary scaled by the intermediary's specificity. Paths do
    not pass through other staff (that is the colleagues part). A direct intelligence
    link to an OCG, an undecided identity candidate (``possible same person: decision
    needed``: the candidate's score as the first step) and the member of staff's own
    membership are lines too. Lines reaching or passing through a *declared relative*
    (a ``FAMILY_OF`` 1/A link) are multiplied by ``EvidenceModel.declared``; contacts
    the role explains (*duty contacts*,
    :func:`~graph_service.analytics.evidence_model.is_duty_contact`) by
    ``EvidenceModel.duty``. The strongest ``max_lines`` lines add.
``colleagues`` (weight 1)
    Second pass: the unusual part of a contact with another member of staff (night
    share, volume beyond the usual staff-to-staff link) chained with that colleague's
    first-pass weight. Ordinary daytime rota and union calls weigh nothing.
``betweenness``, ``cut``, ``brokerage`` (weights ``EvidenceModel.betweenness``, ``.cut``, ``.brokerage``)
    Structure, on the *structural graph*: person links of at least
    ``EvidenceModel.structure_min`` with no declared, duty or staff-to-staff link.
    ``betweenness``: betweenness restricted to prisoners in custody -> OCG members
    outside (sources sampled, seeded), as a share of the largest among staff;
    ``cut``: OCG members the member of staff's removal cuts off from the prisoners
    they were joined to, log-scaled
    (:func:`~graph_service.analytics.evidence_model.cut_value`; 0 when none);
    ``brokerage``: Gould-Fernandez ``ocg_pairs`` ``x / (1 + x)``.

``score`` is ``1 - exp(-weight_of_evidence)``. Staff below ``EvidenceModel.min_weight``
are not ranked (no evidence, no rank); :func:`bridge_ranking` says how many staff
have any evidence and how many are ranked, and every result's ``reasons`` gives its
strongest lines in one line each. Ordering: weight of evidence (6 places) descending,
then id. Every input is read in id order, so the same data gives the same ranking
however it was loaded.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph_service.analytics import evidence_model as em
from graph_service.analytics.brokerage import brokerage_roles, group_of
from graph_service.analytics.centrality import subset_betweenness
from graph_service.analytics.evidence_model import MODEL, EvidenceModel
from graph_service.analytics.kernels import Kernels, resolve
from graph_service.analytics.results import (
    BridgeComponents,
    BridgePath,
    BridgeRanking,
    BridgeResult,
    BridgeStep,
    BridgeSummary,
    Component,
    CutPart,
    EvidenceItem,
    Membership,
    rank_key,
)
from graph_service.gc_pause import paused_gc
from graph_service.multigraph import neighbours, pairs

# The weakest person link the disruption network keeps (see disruption.evidence_network).
MIN_STRENGTH = 0.02
MIN_PATH = 0.002
MAX_OUTPUT_LINES = 10
PLACE_KINDS = frozenset({"postcode", "shared_phone"})


def best_paths(
    people: nx.Graph, source: Any, max_hops: int = 3, *, min_strength: float = MIN_STRENGTH, min_path: float = MIN_PATH
) -> dict[Any, tuple[float, list[Any]]]:
    """Strongest path (product of step ``strength``) to every node within ``max_hops``.

    A generic helper on any graph with a ``strength`` link attribute (the bridges
    themselves chain log ratios, see the module docstring). Returns ``{node: (strength,
    [source, ..., node])}``; ties keep the path found first in id order.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("s", "a", strength=0.5); g.add_edge("a", "t", strength=0.5)
    >>> g.add_edge("s", "t", strength=0.2)
    >>> best_paths(g, "s")["t"]
    (0.25, ['s', 'a', 't'])
    """
    best: dict[Any, tuple[float, list[Any]]] = {source: (1.0, [source])}
    frontier = {source: (1.0, [source])}
    for _ in range(max_hops):
        nxt: dict[Any, tuple[float, list[Any]]] = {}
        for node in sorted(frontier, key=str):
            strength, path = frontier[node]
            for other in sorted(people[node], key=str):
                step = people[node][other].get("strength", 0.0)
                if step < min_strength or other in path:
                    continue
                value = strength * step
                if value < min_path:
                    continue
                if value > best.get(other, (0.0, None))[0] and value > nxt.get(other, (0.0, None))[0]:
                    nxt[other] = (value, [*path, other])
        for node, found in nxt.items():
            if found[0] > best.get(node, (0.0, None))[0]:
                best[node] = found
        frontier = nxt
        if not frontier:
            break
    del best[source]
    return best


# ----------------------------------------------------------------------------- weighed links
@dataclass(frozen=True, slots=True)
class _Link:
    """A person link as the evidence model weighs it (internal)."""

    llr: float
    items: tuple[EvidenceItem, ...]
    llrs: tuple[float, ...]
    declared: bool
    duty: bool
    reliable: bool = True


@dataclass
class _World:
    """Everything the ranking reads, built once per call (internal)."""

    people: nx.Graph
    model: EvidenceModel
    staff: list[Any]
    staff_set: set[Any]
    links: dict[Any, dict[Any, _Link]] = field(default_factory=dict)
    colleague_links: dict[Any, dict[Any, _Link]] = field(default_factory=dict)
    relatives: dict[Any, set[Any]] = field(default_factory=dict)
    numbers: dict[Any, list[tuple[Any, EvidenceItem]]] = field(default_factory=dict)
    number_items: dict[Any, dict[Any, list[EvidenceItem]]] = field(default_factory=dict)
    person_numbers: dict[Any, set[Any]] = field(default_factory=dict)
    circle: dict[Any, set[Any]] = field(default_factory=dict)
    _adjacency: dict[Any, list[tuple[Any, float]]] = field(default_factory=dict)

    def adjacency(self, node: Any) -> list[tuple[Any, float]]:
        """The links of ``node`` at least ``min_step`` strong, in id order.

        Links to unattributed numbers are weighed here, when a path first reaches
        one of their ends (only paths follow them; the structure does not).
        """
        found = self._adjacency.get(node)
        if found is not None:
            return found
        for number in sorted(self.person_numbers.get(node, ()), key=str) if node not in self.numbers else [node]:
            for person, items in self.number_items[number].items():
                if person not in self.links[number]:
                    link = _weigh(self, number, person, tuple(items), False)
                    self.links[number][person] = link
                    self.links[person][number] = link
        found = sorted(
            ((o, link.llr) for o, link in self.links[node].items() if link.llr >= self.model.min_step),
            key=lambda x: str(x[0]),
        )
        self._adjacency[node] = found
        return found

    def kind(self, node: Any) -> str | None:
        if node in self.numbers:
            return "number"
        return self.people.nodes[node].get("kind")

    def places(self, node: Any) -> set[Any]:
        if node in self.numbers:
            return set()
        data = self.people.nodes[node]
        found = set(data.get("establishments") or ())
        if not found and data.get("home_establishment"):
            found.add(data["home_establishment"])
        return found

    def ids(self, node: Any) -> set[Any]:
        return set(self.people.nodes[node].get("merged_ids") or (node,)) | {node}


FAMILY_KINDS = frozenset({"visit", "pin_list", "call"})
HOUSEHOLD_KINDS = frozenset({"postcode", "shared_phone"})


def _family_circle(world: _World) -> dict[Any, set[Any]]:
    """Establishments of the prisoners each person (or unknown number) is in the family circle of.

    A prisoner's circle: who visits them, is on their PIN list or calls them, and who
    shares a home or a number (or a ``FAMILY_OF`` link) with one of those.
    """
    people, adj = world.people, neighbours(world.people)
    prisoners = [n for n in sorted(people, key=str) if people.nodes[n].get("kind") == "prisoner"]
    circle: dict[Any, set[Any]] = {}
    for p in prisoners:
        places = world.places(p)
        for other, data in adj[p].items():
            if any(i.get("kind") in FAMILY_KINDS for i in data.get("evidence", ())):
                circle.setdefault(other, set()).update(places)
    for number, contacts in world.numbers.items():
        for person, _item in contacts:
            if people.nodes[person].get("kind") == "prisoner":
                circle.setdefault(number, set()).update(world.places(person))
    for member in sorted(list(circle), key=str):
        if member in world.numbers:
            continue
        for other, data in adj[member].items():
            household = any(
                i.get("kind") in HOUSEHOLD_KINDS or i.get("type") == "FAMILY_OF" for i in data.get("evidence", ())
            )
            if household and people.nodes[other].get("kind") != "prisoner":
                circle.setdefault(other, set()).update(circle[member])
    return circle


class WeightCache:
    """The evidence model's weights of person links, kept from one ranking to the next.

    A link whose data is the same object as in the graph ranked before (a person graph
    brought up to date under a delta keeps the links it did not touch, attributes and
    all) is not weighed again; only the links of the last graph ranked are kept.
    Internal to one holder (a workspace keeps one per scope and uses it under its lock).

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("staff:S1", kind="staff"); g.add_node("person:P1", kind="nominal")
    >>> g.add_edge("staff:S1", "person:P1", evidence=[
    ...     {"kind": "intelligence", "type": "FINANCIAL", "grading": "2B P", "links": []}])
    >>> cache = WeightCache()
    >>> first = bridge_ranking(g, cache=cache)
    >>> len(cache), cache.reused
    (1, 0)
    >>> bridge_ranking(g, cache=cache) == first, cache.reused
    (True, 1)
    """

    def __init__(self) -> None:
        self._model: EvidenceModel | None = None
        self._found: dict[int, tuple[dict, tuple[list[float], list[float]], _Link | None]] = {}
        self._next: dict[int, tuple[dict, tuple[list[float], list[float]], _Link | None]] = {}
        self.reused = 0  # links of the last ranking weighed before

    def __len__(self) -> int:
        return len(self._found)

    def begin(self, model: EvidenceModel) -> None:
        if model != self._model:
            self._found = {}
        self._model, self._next, self.reused = model, {}, 0

    def get(self, data: dict) -> tuple[tuple[list[float], list[float]], _Link | None] | None:
        found = self._found.get(id(data))
        if found is None or found[0] is not data:
            return None
        self.reused += 1
        return found[1], found[2]

    def put(self, data: dict, weights: tuple[list[float], list[float]], link: _Link | None) -> None:
        self._next[id(data)] = (data, weights, link)

    def end(self) -> None:
        self._found, self._next = self._next, {}


def _weigh(
    world: _World,
    a: Any,
    b: Any,
    items: tuple[EvidenceItem, ...],
    declared: bool,
    weights: tuple[list[float], list[float]] | None = None,
) -> _Link:
    model, people = world.model, world.people
    raw, rels = weights if weights is not None else em.link_weights(items, model)
    duty = False
    bonus = 0.0
    staff_end = a if a in world.staff_set else (b if b in world.staff_set else None)
    if staff_end is not None and not (a in world.staff_set and b in world.staff_set):
        other = b if staff_end == a else a
        kind = world.kind(other)
        staff_places = world.places(staff_end)
        circle_kind: str | None
        if kind == "prisoner":
            other_places, circle_kind = world.places(other), "prisoner"
        else:
            other_places = world.circle.get(other, set())
            circle_kind = "family" if other in world.circle else kind
        shared = bool(staff_places & other_places) if staff_places and other_places else True
        roles = people.nodes[staff_end].get("roles") or [people.nodes[staff_end].get("role")]
        duty = em.is_duty_contact(items, roles, circle_kind, shared, model, world.ids(staff_end))
        contact = [i for i, x in zip(items, raw, strict=True) if x > 0 and i.get("kind") in em.DUTY_KINDS]
        if kind == "prisoner" and staff_places and other_places and not shared and contact:
            bonus = model.outside_postings * max(em.item_reliability(i, model) for i in contact)
    factor = (model.declared if declared else 1.0) * (model.duty if duty else 1.0)
    llrs = tuple(x * factor for x in raw)
    reliable = False
    if items:
        strongest = max(range(len(items)), key=lambda i: (raw[i], -i))
        reliable = rels[strongest] >= model.structure_reliability
    return _Link(
        llr=sum(llrs) + bonus * factor, items=items, llrs=llrs, declared=declared, duty=duty, reliable=reliable
    )


def _build(people: nx.Graph, model: EvidenceModel, cache: WeightCache | None = None) -> _World:
    staff = sorted((n for n, d in people.nodes(data=True) if d.get("kind") == "staff"), key=str)
    world = _World(people=people, model=model, staff=staff, staff_set=set(staff))
    world.numbers = {n: list(c) for n, c in (people.graph.get("unattributed_numbers") or {}).items()}
    world.circle = _family_circle(world)
    for node in itertools.chain(people, world.numbers):
        world.links[node] = {}
    if cache is None:
        cache = WeightCache()
    cache.begin(model)
    for a, b, data in sorted(pairs(people), key=lambda e: (str(e[0]), str(e[1]))):
        link = _cached_weigh(world, cache, a, b, data)
        if a in world.staff_set and b in world.staff_set:
            world.colleague_links.setdefault(a, {})[b] = link
            world.colleague_links.setdefault(b, {})[a] = link
            continue
        world.links[a][b] = link
        world.links[b][a] = link
        if link.declared:
            world.relatives.setdefault(a, set()).add(b)
            world.relatives.setdefault(b, set()).add(a)
    for number, contacts in world.numbers.items():
        by_person: dict[Any, list[EvidenceItem]] = {}
        for person, item in contacts:
            by_person.setdefault(person, []).append(item)
            world.person_numbers.setdefault(person, set()).add(number)
        world.number_items[number] = {p: by_person[p] for p in sorted(by_person, key=str)}
    cache.end()
    return world


def _cached_weigh(world: _World, cache: WeightCache, a: Any, b: Any, data: dict) -> _Link:
    """The link ``data`` from ``a`` to ``b`` weighed, from ``cache`` when it was before: a
    link without a member of staff at one end (and not at both) is the same whole, the
    others are weighed again from the same item weights (whether a contact is a duty
    depends on the staff member's postings and the other end's family circle)."""
    hit = cache.get(data)
    if hit is not None and hit[1] is not None:
        cache.put(data, *hit)
        return hit[1]
    items = tuple(data.get("evidence") or ())
    weights = hit[0] if hit is not None else em.link_weights(items, world.model)
    link = _weigh(world, a, b, items, bool(data.get("declared")), weights)
    one_staff = (a in world.staff_set) != (b in world.staff_set)
    cache.put(data, weights, None if one_staff else link)
    return link


# ----------------------------------------------------------------------------- lines of evidence
@dataclass(frozen=True, slots=True)
class _Line:
    key: tuple[str, str]
    kind: str
    llr: float
    nodes: tuple[Any, ...]
    ocg: Any
    membership: Membership | None
    explained: bool
    step_llrs: tuple[float, ...]
    identity: EvidenceItem | None = None
    intel: tuple[EvidenceItem, ...] = ()
    colleague_weight: float = 0.0


def _first_key(world: _World, staff: Any, first: Any) -> tuple[str, str]:
    """What a line rests on: the first step's strongest stored fact.

    A shared postcode or number (every resident is one line), a call between two
    numbers (every user of the other number is one line), a number attributed to the
    member of staff below official grading (every call on it rests on that one
    attribution), otherwise the person.
    """
    link = world.links[staff].get(first)
    if link is not None and link.items:
        strongest = max(range(len(link.items)), key=lambda i: (link.llrs[i], -i))
        item = link.items[strongest]
        if item.get("kind") == "shared_phone" and item.get("via"):
            return ("number", str(item["via"][0]))
        if item.get("kind") in PLACE_KINDS and item.get("via"):
            return ("place", str(item["via"][0]))
        if item.get("kind") == "call":
            own = em.own_number(item, world.ids(staff))
            if own is not None and em.reliability(own.get("grading"), world.model) < 1.0:
                return ("number", str(own.get("dst")))
            return ("call", "|".join(sorted(str(v) for v in item.get("via") or ())))
    return ("person", str(first))


def _search(world: _World, staff: Any, first: Any, first_llr: float, hops: int, identity: bool) -> dict[Any, Any]:
    """Best path (by chained probability) from ``first`` to every node within ``hops`` more steps."""
    model = world.model
    floor = em.probability(model.min_path)
    start = em.probability(first_llr)
    best: dict[Any, tuple[float, tuple[Any, ...], tuple[float, ...]]] = {first: (start, (staff, first), (first_llr,))}
    frontier = {first: best[first]}
    for depth in range(hops):
        nxt: dict[Any, tuple[float, tuple[Any, ...], tuple[float, ...]]] = {}
        for node in sorted(frontier, key=str):
            p, path, steps = frontier[node]
            # the first contact of an identity line stands for the member of staff
            adjacent = world.adjacency(node)
            spec = 1.0 if (identity and depth == 0) else em.person_specificity(len(adjacent), model)
            for other, llr in adjacent:
                if other in world.staff_set or other in path:
                    continue
                step = llr * spec
                if step < model.min_step:
                    continue
                value = p * em.probability(step)
                if value < floor:
                    continue
                if value > best.get(other, (0.0,))[0] and value > nxt.get(other, (0.0,))[0]:
                    nxt[other] = (value, (*path, other), (*steps, step))
        for node, found in nxt.items():
            if found[0] > best.get(node, (0.0,))[0]:
                best[node] = found
        frontier = nxt
        if not frontier:
            break
    return best


def relatives_circle(people: nx.Graph, relatives: Iterable[Any]) -> set[Any]:
    """Declared relatives and who the declaration also explains: their other records and family.

    The records an identity candidate says may be the relative, the people who share
    the relative's number, or their postcode and surname, and the relative's visitors
    and PIN-list contacts (their family, most often the staff member's too).

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("person:R", identity_candidates={"visitor:R2": {}}); g.add_node("visitor:R2")
    >>> g.add_node("person:H"); g.add_node("person:X")
    >>> g.add_edge("person:R", "person:H", evidence=[{"kind": "postcode", "same_surname": True}])
    >>> g.add_edge("person:R", "person:X", evidence=[{"kind": "postcode", "same_surname": False}])
    >>> sorted(relatives_circle(g, ["person:R"]))
    ['person:H', 'person:R', 'visitor:R2']
    """
    circle: set[Any] = set()
    for relative in relatives:
        circle.add(relative)
        circle.update(o for o in (people.nodes[relative].get("identity_candidates") or {}) if o in people)
        for other, data in people[relative].items():
            for item in data.get("evidence", ()):
                kind = item.get("kind")
                if kind in ("shared_phone", "visit", "pin_list") or (kind == "postcode" and item.get("same_surname")):
                    circle.add(other)
    return circle


def _contact_lines(world: _World, staff: Any, max_hops: int) -> list[_Line]:
    people, model = world.people, world.model
    relatives = relatives_circle(people, sorted(world.relatives.get(staff, set()), key=str))
    firsts: dict[Any, tuple[float, EvidenceItem | None]] = {
        o: (llr, None) for o, llr in world.adjacency(staff) if o not in world.staff_set
    }
    for other, item in (people.nodes[staff].get("identity_candidates") or {}).items():
        if other in world.staff_set or other not in people:
            continue
        llr = em.item_llr(item, model)
        # The candidate's own agreement (same postcode, same number) is one of its
        # reasons: the first step is the stronger of the two, never both.
        if llr >= model.min_step and llr > firsts.get(other, (0.0, None))[0]:
            firsts[other] = (llr, item)
    best: dict[tuple[str, str], _Line] = {}
    for first in sorted(firsts, key=str):
        first_llr, identity = firsts[first]
        key = ("person", str(first)) if identity is not None else _first_key(world, staff, first)
        reached = _search(world, staff, first, first_llr, max_hops - 1, identity is not None)
        for target in sorted(reached, key=str):
            if target in world.numbers:
                continue
            memberships = people.nodes[target].get("ocgs") or {}
            if not memberships:
                continue
            p, path, steps = reached[target]
            explained = bool(relatives.intersection(path[1:]))
            for ocg in sorted(memberships, key=str):
                membership = memberships[ocg]
                llr = em.weight(p * em.membership_probability(membership, model))
                if explained:
                    llr *= model.declared
                current = best.get(key)
                if current is None or rank_key(llr) > rank_key(current.llr):
                    best[key] = _Line(
                        key=key,
                        kind="identity" if identity is not None else "contact",
                        llr=llr,
                        nodes=path,
                        ocg=ocg,
                        membership=membership,
                        explained=explained,
                        step_llrs=steps,
                        identity=identity,
                    )
    return list(best.values())


def _intel_lines(world: _World, staff: Any) -> list[_Line]:
    by_ocg: dict[Any, list[EvidenceItem]] = {}
    for item in world.people.nodes[staff].get("ocg_intel") or ():
        by_ocg.setdefault(item["ocg"], []).append(item)
    lines = []
    for ocg in sorted(by_ocg, key=str):
        items = tuple(by_ocg[ocg])
        llr = sum(em.item_llr(i, world.model) for i in items)
        if llr >= world.model.min_step:
            lines.append(
                _Line(
                    key=("ocg", str(ocg)),
                    kind="intelligence",
                    llr=llr,
                    nodes=(staff, ocg),
                    ocg=ocg,
                    membership=None,
                    explained=False,
                    step_llrs=(llr,),
                    intel=items,
                )
            )
    return lines


def _membership_lines(world: _World, staff: Any) -> list[_Line]:
    lines = []
    memberships = world.people.nodes[staff].get("ocgs") or {}
    for ocg in sorted(memberships, key=str):
        llr = em.weight(em.membership_probability(memberships[ocg], world.model))
        lines.append(
            _Line(
                key=("member", str(ocg)),
                kind="membership",
                llr=llr,
                nodes=(staff,),
                ocg=ocg,
                membership=memberships[ocg],
                explained=False,
                step_llrs=(),
            )
        )
    return lines


def _ordered(lines: Iterable[_Line]) -> list[_Line]:
    return sorted(lines, key=lambda line: (-rank_key(line.llr), line.key))


def _chosen(lines: list[_Line], model: EvidenceModel) -> list[_Line]:
    """The lines that count: the strongest ``max_lines``, at most one through a colleague."""
    chosen: list[_Line] = []
    colleague = False
    for line in lines:
        if line.kind == "colleague":
            if colleague:
                continue
            colleague = True
        chosen.append(line)
        if len(chosen) == model.max_lines:
            break
    return chosen


def _total(lines: list[_Line], model: EvidenceModel) -> float:
    return sum(line.llr for line in _chosen(lines, model))


def _colleague_lines(
    world: _World, staff: Any, first_pass: dict[Any, float], best_ocg: dict[Any, Any], norms: em.ColleagueNorms
) -> list[_Line]:
    lines = []
    for colleague in sorted(world.colleague_links.get(staff, {}), key=str):
        suspicion = first_pass.get(colleague, 0.0)
        if suspicion <= 0.0:
            continue
        link = world.colleague_links[staff][colleague]
        contact = em.colleague_llr(link.items, norms, world.model)
        if link.declared:
            contact *= world.model.declared
        if contact < world.model.min_step:
            continue
        llr = em.chain([contact, suspicion])
        lines.append(
            _Line(
                key=("colleague", str(colleague)),
                kind="colleague",
                llr=llr,
                nodes=(staff, colleague),
                ocg=best_ocg.get(colleague),
                membership=None,
                explained=False,
                step_llrs=(contact,),
                colleague_weight=suspicion,
            )
        )
    return lines


# ----------------------------------------------------------------------------- structure
def structural_graph(people: nx.Graph, *, model: EvidenceModel = MODEL) -> nx.Graph:
    """The person links the structural parts read: no declared, duty or staff-to-staff link.

    Links weaker than ``model.structure_min`` are left out too.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("staff:S", kind="staff", roles=["Chaplaincy"], establishments=["establishment:E"])
    >>> g.add_node("visitor:V", kind="visitor"); g.add_node("person:P", kind="nominal")
    >>> g.add_node("prisoner:A", kind="prisoner", establishments=["establishment:E"])
    >>> day = {"kind": "call", "count": 8, "night_count": 0, "links": [], "attribution": ["declared"]}
    >>> g.add_edge("staff:S", "visitor:V", evidence=[day])  # a chaplain calls a family: duty
    >>> g.add_edge("visitor:V", "prisoner:A", evidence=[{"kind": "visit", "count": 4, "links": []}])
    >>> g.add_edge("staff:S", "person:P", evidence=[day], declared=True)  # a declared relative
    >>> sorted(tuple(sorted(e)) for e in structural_graph(g).edges())
    [('prisoner:A', 'visitor:V')]
    """
    world = _build(people, model)
    return _structure(world)


def _structure(world: _World) -> nx.Graph:
    strong: nx.Graph = nx.Graph()
    strong.add_nodes_from(sorted(world.people, key=str))
    model = world.model
    edges = [
        (a, b)
        for a in sorted(world.people, key=str)
        for b, link in world.links[a].items()
        if b in world.people
        and str(a) < str(b)
        and link.llr >= model.structure_min
        and not link.declared
        and not link.duty
        and link.reliable
    ]
    strong.add_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]))))
    return strong


def _cut_part(strong: nx.Graph, node: Any, criminals: set, custody: set, model: EvidenceModel) -> CutPart:
    """OCG members that removing ``node`` cuts off from the prisoners they were joined to."""
    seen = {node}
    pieces = []
    for start in sorted(strong[node], key=str):
        if start in seen:
            continue
        piece, stack = set(), [start]
        seen.add(start)
        while stack:
            current = stack.pop()
            piece.add(current)
            for nxt in strong[current]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        pieces.append(piece)
    with_custody = [p for p in pieces if p & custody]
    separated = 0
    if len(pieces) > 1 and with_custody:
        separated = sum(len(p & criminals) for p in pieces if not p & custody)
    value = em.cut_value(separated, model)
    return CutPart(value=value, pieces=len(pieces), separated_ocg_members=separated, closes_custody_ocg=separated > 0)


NO_CUT = CutPart(value=0.0, pieces=1, separated_ocg_members=0, closes_custody_ocg=False)


# ----------------------------------------------------------------------------- output
def _item_copy(item: EvidenceItem, llr: float, duty: bool) -> EvidenceItem:
    copy = item.copy()
    copy["llr"] = llr
    if duty:
        copy["duty"] = True
    return copy


def _step(world: _World, a: Any, b: Any, llr: float) -> BridgeStep:
    link = world.links[a].get(b) or world.colleague_links.get(a, {}).get(b)
    if link is None:
        return BridgeStep(
            from_=a, to=b, strength=em.probability(llr), weight_of_evidence=llr, declared=False, duty=False, evidence=()
        )
    order = sorted(range(len(link.items)), key=lambda i: (-rank_key(link.llrs[i]), i))
    items = tuple(_item_copy(link.items[i], link.llrs[i], link.duty) for i in order)
    return BridgeStep(
        from_=a,
        to=b,
        strength=em.probability(llr),
        weight_of_evidence=llr,
        declared=link.declared,
        duty=link.duty,
        evidence=items,
    )


def _fact(step: BridgeStep, model: EvidenceModel) -> str:
    if not step.evidence:
        return f"{step.from_} - {step.to}"
    text = f"{step.from_} - {step.to}: {em.describe(step.evidence[0], model)}"
    more = len(step.evidence) - 1
    return text + (f" (+{more} more)" if more else "")


def _membership_text(membership: Membership | None) -> str:
    if not membership:
        return ""
    return f"{membership.get('role') or 'member'} {membership.get('grading')}"


def _reason(line: _Line, steps: tuple[BridgeStep, ...], model: EvidenceModel) -> str:
    target = line.nodes[-1]
    if line.kind == "membership":
        head = f"member of {line.ocg} ({_membership_text(line.membership)})"
        facts = ""
    elif line.kind == "intelligence":
        head = f"intelligence linking them to {line.ocg}"
        facts = "; ".join(em.describe(i, model) for i in line.intel[:2])
    elif line.kind == "colleague":
        head = f"contact with suspected colleague {target} (their weight {line.colleague_weight:.2f})"
        facts = "; ".join(_fact(s, model) for s in steps)
    else:
        head = f"{line.ocg} through {target} ({_membership_text(line.membership)})"
        parts = []
        if line.identity is not None:
            parts.append(f"{line.nodes[0]} ~ {line.nodes[1]}: {em.describe(line.identity, model)}")
            steps = steps[1:]
        parts += [_fact(s, model) for s in steps]
        if line.kind == "identity":
            head = f"possible same person: decision needed; {head}"
        facts = "; ".join(parts)
        if line.explained:
            facts += "; explained by a declared relationship"
    return f"{head}: {facts} (weight {line.llr:.2f})" if facts else f"{head} (weight {line.llr:.2f})"


def _path(world: _World, line: _Line) -> BridgePath:
    model = world.model
    steps: tuple[BridgeStep, ...]
    if line.kind == "membership":
        steps = ()
    elif line.kind == "intelligence":
        order = sorted(line.intel, key=lambda i: -em.item_llr(i, model))
        items = tuple(_item_copy(i, em.item_llr(i, model), False) for i in order)
        steps = (
            BridgeStep(
                from_=line.nodes[0],
                to=line.ocg,
                strength=em.probability(line.llr),
                weight_of_evidence=line.llr,
                declared=False,
                duty=False,
                evidence=items,
            ),
        )
    else:
        built = []
        for (a, b), llr in zip(itertools.pairwise(line.nodes), line.step_llrs, strict=True):
            if line.identity is not None and a == line.nodes[0]:
                item = _item_copy(line.identity, llr, False)
                built.append(
                    BridgeStep(
                        from_=a,
                        to=b,
                        strength=em.probability(llr),
                        weight_of_evidence=llr,
                        declared=False,
                        duty=False,
                        evidence=(item,),
                    )
                )
            else:
                built.append(_step(world, a, b, llr))
        steps = tuple(built)
    return BridgePath(
        ocg=line.ocg,
        target=line.nodes[-1],
        strength=em.probability(line.llr),
        weight_of_evidence=line.llr,
        line=line.kind,  # type: ignore[arg-type]
        hops=len(line.nodes) - 1,
        nodes=tuple(line.nodes),
        explained_by_declared_relationship=line.explained,
        steps=steps,
        membership=line.membership,
        reason=_reason(line, steps, model),
    )


# ----------------------------------------------------------------------------- the ranking
@paused_gc()
def bridge_ranking(
    people: nx.Graph,
    *,
    max_hops: int = 3,
    top: int | None = None,
    max_sources: int | None = 32,
    seed: int = 0,
    backend: str | None = None,
    model: EvidenceModel = MODEL,
    kernels: Kernels | str | None = None,
    cache: WeightCache | None = None,
) -> BridgeRanking:
    """Rank staff by the weight of evidence connecting them to organised crime.

    Parameters
    ----------
    people : networkx.Graph
        The person-level evidence graph.
    max_hops : int
        Longest evidence path followed (person-to-person steps).
    top : int, optional
        Return only the first ``top`` results (the summary counts all).
    max_sources, seed, backend, kernels
        The kernels of the custody-community betweenness and the articulation points
        (compiled and exact by default; with the NetworkX kernels the betweenness
        sources are sampled, see
        :func:`graph_service.analytics.centrality.subset_betweenness`).
    model : EvidenceModel
        The weights (:data:`~graph_service.analytics.evidence_model.MODEL`).
    cache : WeightCache, optional
        The links' weights of the ranking before, on an earlier version of ``people``
        (the same ranking whether given or not; a workspace keeps one per scope).

    Returns
    -------
    BridgeRanking
        ``summary`` (staff, with evidence, ranked, the minimum weight) and ``results``.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("staff:S1", kind="staff", ocgs={}, ocg_intel=[])
    >>> g.add_node("staff:S2", kind="staff", ocgs={}, ocg_intel=[])
    >>> g.add_node("person:P1", kind="nominal", ocg_intel=[],
    ...            ocgs={"ocg:O1": {"grading": "1A P", "role": "member", "link": {}}})
    >>> calls = {"kind": "call", "count": 8, "night_count": 4, "links": [{"grading": "1A P"}]}
    >>> g.add_edge("staff:S1", "person:P1", evidence=[calls])
    >>> ranking = bridge_ranking(g)
    >>> ranking.summary.staff, ranking.summary.staff_with_evidence, ranking.summary.staff_ranked
    (2, 1, 1)
    >>> r = ranking.results[0]
    >>> r.id, round(r.weight_of_evidence, 3), r.reasons[0]
    ('staff:S1', 2.393, 'ocg:O1 through person:P1 (member 1A P): staff:S1 - person:P1: 8 calls (4 at night) [1A P] (weight 2.39)')
    """
    world = _build(people, model, cache)
    criminals = {n for n, d in people.nodes(data=True) if d.get("ocgs")}
    custody = {
        n for n, d in people.nodes(data=True) if d.get("kind") == "prisoner" and d.get("in_custody") is not False
    }
    lines: dict[Any, list[_Line]] = {}
    for s in world.staff:
        found = [*_contact_lines(world, s, max_hops), *_intel_lines(world, s), *_membership_lines(world, s)]
        lines[s] = _ordered(found)
    first_pass = {s: _total(found, model) for s, found in lines.items()}
    best_ocg = {s: found[0].ocg for s, found in lines.items() if found}
    colleague_calls = [
        item
        for s in world.staff
        for c, link in world.colleague_links.get(s, {}).items()
        if str(s) < str(c)
        for item in link.items
        if item.get("kind") == "call"
    ]
    norms = em.ColleagueNorms.of(colleague_calls)
    for s in world.staff:
        extra = _colleague_lines(world, s, first_pass, best_ocg, norms)
        if extra:
            lines[s] = _ordered([*lines[s], *extra])
    candidates = [s for s in world.staff if lines[s]]
    strong = _structure(world)
    kernel = resolve(kernels, backend=backend)
    between: dict[Any, float] = (
        subset_betweenness(
            strong, custody, criminals - custody, max_sources=max_sources, seed=seed, kernels=kernel
        ).values
        if candidates
        else {}
    )
    top_between = max((between.get(s, 0.0) for s in candidates), default=0.0) or 1.0
    articulation = kernel.articulation_points(strong) if candidates else set()
    groups = {n: group_of(d) for n, d in people.nodes(data=True)}
    scored = []
    for s in candidates:
        chosen = _chosen(lines[s], model)
        cut = _cut_part(strong, s, criminals, custody, model) if s in articulation else NO_CUT
        roles = brokerage_roles(strong, s, groups)
        values = {
            "paths": sum(line.llr for line in chosen if line.kind != "colleague"),
            "colleagues": sum(line.llr for line in chosen if line.kind == "colleague"),
            "betweenness": between.get(s, 0.0) / top_between,
            "cut": cut.value,
            "brokerage": roles.ocg_pairs / (1.0 + roles.ocg_pairs),
        }
        weights = {
            "paths": 1.0,
            "colleagues": 1.0,
            "betweenness": model.betweenness,
            "cut": model.cut,
            "brokerage": model.brokerage,
        }
        total = sum(weights[k] * v for k, v in values.items())
        if total > 0.0:
            scored.append((total, s, values, weights, roles, cut))
    scored.sort(key=lambda row: (-rank_key(row[0]), str(row[1])))
    ranked = [row for row in scored if rank_key(row[0]) >= rank_key(model.min_weight)]
    results = []
    for rank, (total, s, values, weights, roles, cut) in enumerate(ranked[:top] if top is not None else ranked, 1):
        data = people.nodes[s]
        paths = tuple(_path(world, line) for line in lines[s][:MAX_OUTPUT_LINES])
        results.append(
            BridgeResult(
                id=s,
                name=data.get("name"),
                role=data.get("role"),
                establishments=tuple(data.get("establishments", ())),
                merged_ids=tuple(data.get("merged_ids", (s,))),
                score=em.probability(total),
                weight_of_evidence=total,
                reasons=tuple(p.reason for p in paths[: model.max_lines]),
                components=BridgeComponents(**{k: Component(value=v, weight=weights[k]) for k, v in values.items()}),
                ocgs=tuple(dict.fromkeys(p.ocg for p in paths if p.ocg is not None)),
                paths=paths,
                brokerage=roles,
                betweenness_raw=between.get(s, 0.0),
                cut=cut,
                rank=rank,
            )
        )
    summary = BridgeSummary(
        staff=len(world.staff), staff_with_evidence=len(scored), staff_ranked=len(ranked), min_weight=model.min_weight
    )
    return BridgeRanking(summary=summary, results=tuple(results))


def corruption_bridges(
    people: nx.Graph,
    *,
    max_hops: int = 3,
    top: int | None = None,
    max_sources: int | None = 32,
    seed: int = 0,
    backend: str | None = None,
    model: EvidenceModel = MODEL,
    kernels: Kernels | str | None = None,
) -> list[BridgeResult]:
    """The ranked staff of :func:`bridge_ranking` (its ``results`` as a list).

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("staff:S1", kind="staff", ocgs={}, ocg_intel=[])
    >>> g.add_node("prisoner:A1", kind="prisoner", ocg_intel=[],
    ...            ocgs={"ocg:O1": {"grading": "1A P", "role": "member", "link": {}}})
    >>> g.add_edge("staff:S1", "prisoner:A1", evidence=[
    ...     {"kind": "intelligence", "type": "FINANCIAL", "grading": "1A P", "links": []}])
    >>> [(r.id, round(r.components.paths.value, 3), r.rank) for r in corruption_bridges(g)]
    [('staff:S1', 2.569, 1)]
    """
    ranking = bridge_ranking(
        people,
        max_hops=max_hops,
        top=top,
        max_sources=max_sources,
        seed=seed,
        backend=backend,
        model=model,
        kernels=kernels,
    )
    return list(ranking.results)


__all__ = [
    "MIN_STRENGTH",
    "WeightCache",
    "best_paths",
    "bridge_ranking",
    "corruption_bridges",
    "relatives_circle",
    "structural_graph",
]

"""Typed results of the analyses and their evidence items, and the one way to JSON.

Every analysis returns frozen dataclasses (slots, keyword-only) defined here; the
evidence items they cite are :class:`~typing.TypedDict` records, because they are
also the link and node attributes of the person evidence graph
(:func:`~graph_service.analytics.projection.person_graph`), which NetworkX, the other
analyses and their callers read as mappings. Both are exact enough for a pydantic
``TypeAdapter`` (and so an API response model) to describe and validate them.

:func:`to_json` (also every result's ``to_json()`` method) is the only path from a
result to plain JSON data. It keeps today's keys and nesting: one JSON object per
dataclass, its fields in order, a trailing underscore dropped from a field name
(``from_`` is ``"from"``); tuples become lists; mappings and ``TypedDict`` items are
copied with their keys.

Rounding
--------
The computations never round: scores, strengths, shares and curves are full floats.
:func:`to_json` rounds every float to ``ROUND_DIGITS`` (6) decimal places, except where
a field declares its own precision:

* the disruption curve (:class:`DisruptionStep` ``lcc_fraction``, ``fragmentation``,
  ``efficiency``) is output unrounded (``digits=None``), so it can be compared with a
  plain NetworkX computation exactly;
* the key-player curves (:class:`KppNegResult`, :class:`KppPosResult`: ``curve``,
  ``fragmentation``, ``reach``) keep 12 decimal places.

A field's precision applies to every float inside it (lists, mappings, evidence
items); a dataclass inside it uses its own fields' precision.

Rankings order by the value as output (:func:`rank_key`: the score, strength or
Jaccard to 6 places), then by id: two scores that print the same are tied, as the
documented tie rules say, whatever float noise the sums of their parts carry. The
key only orders; the value kept and output is the full float.

Examples
--------
>>> step = BridgeStep(from_="staff:S1", to="person:P1", strength=0.6 * 0.896240625, weight_of_evidence=0.77,
...                   declared=False, duty=False, evidence=())
>>> step.strength
0.5377443749999999
>>> to_json(step)
{'from': 'staff:S1', 'to': 'person:P1', 'strength': 0.537744, 'weight_of_evidence': 0.77, 'declared': False, 'duty': False, 'evidence': []}
>>> to_json([Component(value=1 / 3, weight=0.6)])
[{'value': 0.333333, 'weight': 0.6}]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal, NotRequired, Protocol, TypedDict

ROUND_DIGITS = 6
KPP_DIGITS = 12
EXACT: dict[str, Any] = {"digits": None}
"""Field metadata: output this field's floats unrounded."""
KPP: dict[str, Any] = {"digits": KPP_DIGITS}
"""Field metadata: output this field's floats to 12 decimal places."""

NodeId = Any
"""A node id: a string (``"staff:S1"``) in extracted graphs; any hashable in NetworkX."""


def _json_key(name: str) -> str:
    return name.removesuffix("_")


# ------------------------------------------------------------------------------ to_json
_PLANS: dict[type, tuple[tuple[str, str, int | None], ...]] = {}


def _plan(cls: type) -> tuple[tuple[str, str, int | None], ...]:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = tuple((f.name, _json_key(f.name), f.metadata.get("digits", ROUND_DIGITS)) for f in fields(cls))
        _PLANS[cls] = plan
    return plan


def to_json(value: Any, digits: int | None = ROUND_DIGITS) -> Any:
    """Plain JSON data of a result (or a list, mapping or value holding results).

    Parameters
    ----------
    value
        A result dataclass, an evidence item, or any list, tuple, mapping or scalar
        holding them.
    digits : int or None
        Decimal places for floats not inside a dataclass field that declares its
        own (``None``: unrounded).

    Returns
    -------
    Any
        Dicts, lists, strings, numbers, booleans and ``None`` (node ids as given).

    Examples
    --------
    >>> to_json({"a": (0.1234567, None), "b": [NewLink(src="x", dst="y", type="CALLED")]})
    {'a': [0.123457, None], 'b': [{'src': 'x', 'dst': 'y', 'type': 'CALLED'}]}
    >>> to_json(2 / 3, digits=None) == 2 / 3
    True
    """
    if isinstance(value, float):
        return value if digits is None else round(value, digits)
    if value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, (list, tuple)):
        return [to_json(v, digits) for v in value]
    if isinstance(value, Mapping):
        return {k: to_json(v, digits) for k, v in value.items()}
    if hasattr(type(value), "__dataclass_fields__"):
        return {key: to_json(getattr(value, name), d) for name, key, d in _plan(type(value))}
    if isinstance(value, (set, frozenset)):
        return [to_json(v, digits) for v in sorted(value, key=str)]
    return value


def json_keys(cls: type) -> list[str]:
    """The JSON keys of a result type, in order (its fields, ``from_`` as ``from``).

    Examples
    --------
    >>> json_keys(LinkStep)
    ['from', 'to', 'links']
    """
    return [key for _name, key, _digits in _plan(cls)]


def rank_key(value: float) -> float:
    """The ordering key of a score: the value as output (``ROUND_DIGITS`` places).

    Mathematically equal scores summed from different parts can differ in the last
    bits; ordered by this key they tie (and the tie rule, usually the id, decides).

    Examples
    --------
    >>> 0.1 + 0.2 == 0.3, rank_key(0.1 + 0.2) == rank_key(0.3)
    (False, True)
    """
    return round(value, ROUND_DIGITS)


class Result:
    """Base of every result dataclass: the ``to_json()`` method.

    ``__pydantic_config__`` tells pydantic (``TypeAdapter(BridgeResult)``) to read
    and write the JSON keys :func:`to_json` writes (``from`` for ``from_``).
    """

    __slots__ = ()
    __pydantic_config__: ClassVar[dict[str, Any]] = {"alias_generator": _json_key}

    def to_json(self) -> dict[str, Any]:
        """This result as plain JSON data (see :func:`to_json`)."""
        data: dict[str, Any] = to_json(self)
        return data


class Ranked(Protocol):
    """A ranked result (bridges, hubs, cohort): an ``id``, a ``rank`` and a ``score``."""

    @property
    def id(self) -> NodeId: ...

    @property
    def rank(self) -> int: ...

    @property
    def score(self) -> float: ...


# ------------------------------------------------------------------------------ evidence items
class LinkRef(TypedDict):
    """A stored link a result rests on.

    ``src`` and ``dst`` are the stored endpoints (before identities are merged),
    ``type`` the link type, ``grading`` the 3x5x2 code as shown (``"1A P"``).
    """

    src: NodeId
    dst: NodeId
    type: str | None
    grading: str


class _EvidenceBase(TypedDict):
    type: str | None
    via: list[NodeId]
    links: list[LinkRef]
    grading: str
    strength: float
    declared: NotRequired[bool]
    # Set by the bridges on the copies they cite (graph_service.analytics.evidence_model):
    # the item's log-likelihood ratio and whether the role explains it (a duty contact).
    llr: NotRequired[float]
    duty: NotRequired[bool]


class CallEvidence(_EvidenceBase):
    """A call between a number of each person (or a PIN call from a prisoner).

    Keys: ``kind`` ``"call"``, ``type`` ``"CALLED"``, ``via`` (the numbers),
    ``links`` (attributions and the call), ``grading``, ``count``, ``first``,
    ``last``, ``strength`` (in (0, 1]), then the facts the evidence model weighs:
    ``night_count`` (calls started 00:00-05:59; 0 when the link predates the count),
    ``total_seconds``, ``sources`` (``cdr``, ``pin``, ``handset_download``),
    ``attribution`` (the attribution sources of the numbers' users involved) and
    ``degrees`` (contact degree of each number in ``via``); between declared relatives
    only, ``declared`` (true). In a bridge's steps also ``llr`` (and ``duty``).
    """

    kind: Literal["call"]
    count: Any
    first: Any
    last: Any
    night_count: NotRequired[int]
    total_seconds: NotRequired[Any]
    sources: NotRequired[list[str]]
    attribution: NotRequired[list[str]]
    degrees: NotRequired[list[int]]


class PinListEvidence(_EvidenceBase):
    """A prisoner's PIN list holds a number the other person uses.

    Keys: ``kind`` ``"pin_list"``, ``type``, ``via`` (the number), ``links``,
    ``grading``, ``strength``, ``degrees`` (the number's contact degree) (and
    ``declared``; ``llr``, ``duty`` in a bridge's steps).
    """

    kind: Literal["pin_list"]
    degrees: NotRequired[list[int]]


class SharedEvidence(_EvidenceBase):
    """Both people use the same number (``shared_phone``) or live at one postcode.

    Keys: ``kind`` (``"shared_phone"`` or ``"postcode"``), ``type``, ``via`` (the
    number or postcode), ``links``, ``grading``, ``strength``, ``members`` (people who
    share it: the specificity) and ``same_surname`` (and ``declared``; ``llr`` in a
    bridge's steps).
    """

    kind: Literal["shared_phone", "postcode"]
    members: NotRequired[int]
    same_surname: NotRequired[bool]


class VisitEvidence(_EvidenceBase):
    """A social visit.

    Keys: ``kind`` ``"visit"``, ``type``, ``via`` (empty), ``links``, ``grading``,
    ``count``, ``relationship``, ``first``, ``last``, ``strength`` (and ``declared``).
    """

    kind: Literal["visit"]
    count: Any
    relationship: Any
    first: Any
    last: Any


class IntelligenceEvidence(_EvidenceBase):
    """An intelligence link (``ASSOCIATE_OF``, ``CORRUPT_APPROACH``...).

    Keys: ``kind`` ``"intelligence"``, ``type``, ``via`` (numbers it was recorded
    against), ``links``, ``grading``, ``date``, ``strength``, ``declared`` (between
    declared relatives) and ``ocg`` (only on a person's intelligence links to an OCG,
    the person graph's ``ocg_intel``).
    """

    kind: Literal["intelligence"]
    date: Any
    ocg: NotRequired[NodeId]


class IdentityEvidence(_EvidenceBase):
    """An undecided identity candidate (``POSSIBLY_SAME_AS``): evidence, never a merge.

    Keys: ``kind`` ``"identity"``, ``type`` ``"POSSIBLY_SAME_AS"``, ``via`` (empty),
    ``links``, ``grading``, ``score`` (the resolver's, 0-1), ``reasons`` (what agreed),
    ``strength`` (and ``llr`` in a bridge's steps). The person graph keeps them on the
    nodes (``identity_candidates`` {other id: item}), not as person links.
    """

    kind: Literal["identity"]
    score: Any
    reasons: list[str]


EvidenceItem = CallEvidence | PinListEvidence | SharedEvidence | VisitEvidence | IntelligenceEvidence | IdentityEvidence
"""One evidence item of a person link (discriminated by ``kind``)."""


class Membership(TypedDict):
    """An OCG membership (person graph ``ocgs`` {ocg id: membership}).

    Keys: ``role``, ``grading``, ``strength`` (the grading factor), ``link`` (the
    stored ``MEMBER_OF``) and ``since``.
    """

    role: Any
    grading: str
    strength: float
    link: LinkRef
    since: Any


class PersonLinkEvidence(TypedDict):
    """A hub's outside contact known only through the person graph: its strongest item."""

    person_link: EvidenceItem


Channel = LinkRef | tuple[LinkRef, LinkRef] | PersonLinkEvidence
"""How a hub reaches a contact: one stored link, a call to a number and its
attribution to the contact (``[call, use]`` in JSON), or a person link."""


# ------------------------------------------------------------------------------ score parts
@dataclass(frozen=True, slots=True, kw_only=True)
class Component(Result):
    """One part of a score.

    Attributes
    ----------
    value : float
        The part, in [0, 1] (a bridge's ``paths`` and ``colleagues``: a log-likelihood
        ratio, 0 or more).
    weight : float
        Its weight in the score (for bridges, in log-ratio units: ``weight x value``
        adds to the weight of evidence).
    """

    value: float
    weight: float


class _Parts:
    __slots__ = ()

    def items(self) -> Iterator[tuple[str, Component]]:
        """``(name, component)`` pairs in the documented order."""
        for name, _key, _digits in _plan(type(self)):
            yield name, getattr(self, name)


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeComponents(_Parts, Result):
    """The parts of a bridge's weight of evidence (see :mod:`~graph_service.analytics.bridges`).

    ``weight_of_evidence`` is the sum of ``weight x value`` over the parts.

    Attributes
    ----------
    paths : Component
        Value: the summed log-likelihood ratios of the strongest independent lines of
        evidence to OCGs (weight 1).
    colleagues : Component
        Value: the lines through suspected colleagues (weight 1).
    betweenness : Component
        Value in [0, 1]: custody-community betweenness as a share of the largest among
        staff; weight in log-ratio units (``EvidenceModel.betweenness``).
    cut : Component
        Value in [0, 1]: the OCG members cut off from prisoners, log-scaled; weight
        ``EvidenceModel.cut``.
    brokerage : Component
        Value in [0, 1]: ``x / (1 + x)`` of the OCG brokerage pairs; weight
        ``EvidenceModel.brokerage``.
    """

    paths: Component
    colleagues: Component
    betweenness: Component
    cut: Component
    brokerage: Component


@dataclass(frozen=True, slots=True, kw_only=True)
class HubComponents(_Parts, Result):
    """The four parts of a hub score (see :mod:`~graph_service.analytics.hubs`).

    Attributes
    ----------
    prisoners, establishments, ocg_reach, exclusivity : Component
        Value and weight (0.35, 0.2, 0.3, 0.15) of each part.
    """

    prisoners: Component
    establishments: Component
    ocg_reach: Component
    exclusivity: Component


@dataclass(frozen=True, slots=True, kw_only=True)
class CohortComponent(Result):
    """One part of a cohort score.

    Attributes
    ----------
    value : float
        The part, in [0, 1].
    weight : float
        Its weight (``settings.cohort_weights``).
    raw : float
        The measure before saturation (weighted degree, summed intelligence
        grading); the value itself for ``ocg_band`` and ``recency``.
    """

    value: float
    weight: float
    raw: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CohortComponents(_Parts, Result):
    """The four parts of a cohort score (see :mod:`~graph_service.analytics.cohort`).

    Attributes
    ----------
    network, ocg_band, intelligence, recency : CohortComponent
    """

    network: CohortComponent
    ocg_band: CohortComponent
    intelligence: CohortComponent
    recency: CohortComponent


# ------------------------------------------------------------------------------ bridges
@dataclass(frozen=True, slots=True, kw_only=True)
class BrokerageRoles(Result):
    """Gould-Fernandez role counts of one broker (see :mod:`~graph_service.analytics.brokerage`).

    Attributes
    ----------
    coordinator, itinerant, representative, gatekeeper, liaison : int
        Two-step paths through the broker, by role.
    ocg_pairs : int
        Unordered unlinked neighbour pairs with exactly one side in the ``ocg`` group.
    """

    coordinator: int
    itinerant: int
    representative: int
    gatekeeper: int
    liaison: int
    ocg_pairs: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CutPart(Result):
    """Whether removing a member of staff cuts OCG members off from prisoners.

    Computed on the structural graph (no declared, duty or colleague links, no link
    weaker than ``EvidenceModel.structure_min``).

    Attributes
    ----------
    value : float
        ``min(1, log2(1 + n) / log2(1 + EvidenceModel.cut_full))`` for ``n``
        separated OCG members; 0.0 when the removal separates none.
    pieces : int
        Pieces the staff member's component falls into without them.
    separated_ocg_members : int
        OCG members (not in custody) left in pieces with no prisoner, while another
        piece holds prisoners: cut off from the custody they were joined to.
    closes_custody_ocg : bool
        Whether any OCG member is so separated (``value > 0``).
    """

    value: float
    pieces: int
    separated_ocg_members: int
    closes_custody_ocg: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeStep(Result):
    """One person-to-person step of a bridge path (JSON keys ``from``, ``to``...).

    Attributes
    ----------
    from_, to : NodeId
        The two people (``from_`` is ``"from"`` in JSON).
    strength : float
        The step as a probability, ``1 - exp(-weight_of_evidence)``.
    weight_of_evidence : float
        The step's log-likelihood ratio: its items' summed, discounted when declared
        or duty, scaled by the specificity of an intermediary it leaves.
    declared : bool
        Whether the two are declared relatives.
    duty : bool
        Whether the staff member's role explains the contact (a duty contact).
    evidence : tuple of EvidenceItem
        The link's evidence items, each with its ``llr``, strongest first.
    """

    from_: NodeId
    to: NodeId
    strength: float
    weight_of_evidence: float
    declared: bool
    duty: bool
    evidence: tuple[EvidenceItem, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgePath(Result):
    """The strongest evidence path from a member of staff to one OCG.

    Attributes
    ----------
    One line of evidence (see :mod:`~graph_service.analytics.evidence_model`).

    Attributes
    ----------
    ocg : NodeId
        The OCG.
    target : NodeId
        The OCG member reached (the OCG itself for direct intelligence or own
        membership; the colleague for a colleague line).
    strength : float
        The line as a probability: product of the steps' probabilities and the
        membership's (``1 - exp(-weight_of_evidence)``).
    weight_of_evidence : float
        The line's log-likelihood ratio (times ``EvidenceModel.declared`` when
        explained by a declared relationship).
    line : {"contact", "intelligence", "identity", "colleague", "membership"}
        What the line rests on: person links, a direct intelligence link to the OCG,
        an undecided identity candidate first, a suspected colleague, or the staff
        member's own membership.
    hops : int
        Person steps (0: the member of staff is a member).
    nodes : tuple of NodeId
        The path, member of staff first.
    explained_by_declared_relationship : bool
        Whether it reaches or passes through a declared relative.
    steps : tuple of BridgeStep
        One per hop, with the evidence.
    membership : Membership or None
        The target's membership of the OCG (``None`` for direct intelligence).
    reason : str
        The line in one sentence: its strongest facts with their grading.
    """

    ocg: NodeId
    target: NodeId
    strength: float
    weight_of_evidence: float
    line: Literal["contact", "intelligence", "identity", "colleague", "membership"]
    hops: int
    nodes: tuple[NodeId, ...]
    explained_by_declared_relationship: bool
    steps: tuple[BridgeStep, ...]
    membership: Membership | None
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeResult(Result):
    """One member of staff ranked by :func:`~graph_service.analytics.bridges.corruption_bridges`.

    Attributes
    ----------
    id, name, role : NodeId, str or None, str or None
        The member of staff.
    establishments : tuple of NodeId
        Their establishments (posts).
    merged_ids : tuple of NodeId
        Every stored record they stand for.
    score : float
        ``1 - exp(-weight_of_evidence)``, in [0, 1).
    weight_of_evidence : float
        The summed log-likelihood ratio (natural log) of the parts: what the ranking
        orders by.
    reasons : tuple of str
        Why they are ranked: the strongest lines (at most three), each its facts with
        their grading, in one line each.
    components : BridgeComponents
        Each part's value and weight.
    ocgs : tuple of NodeId
        OCGs reached, strongest line first.
    paths : tuple of BridgePath
        The lines of evidence, strongest first.
    brokerage : BrokerageRoles
        Role counts on the structural graph.
    betweenness_raw : float
        Custody-community betweenness before scaling.
    cut : CutPart
        The cut-point part.
    rank : int
        1 for the largest weight of evidence.
    """

    id: NodeId
    name: str | None
    role: str | None
    establishments: tuple[NodeId, ...]
    merged_ids: tuple[NodeId, ...]
    score: float
    weight_of_evidence: float
    reasons: tuple[str, ...]
    components: BridgeComponents
    ocgs: tuple[NodeId, ...]
    paths: tuple[BridgePath, ...]
    brokerage: BrokerageRoles
    betweenness_raw: float
    cut: CutPart
    rank: int


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeSummary(Result):
    """How many staff the evidence touches and how many are ranked.

    Attributes
    ----------
    staff : int
        Staff in the scoped graph.
    staff_with_evidence : int
        Staff with any line of evidence to an OCG (a weight of evidence above 0).
    staff_ranked : int
        Staff at or above ``min_weight`` (all of them, whatever ``top`` returned).
    min_weight : float
        The minimum weight of evidence to be ranked (``EvidenceModel.min_weight``).
    """

    staff: int
    staff_with_evidence: int
    staff_ranked: int
    min_weight: float


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeRanking(Result):
    """:func:`~graph_service.analytics.bridges.bridge_ranking`: the summary and the ranked staff.

    Attributes
    ----------
    summary : BridgeSummary
    results : tuple of BridgeResult
        Ranked staff, largest weight of evidence first (``top`` of them when given).
    """

    summary: BridgeSummary
    results: tuple[BridgeResult, ...]


# ------------------------------------------------------------------------------ hubs
@dataclass(frozen=True, slots=True, kw_only=True)
class HubEvidence(Result):
    """The channels behind a hub.

    Attributes
    ----------
    prisoners : dict of NodeId to tuple of Channel
        Per prisoner in contact, the stored links joining them to the hub.
    ocg_members : dict of NodeId to tuple of Channel
        Per OCG member on the outside side, how the hub reaches them.
    """

    prisoners: dict[NodeId, tuple[Channel, ...]]
    ocg_members: dict[NodeId, tuple[Channel, ...]]


@dataclass(frozen=True, slots=True, kw_only=True)
class HubResult(Result):
    """One number or person ranked by :func:`~graph_service.analytics.hubs.custody_hubs`.

    Attributes
    ----------
    id : NodeId
    kind : {"phone", "person"}
    name : str or None
    users : tuple of NodeId
        People attributed the number (empty for a person).
    prisoners : tuple of NodeId
        Prisoners in contact.
    establishments : tuple of NodeId
        Their establishments.
    ocg_members : tuple of NodeId
        OCG members on the outside side.
    ocgs : tuple of NodeId
        Their OCGs (and the hub's own).
    community_contacts : int
        Contacts on the outside side.
    evidence : HubEvidence
    score : float
    components : HubComponents
    rank : int
    """

    id: NodeId
    kind: Literal["phone", "person"]
    name: str | None
    users: tuple[NodeId, ...]
    prisoners: tuple[NodeId, ...]
    establishments: tuple[NodeId, ...]
    ocg_members: tuple[NodeId, ...]
    ocgs: tuple[NodeId, ...]
    community_contacts: int
    evidence: HubEvidence
    score: float
    components: HubComponents
    rank: int


# ------------------------------------------------------------------------------ communities
@dataclass(frozen=True, slots=True, kw_only=True)
class OcgOverlap(Result):
    """How much of one OCG a community holds.

    Attributes
    ----------
    ocg : NodeId
    members_inside : int
        OCG members in the community.
    jaccard : float
        ``|community & OCG| / |community | OCG|``.
    share_of_ocg : float
        Share of the OCG's members in the community.
    """

    ocg: NodeId
    members_inside: int
    jaccard: float
    share_of_ocg: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Community(Result):
    """One Louvain community.

    Attributes
    ----------
    community : int
        Its number (1 for the largest).
    size : int
    members : tuple of NodeId
        Sorted by id.
    ocg_overlap : tuple of OcgOverlap
        Best Jaccard first.
    best_ocg : NodeId or None
    best_jaccard : float
    intelligence_links : int or None
        Intelligence-evidence links among the members (counted only for
        unexplained communities of ``min_size`` or more).
    new_group : bool
        A group the intelligence sees that no OCG explains.
    """

    community: int
    size: int
    members: tuple[NodeId, ...]
    ocg_overlap: tuple[OcgOverlap, ...]
    best_ocg: NodeId | None
    best_jaccard: float
    intelligence_links: int | None
    new_group: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class CommunitiesResult(Result):
    """What :func:`~graph_service.analytics.communities.communities` found.

    Attributes
    ----------
    seed : int
    resolution : float
    count : int
        Communities found.
    modularity : float
    communities : tuple of Community
        Largest first.
    new_groups : tuple of int
        Numbers of the communities flagged ``new_group``.
    """

    seed: int
    resolution: float
    count: int
    modularity: float
    communities: tuple[Community, ...]
    new_groups: tuple[int, ...]


# ------------------------------------------------------------------------------ cohort
@dataclass(frozen=True, slots=True, kw_only=True)
class CohortMembership(Result):
    """The membership behind a cohort ``ocg_band``.

    Attributes
    ----------
    ocg : NodeId
    band : str or None
        The OCG's band (``"1A"``...).
    role : str or None
    grading : str or None
    """

    ocg: NodeId
    band: str | None
    role: str | None
    grading: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CohortResult(Result):
    """One person ranked by :func:`~graph_service.analytics.cohort.cohort_priority`.

    Attributes
    ----------
    id, name, kind : NodeId, str or None, str or None
    ocg : CohortMembership or None
        The best membership.
    last_activity : str or None
        Latest dated link (YYYY-MM-DD).
    days_since : int or None
        Days from it to the reference date.
    score : float
    components : CohortComponents
    reference_date : str or None
    rank : int
    """

    id: NodeId
    name: str | None
    kind: str | None
    ocg: CohortMembership | None
    last_activity: str | None
    days_since: int | None
    score: float
    components: CohortComponents
    reference_date: str | None
    rank: int


# ------------------------------------------------------------------------------ paths
@dataclass(frozen=True, slots=True, kw_only=True)
class LinkStep(Result):
    """One step of a path (or one link of an ego network): the stored links joining two entities.

    Attributes
    ----------
    from_, to : NodeId
        ``"from"`` and ``"to"`` in JSON.
    links : tuple of LinkRef
    """

    from_: NodeId
    to: NodeId
    links: tuple[LinkRef, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkPath(Result):
    """One shortest path.

    Attributes
    ----------
    nodes : tuple of NodeId
    hops : int
    steps : tuple of LinkStep
    """

    nodes: tuple[NodeId, ...]
    hops: int
    steps: tuple[LinkStep, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ShortestPathsResult(Result):
    """What :func:`~graph_service.analytics.paths.shortest_paths` found.

    Attributes
    ----------
    source, target : NodeId
    hops : int
    count : int
        Paths returned.
    truncated : bool
        Whether more than ``max_paths`` exist.
    paths : tuple of LinkPath
        Sorted by their node ids.
    """

    source: NodeId
    target: NodeId
    hops: int
    count: int
    truncated: bool
    paths: tuple[LinkPath, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class EgoNode(Result):
    """A node of an ego network.

    Attributes
    ----------
    id : NodeId
    labels : list of str
    name : str or None
    """

    id: NodeId
    labels: list[str]
    name: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class EgoCut(Result):
    """Whether and where an ego network was cut at ``max_nodes``.

    Attributes
    ----------
    capped : bool
    at_hop : int or None
    omitted : int
        Nodes of the cut ring left out.
    max_nodes : int
    """

    capped: bool
    at_hop: int | None
    omitted: int
    max_nodes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EgoNetworkResult(Result):
    """What :func:`~graph_service.analytics.paths.ego_network` returns.

    Attributes
    ----------
    center : NodeId
    hops : int
    nodes : tuple of NodeId
        Center first, ring by ring.
    node_details : tuple of EgoNode
    links : tuple of LinkStep
        Sorted by ids.
    cut : EgoCut
    """

    center: NodeId
    hops: int
    nodes: tuple[NodeId, ...]
    node_details: tuple[EgoNode, ...]
    links: tuple[LinkStep, ...]
    cut: EgoCut


# ------------------------------------------------------------------------------ changes
@dataclass(frozen=True, slots=True, kw_only=True)
class NewLink(Result):
    """A stored link that is new between two dates.

    Attributes
    ----------
    src, dst : NodeId
        Stored endpoints.
    type : str or None
    """

    src: NodeId
    dst: NodeId
    type: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class NewLinks(Result):
    """Links present at the later date only.

    Attributes
    ----------
    count : int
    by_type : dict of str to int
        Sorted by type.
    links : tuple of NewLink
        The first ``limit``.
    truncated : bool
    """

    count: int
    by_type: dict[str, int]
    links: tuple[NewLink, ...]
    truncated: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class NewMember(Result):
    """A ``MEMBER_OF`` link present at the later date only.

    Attributes
    ----------
    id, ocg : NodeId
    role, since : str or None
    """

    id: NodeId
    ocg: NodeId
    role: str | None
    since: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Mover(Result):
    """A rank change between two rankings.

    Attributes
    ----------
    id : NodeId
    rank_before, rank_after : int or None
        ``None`` where unranked.
    score_before, score_after : float or None
    delta : int
        ``rank_before - rank_after`` (unranked counts as one past the last).
    """

    id: NodeId
    rank_before: int | None
    rank_after: int | None
    score_before: float | None
    score_after: float | None
    delta: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangesResult(Result):
    """What :func:`~graph_service.analytics.changes.changes_between` found.

    Attributes
    ----------
    since, until : str
    new_links : NewLinks
    new_ocg_members : tuple of NewMember
    movers : dict of str to tuple of Mover
        Per ranking (``bridges``, ``hubs``, ``cohort``).
    """

    since: str
    until: str
    new_links: NewLinks
    new_ocg_members: tuple[NewMember, ...]
    movers: dict[str, tuple[Mover, ...]]


# ------------------------------------------------------------------------------ disruption
@dataclass(frozen=True, slots=True, kw_only=True)
class DisruptionStep(Result):
    """The network after one removal step (step 0: before any removal).

    Attributes
    ----------
    step, removed_total : int
    removed : tuple of NodeId
        Removed at this step.
    nodes : int
        Nodes left.
    lcc : int
        Largest connected component.
    lcc_fraction, fragmentation, efficiency : float
        Output unrounded.
    """

    step: int
    removed: tuple[NodeId, ...]
    removed_total: int
    nodes: int
    lcc: int
    lcc_fraction: float = field(metadata=EXACT)
    fragmentation: float = field(metadata=EXACT)
    efficiency: float = field(metadata=EXACT)


@dataclass(frozen=True, slots=True, kw_only=True)
class DisruptionResult(Result):
    """What :func:`~graph_service.analytics.disruption.simulate` did.

    Attributes
    ----------
    strategy, mode : str
        ``"given"`` for both when the removals were given.
    removed : tuple of NodeId
        All, in order.
    curve : tuple of DisruptionStep
    nodes_before, lcc_before : int
    """

    strategy: str
    mode: str
    removed: tuple[NodeId, ...]
    curve: tuple[DisruptionStep, ...]
    nodes_before: int
    lcc_before: int


@dataclass(frozen=True, slots=True, kw_only=True)
class KppNegResult(Result):
    """Greedy KPP-Neg set (:func:`~graph_service.analytics.keyplayers.kpp_neg`).

    Attributes
    ----------
    nodes : tuple of NodeId
        In the order picked.
    curve : tuple of float
        Fragmentation after removing each prefix (12 decimals in JSON).
    fragmentation : float
        The last value (12 decimals in JSON).
    candidates : int or None
    """

    nodes: tuple[NodeId, ...]
    curve: tuple[float, ...] = field(metadata=KPP)
    fragmentation: float = field(metadata=KPP)
    candidates: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class KppPosResult(Result):
    """Greedy KPP-Pos set (:func:`~graph_service.analytics.keyplayers.kpp_pos`).

    Attributes
    ----------
    nodes : tuple of NodeId
    curve : tuple of float
        Reach of each prefix (12 decimals in JSON).
    reach : float
    max_hops : int
    candidates : int or None
    """

    nodes: tuple[NodeId, ...]
    curve: tuple[float, ...] = field(metadata=KPP)
    reach: float = field(metadata=KPP)
    max_hops: int
    candidates: int | None


# ------------------------------------------------------------------------------ centrality, stats
@dataclass(frozen=True, slots=True, kw_only=True)
class BetweennessResult(Result):
    """Betweenness of every node (:func:`~graph_service.analytics.centrality.betweenness`).

    Attributes
    ----------
    values : dict of NodeId to float
    method : {"exact", "sampled"}
    samples : int or None
        Sources used (``None`` when exact).
    seed : int or None
    kernel : str
        The kernels that computed it (``igraph``, ``networkx``, ``gds``).
    """

    values: dict[NodeId, float]
    method: Literal["exact", "sampled"]
    samples: int | None
    seed: int | None
    kernel: str = "networkx"


@dataclass(frozen=True, slots=True, kw_only=True)
class SubsetBetweennessResult(Result):
    """Source-to-target betweenness (:func:`~graph_service.analytics.centrality.subset_betweenness`).

    Attributes
    ----------
    values : dict of NodeId to float
        Pairs counted once.
    method : {"exact", "sampled"}
    sources, sources_used, targets : int
    seed : int or None
    kernel : str
        The kernels that computed it.
    """

    values: dict[NodeId, float]
    method: Literal["exact", "sampled"]
    sources: int
    sources_used: int
    targets: int
    seed: int | None
    kernel: str = "networkx"


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkStats(Result):
    """Size, density, components and clustering (:func:`~graph_service.analytics.stats.graph_stats`).

    Attributes
    ----------
    nodes, links, pairs : int
    density : float
    components, largest_component, isolates : int
    average_clustering : float
    """

    nodes: int
    links: int
    pairs: int
    density: float
    components: int
    largest_component: int
    isolates: int
    average_clustering: float


__all__ = [
    "EXACT",
    "KPP",
    "KPP_DIGITS",
    "ROUND_DIGITS",
    "BetweennessResult",
    "BridgeComponents",
    "BridgePath",
    "BridgeRanking",
    "BridgeResult",
    "BridgeStep",
    "BridgeSummary",
    "BrokerageRoles",
    "CallEvidence",
    "ChangesResult",
    "Channel",
    "CohortComponent",
    "CohortComponents",
    "CohortMembership",
    "CohortResult",
    "CommunitiesResult",
    "Community",
    "Component",
    "CutPart",
    "DisruptionResult",
    "DisruptionStep",
    "EgoCut",
    "EgoNetworkResult",
    "EgoNode",
    "EvidenceItem",
    "HubComponents",
    "HubEvidence",
    "HubResult",
    "IdentityEvidence",
    "IntelligenceEvidence",
    "KppNegResult",
    "KppPosResult",
    "LinkPath",
    "LinkRef",
    "LinkStep",
    "Membership",
    "Mover",
    "NetworkStats",
    "NewLink",
    "NewLinks",
    "NewMember",
    "NodeId",
    "OcgOverlap",
    "PersonLinkEvidence",
    "PinListEvidence",
    "Ranked",
    "Result",
    "SharedEvidence",
    "ShortestPathsResult",
    "SubsetBetweennessResult",
    "VisitEvidence",
    "json_keys",
    "rank_key",
    "to_json",
]

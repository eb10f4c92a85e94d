"""The domain schema, declared once as data.

Every label, link type and key property the product knows lives here. Indexes,
constraints and the write Cypher used by the loaders are derived from this
declaration (see :mod:`graph_service.store.cypher_gen`), never written by hand per
type, and labels or link types are only ever taken from here, never from user text.

Node identity
-------------
Every node carries an ``id`` property that is unique across the whole graph, built
as ``<namespace>:<identifier>`` (``prisoner:A1234BC``, ``phone:+447700900123``,
``ocg:OCG-0001``, ``establishment:HMP-BXN``, ``postcode:SW1A 1AA``). Source
identifiers are only unique inside their namespace, so the namespace is part of
the id. The NetworkX graphs extracted from the store use this id as node key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from graph_service.grading import GRADING_PROPERTIES as GRADING_PROPERTIES
from graph_service.grading import HANDLING_CODES as HANDLING_CODES
from graph_service.grading import INTEL_EVALS as INTEL_EVALS
from graph_service.grading import OFFICIAL_GRADING as OFFICIAL_GRADING
from graph_service.grading import SOURCE_EVALS as SOURCE_EVALS

# Provenance carried by every node and every link.
PROVENANCE_PROPERTIES: tuple[str, ...] = (
    "source",
    "source_ref",
    "firstseen",
    "lastupdated",
    "load_run",
)

# Every link also carries the period it covers, as ISO date strings: ``valid_from``
# and ``valid_to`` (null while open). Time-window filters use these two only.
PERIOD_PROPERTIES: tuple[str, ...] = ("valid_from", "valid_to")

# UK 3x5x2 grading carried by every link: declared once in graph_service.grading and
# re-exported here (GRADING_PROPERTIES, SOURCE_EVALS, INTEL_EVALS, HANDLING_CODES,
# OFFICIAL_GRADING).


@dataclass(frozen=True)
class NodeType:
    """A node label and how its nodes are identified."""

    label: str
    namespace: str
    description: str
    key: str = "id"
    indexed: tuple[str, ...] = ()
    # Extra labels a node of this type may also carry (multi-label persons).
    role_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkKind:
    """What a link type means, declared once; the analyses read these flags.

    ``state``
        The link records a standing state (custody, a post, a membership): on a date
        ``as_of`` it holds only while its period is still open. Other links (contact,
        intelligence) stay evidence once they have happened.
    ``place``
        The link ties a person to a place that everyone held or working there shares
        (an establishment): following it reaches all of them, so maps and paths leave
        it out by default and the establishment scope rule reads it.
    ``evidence``
        The link is evidence that two people are connected (the person projection
        builds person-to-person links from it, directly or through a shared number
        or postcode).
    ``association``
        The link joins its two ends as contacts or associates (a call, a visit, a
        number's user, an intelligence association): custody-to-community hubs count
        these and skip every other link.
    """

    name: str
    meaning: str
    state: bool = False
    place: bool = False
    evidence: bool = False
    association: bool = False


CUSTODY = "custody"
DUTY = "duty"
CONTACT = "contact"
ATTRIBUTION = "attribution"
MEMBERSHIP = "membership"
RESIDENCE = "residence"
IDENTITY = "identity"
NETWORK = "network"
INTELLIGENCE = "intelligence"

LINK_KINDS: tuple[LinkKind, ...] = (
    LinkKind(CUSTODY, "A prisoner held at an establishment for a period.", state=True, place=True),
    LinkKind(
        DUTY,
        "A person's job (staff posted to a prison): not evidence of anything outside those duties.",
        state=True,
        place=True,
    ),
    LinkKind(CONTACT, "Recorded contact between two parties (calls, social visits).", evidence=True, association=True),
    LinkKind(ATTRIBUTION, "A number attributed to a person.", evidence=True, association=True),
    LinkKind(MEMBERSHIP, "Membership of an organised crime group, for a period.", state=True),
    LinkKind(RESIDENCE, "A recorded home address: evidence only when shared.", evidence=True),
    LinkKind(IDENTITY, "A candidate identity match: shown to analysts, never evidence, never merged."),
    LinkKind(NETWORK, "A link of a generic (research) network: analysed on its own, never evidence."),
    LinkKind(
        INTELLIGENCE,
        "An intelligence association from links.csv (graded, asserted, not an official record).",
        evidence=True,
        association=True,
    ),
)
LINK_KINDS_BY_NAME: dict[str, LinkKind] = {k.name: k for k in LINK_KINDS}


@dataclass(frozen=True)
class LinkType:
    """A relationship type, its endpoints, its meaning and how repeated writes merge.

    ``kind`` names the :class:`LinkKind` that says what the link means (custody,
    duty, contact, ...); ``state``, ``place``, ``evidence``, ``association``,
    ``duty`` and ``intelligence`` are read from it.

    ``key`` names the link properties that tell two links between the same pair of
    nodes apart (a custody period is keyed by its reception date, so a transfer back
    is a second link); an empty key means one link per ordered pair.
    """

    type: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    description: str
    kind: str
    key: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()
    # Aggregated links (calls, visits) count events per pair and keep the ids of the
    # events counted in ``EVENT_IDS`` so that no event is counted twice.
    aggregated: bool = False

    def __post_init__(self) -> None:
        if self.kind not in LINK_KINDS_BY_NAME:
            raise ValueError(f"link type {self.type}: unknown kind {self.kind!r}; known: {sorted(LINK_KINDS_BY_NAME)}")

    @property
    def meaning(self) -> LinkKind:
        return LINK_KINDS_BY_NAME[self.kind]

    @property
    def intelligence(self) -> bool:
        """Intelligence links come from links.csv; the others from system records."""
        return self.kind == INTELLIGENCE

    @property
    def duty(self) -> bool:
        """Duty links record a person's job; they are not evidence outside those duties."""
        return self.kind == DUTY

    @property
    def state(self) -> bool:
        return self.meaning.state

    @property
    def place(self) -> bool:
        return self.meaning.place

    @property
    def evidence(self) -> bool:
        return self.meaning.evidence

    @property
    def association(self) -> bool:
        return self.meaning.association


# The property of an aggregated link that lists the ids of the events it counts.
EVENT_IDS = "event_ids"
# Calls started 00:00-05:59 among those a CALLED link counts (unsocial hours; links
# written before the property existed read as 0).
NIGHT_COUNT = "night_count"

PERSON_ROLE_LABELS: tuple[str, ...] = ("Prisoner", "Visitor", "Staff", "Nominal")

# Source namespaces of people and the role label each one adds.
PERSON_NAMESPACES: dict[str, str] = {
    "prisoner": "Prisoner",
    "visitor": "Visitor",
    "staff": "Staff",
    "person": "Nominal",
}

NODE_TYPES: tuple[NodeType, ...] = (
    NodeType(
        "Person",
        "person",
        "A human being as recorded by one source; the namespace of the id says which "
        "(prisoner:, visitor:, staff:, person:). Role labels are added per source.",
        indexed=("canonical_id", "name_key", "pnc_id", "postcode"),
        role_labels=PERSON_ROLE_LABELS,
    ),
    NodeType("Phone", "phone", "A telephone number in E.164 form.", indexed=("number",)),
    NodeType("OCG", "ocg", "An organised crime group from OCG mapping.", indexed=("urn",)),
    NodeType("Establishment", "establishment", "A prison.", indexed=("code",)),
    NodeType("Postcode", "postcode", "A UK postcode (normalised, with a space).", indexed=()),
    NodeType(
        "Actor",
        "net",
        "A member of a generic network loaded with `marsoc load-network` (research data, "
        "other tools' exports); id is net:<network>:<label>.",
        indexed=("network",),
    ),
)

LINK_TYPES: tuple[LinkType, ...] = (
    LinkType(
        "HELD_AT",
        ("Person",),
        ("Establishment",),
        "A custody period of a prisoner at an establishment; a transfer is a new period.",
        CUSTODY,
        key=("from",),
        properties=("from", "to", "cell"),
    ),
    LinkType(
        "EMPLOYED_AT",
        ("Person",),
        ("Establishment",),
        "A post held by a member of staff at an establishment.",
        DUTY,
        key=("from", "role"),
        properties=("role", "from", "to"),
    ),
    LinkType(
        "VISITED",
        ("Person",),
        ("Person",),
        "Social visits by a visitor to a prisoner, aggregated per pair.",
        CONTACT,
        properties=("count", "first", "last", "establishments", "relationship", "event_ids"),
        aggregated=True,
    ),
    LinkType(
        "USES_PHONE",
        ("Person",),
        ("Phone",),
        "Attribution of a number to a person.",
        ATTRIBUTION,
        key=("attribution_source",),
        properties=("attribution_source", "first_seen", "last_seen"),
    ),
    LinkType(
        "CALLED",
        ("Phone", "Person"),
        ("Phone",),
        "Calls from a number (or from a prisoner's PIN account) to a number, aggregated "
        "per ordered pair: count, night_count (started 00:00-05:59), first, last, total_seconds, sources.",
        CONTACT,
        properties=("count", NIGHT_COUNT, "first", "last", "total_seconds", "sources", "event_ids"),
        aggregated=True,
    ),
    LinkType(
        "MEMBER_OF",
        ("Person",),
        ("OCG",),
        "Membership of an organised crime group.",
        MEMBERSHIP,
        properties=("role", "since"),
    ),
    LinkType(
        "LIVES_IN",
        ("Person",),
        ("Postcode",),
        "A person's recorded home postcode.",
        RESIDENCE,
    ),
    LinkType(
        "POSSIBLY_SAME_AS",
        ("Person",),
        ("Person",),
        "A candidate identity match found by the resolver; never merged automatically.",
        IDENTITY,
        properties=("score", "reasons", "decision", "decided_by", "decided_at"),
    ),
    LinkType(
        "CONNECTED_TO",
        ("Actor",),
        ("Actor",),
        "A link of a generic network, with its weight and network name.",
        NETWORK,
        key=("network",),
        properties=("weight", "network", "directed"),
    ),
)

# Named intelligence link types; links.csv may also carry any other UPPER_SNAKE name,
# which is accepted as an intelligence link type at load time (see is_intelligence_type).
# A new named intelligence type is one line here: it is declared like the others
# (kind INTELLIGENCE) and every derived set and helper below treats it as evidence.
INTELLIGENCE_LINK_TYPES: tuple[str, ...] = (
    "ASSOCIATE_OF",
    "FAMILY_OF",
    "SHARES_ADDRESS",
    "FINANCIAL",
    "CORRUPT_APPROACH",
)
INTELLIGENCE_ENDPOINT_LABELS: tuple[str, ...] = ("Person", "Phone", "OCG")


@lru_cache(maxsize=4096)  # links.csv repeats its few undeclared names row after row
def _intelligence_link(name: str) -> LinkType:
    return LinkType(
        name,
        INTELLIGENCE_ENDPOINT_LABELS,
        INTELLIGENCE_ENDPOINT_LABELS,
        "Intelligence association from links.csv.",
        INTELLIGENCE,
        key=("source_ref",),
        properties=("date",),
    )


LINK_TYPES += tuple(_intelligence_link(name) for name in INTELLIGENCE_LINK_TYPES)

NODE_TYPES_BY_LABEL: dict[str, NodeType] = {n.label: n for n in NODE_TYPES}
LINK_TYPES_BY_NAME: dict[str, LinkType] = {t.type: t for t in LINK_TYPES}


def link_types_where(**flags: bool) -> tuple[str, ...]:
    """Declared link types (in declaration order) whose flags have the given values.

    Flags are the :class:`LinkType` properties (``state``, ``place``, ``evidence``,
    ``association``, ``duty``, ``intelligence``, ``aggregated``). Undeclared
    UPPER_SNAKE names from links.csv are intelligence types: the helpers
    (:func:`is_intelligence_type`, :func:`is_evidence_type`) answer for them too.

    Examples
    --------
    >>> link_types_where(place=True)
    ('HELD_AT', 'EMPLOYED_AT')
    >>> link_types_where(aggregated=True)
    ('VISITED', 'CALLED')
    """
    return tuple(t.type for t in LINK_TYPES if all(getattr(t, f) == v for f, v in flags.items()))


def link_types_of_kind(*kinds: str) -> tuple[str, ...]:
    """Declared link types of the given kinds, in declaration order.

    Examples
    --------
    >>> link_types_of_kind(IDENTITY)
    ('POSSIBLY_SAME_AS',)
    """
    return tuple(t.type for t in LINK_TYPES if t.kind in kinds)


# Derived sets: what each analysis reads instead of spelling link types out.
# Links whose period must still be open on ``as_of`` (scoping's time rule).
STATE_LINK_TYPES: tuple[str, ...] = link_types_where(state=True)
# Links to a place that reach everyone there (scoping's establishment rule, the
# person projection's ``establishments``, maps' and paths' defaults).
PLACE_LINK_TYPES: tuple[str, ...] = link_types_where(place=True)
# Declared links that are evidence between people (the person projection), and those
# that never make a person-to-person link (custody, duty, membership, identity, network).
EVIDENCE_LINK_TYPES: tuple[str, ...] = link_types_where(evidence=True)
NON_EVIDENCE_LINK_TYPES: tuple[str, ...] = link_types_where(evidence=False)
# Declared links that join their ends as contacts or associates (what hubs count), and
# the others (what hubs skip).
ASSOCIATION_LINK_TYPES: tuple[str, ...] = link_types_where(association=True)
NON_ASSOCIATION_LINK_TYPES: tuple[str, ...] = link_types_where(association=False)
DUTY_LINK_TYPES: tuple[str, ...] = link_types_where(duty=True)
AGGREGATED_LINK_TYPES: tuple[str, ...] = link_types_where(aggregated=True)
IDENTITY_LINK_TYPES: tuple[str, ...] = link_types_of_kind(IDENTITY)
ALL_LABELS: tuple[str, ...] = tuple(n.label for n in NODE_TYPES) + PERSON_ROLE_LABELS
# The record of each load run (id, seq, rewrite): the store's version, not intelligence;
# never extracted for analysis nor counted (see GraphStore.record_run).
RUN_LABEL = "LoadRun"


class SchemaError(ValueError):
    """A label or link type that the schema does not declare."""


_UPPER_SNAKE = re.compile(r"[A-Z][A-Z0-9_]*")


def _is_upper_snake(name: str) -> bool:
    """ASCII only: ``str.isupper`` would also take ``É`` or ``²``, which no engine accepts
    unquoted in a link type."""
    return bool(_UPPER_SNAKE.fullmatch(name))


def node_type(label: str) -> NodeType:
    try:
        return NODE_TYPES_BY_LABEL[label]
    except KeyError:
        raise SchemaError(f"unknown node label {label!r}; known: {sorted(NODE_TYPES_BY_LABEL)}") from None


def link_type(name: str) -> LinkType:
    """The declared link type, or an intelligence type for another UPPER_SNAKE name."""
    if name in LINK_TYPES_BY_NAME:
        return LINK_TYPES_BY_NAME[name]
    if _is_upper_snake(name):
        return _intelligence_link(name)
    raise SchemaError(f"link type {name!r} is not declared and is not an UPPER_SNAKE name")


def link_key(name: str) -> tuple[str, ...]:
    """The properties that tell apart two links of type ``name`` between the same ends
    (its declared ``key``; an undeclared intelligence type's ``source_ref``); ``()``
    for a name that is no link type.

    Examples
    --------
    >>> link_key("HELD_AT"), link_key("CO_ACCUSED"), link_key("CALLED"), link_key("not a type")
    (('from',), ('source_ref',), (), ())
    """
    try:
        return link_type(name).key
    except SchemaError:
        return ()


def check_label(label: str) -> str:
    """Return ``label`` if the schema declares it (as a node or role label)."""
    if label not in ALL_LABELS:
        raise SchemaError(f"unknown label {label!r}; known: {sorted(ALL_LABELS)}")
    return label


def is_intelligence_type(name: str) -> bool:
    """Whether ``name`` is an intelligence link type (declared, or another UPPER_SNAKE name)."""
    try:
        return link_type(name).intelligence
    except SchemaError:
        return False


def is_evidence_type(name: str) -> bool:
    """Whether links of type ``name`` are evidence between people (see :class:`LinkKind`).

    Examples
    --------
    >>> is_evidence_type("CALLED"), is_evidence_type("HELD_AT"), is_evidence_type("NEW_INTEL")
    (True, False, True)
    """
    try:
        return link_type(name).evidence
    except SchemaError:
        return False


def node_id(namespace: str, identifier: str) -> str:
    """The graph-wide id of a node: ``namespace:identifier``."""
    return f"{namespace}:{identifier}"


def split_node_id(value: str) -> tuple[str, str]:
    namespace, _, identifier = value.partition(":")
    return namespace, identifier


# Indexed on every label and every declared link type: a delta read of the warm
# analysis graph finds what a load run wrote by it instead of scanning the store.
RUN_PROPERTY = "load_run"


def indexed_properties() -> Iterable[tuple[str, str]]:
    """(label, property) pairs that get an index: every key, declared extras, and the load run."""
    for node in NODE_TYPES:
        yield node.label, node.key
        for prop in node.indexed:
            yield node.label, prop
        yield node.label, RUN_PROPERTY


def indexed_link_properties() -> Iterable[tuple[str, str]]:
    """(link type, property) pairs that get an index: the load run of every declared type."""
    for link in LINK_TYPES:
        yield link.type, RUN_PROPERTY


def label_for_id(node_id: str) -> str | None:
    """The node label a graph-wide id's namespace implies (``prisoner:A1`` -> ``Person``),
    or None for a namespace the schema does not declare (no such node can exist)."""
    namespace, _, _ = node_id.partition(":")
    if namespace in PERSON_NAMESPACES:
        return "Person"
    for node in NODE_TYPES:
        if node.namespace == namespace:
            return node.label
    return None

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

from collections.abc import Iterable
from dataclasses import dataclass

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

# UK 3x5x2 grading carried by every link.
GRADING_PROPERTIES: tuple[str, ...] = (
    "source_eval",
    "intel_eval",
    "handling",
    "handling_conditions",
)
SOURCE_EVALS: tuple[str, ...] = ("1", "2", "3")
INTEL_EVALS: tuple[str, ...] = ("A", "B", "C", "D", "E")
HANDLING_CODES: tuple[str, ...] = ("P", "C")
# Official system records (custody, visits, HR) default to this grading.
OFFICIAL_GRADING: dict[str, str] = {"source_eval": "1", "intel_eval": "A", "handling": "P"}


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
class LinkType:
    """A relationship type, its endpoints and how repeated writes merge.

    ``key`` names the link properties that tell two links between the same pair of
    nodes apart (a custody period is keyed by its reception date, so a transfer back
    is a second link); an empty key means one link per ordered pair.
    """

    type: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    description: str
    key: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()
    # Intelligence links come from links.csv; official links from system records.
    intelligence: bool = False
    # Duty links record a person's job (a member of staff posted to a prison);
    # they are not evidence of anything outside those duties.
    duty: bool = False
    # Aggregated links (calls, visits) count events per pair and keep the ids of the
    # events counted in ``EVENT_IDS`` so that no event is counted twice.
    aggregated: bool = False


# The property of an aggregated link that lists the ids of the events it counts.
EVENT_IDS = "event_ids"

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
        indexed=("canonical_id", "name_key", "pnc_id"),
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
        key=("from",),
        properties=("from", "to", "cell"),
    ),
    LinkType(
        "EMPLOYED_AT",
        ("Person",),
        ("Establishment",),
        "A post held by a member of staff at an establishment.",
        key=("from", "role"),
        properties=("role", "from", "to"),
        duty=True,
    ),
    LinkType(
        "VISITED",
        ("Person",),
        ("Person",),
        "Social visits by a visitor to a prisoner, aggregated per pair.",
        properties=("count", "first", "last", "establishments", "relationship", "event_ids"),
        aggregated=True,
    ),
    LinkType(
        "USES_PHONE",
        ("Person",),
        ("Phone",),
        "Attribution of a number to a person.",
        key=("attribution_source",),
        properties=("attribution_source", "first_seen", "last_seen"),
    ),
    LinkType(
        "CALLED",
        ("Phone", "Person"),
        ("Phone",),
        "Calls from a number (or from a prisoner's PIN account) to a number, aggregated "
        "per ordered pair: count, first, last, total_seconds, sources.",
        properties=("count", "first", "last", "total_seconds", "sources", "event_ids"),
        aggregated=True,
    ),
    LinkType(
        "MEMBER_OF",
        ("Person",),
        ("OCG",),
        "Membership of an organised crime group.",
        properties=("role", "since"),
    ),
    LinkType(
        "LIVES_IN",
        ("Person",),
        ("Postcode",),
        "A person's recorded home postcode.",
    ),
    LinkType(
        "POSSIBLY_SAME_AS",
        ("Person",),
        ("Person",),
        "A candidate identity match found by the resolver; never merged automatically.",
        properties=("score", "reasons", "decision", "decided_by", "decided_at"),
    ),
    LinkType(
        "CONNECTED_TO",
        ("Actor",),
        ("Actor",),
        "A link of a generic network, with its weight and network name.",
        key=("network",),
        properties=("weight", "network", "directed"),
    ),
)

# Named intelligence link types; links.csv may also carry any other UPPER_SNAKE name,
# which is accepted as an intelligence link type at load time (see is_intelligence_type).
INTELLIGENCE_LINK_TYPES: tuple[str, ...] = (
    "ASSOCIATE_OF",
    "FAMILY_OF",
    "SHARES_ADDRESS",
    "FINANCIAL",
    "CORRUPT_APPROACH",
)
INTELLIGENCE_ENDPOINT_LABELS: tuple[str, ...] = ("Person", "Phone", "OCG")


def _intelligence_link(name: str) -> LinkType:
    return LinkType(
        name,
        INTELLIGENCE_ENDPOINT_LABELS,
        INTELLIGENCE_ENDPOINT_LABELS,
        "Intelligence association from links.csv.",
        key=("source_ref",),
        properties=("date",),
        intelligence=True,
    )


LINK_TYPES += tuple(_intelligence_link(name) for name in INTELLIGENCE_LINK_TYPES)

NODE_TYPES_BY_LABEL: dict[str, NodeType] = {n.label: n for n in NODE_TYPES}
LINK_TYPES_BY_NAME: dict[str, LinkType] = {t.type: t for t in LINK_TYPES}
ALL_LABELS: tuple[str, ...] = tuple(n.label for n in NODE_TYPES) + PERSON_ROLE_LABELS


class SchemaError(ValueError):
    """A label or link type that the schema does not declare."""


def _is_upper_snake(name: str) -> bool:
    return bool(name) and name[0].isalpha() and all(c.isupper() or c.isdigit() or c == "_" for c in name)


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


def check_label(label: str) -> str:
    """Return ``label`` if the schema declares it (as a node or role label)."""
    if label not in ALL_LABELS:
        raise SchemaError(f"unknown label {label!r}; known: {sorted(ALL_LABELS)}")
    return label


def is_intelligence_type(name: str) -> bool:
    try:
        return link_type(name).intelligence
    except SchemaError:
        return False


def node_id(namespace: str, identifier: str) -> str:
    """The graph-wide id of a node: ``namespace:identifier``."""
    return f"{namespace}:{identifier}"


def split_node_id(value: str) -> tuple[str, str]:
    namespace, _, identifier = value.partition(":")
    return namespace, identifier


def indexed_properties() -> Iterable[tuple[str, str]]:
    """(label, property) pairs that get an index: every key plus declared extras."""
    for node in NODE_TYPES:
        yield node.label, node.key
        for prop in node.indexed:
            yield node.label, prop

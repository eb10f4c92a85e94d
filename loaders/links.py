"""links.csv -> intelligence links (ASSOCIATE_OF, FAMILY_OF, ... any UPPER_SNAKE type).

Endpoints may be people of any namespace, phones (normalised, created on demand) or
OCGs. Each link is keyed by its ``source_ref`` (the row's own reference, or
``links.csv:<line>`` when it has none), so one report naming a pair twice is one link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graph_service.schema import SchemaError, link_type
from graph_service.store import GraphStore, LoadRun
from loaders import normalise as norm
from loaders.base import LoaderFunctions, unchanged
from loaders.cells import check_width, extras, grading, optional, parse, required, subject_ref
from loaders.context import LoaderContext
from loaders.contract import CONTRACTS_BY_NAME, LINK_SUBJECT_TYPES
from loaders.csvsource import SourceRow
from loaders.props import link_props
from loaders.rows import Key, Ref, RowError
from loaders.writers import restricted_numbers, upsert_phones

CONTRACT = CONTRACTS_BY_NAME["links.csv"]
LABELS = {"phone": "Phone", "ocg": "OCG"}


@dataclass(frozen=True)
class IntelLinkRow:
    line: int
    src: str
    src_ref: Ref
    dst: str
    dst_ref: Ref
    link_type: str
    date: str | None
    source_ref: str
    own_ref: bool
    grading: Mapping[str, str]
    extra: dict = field(default_factory=dict)

    def refs(self) -> list[Ref]:
        return [self.src_ref, self.dst_ref]

    def keys(self) -> list[Key]:
        values = {"date": self.date, **self.grading, **self.extra}
        if self.own_ref:
            return [Key("link", (self.source_ref, self.src, self.dst, self.link_type), values)]
        return [Key("link", (self.src, self.dst, self.link_type, tuple(sorted(values.items()))), {})]

    def defines(self) -> list[tuple[str, str]]:
        return []


def transform(row: SourceRow) -> IntelLinkRow:
    check_width(row)
    src, src_ref = subject_ref(row, "from_type", "from_id", LINK_SUBJECT_TYPES)
    dst, dst_ref = subject_ref(row, "to_type", "to_id", LINK_SUBJECT_TYPES)
    raw_type = required(row, "link_type")
    name = raw_type.strip()
    try:
        declared = link_type(name)
    except SchemaError:
        raise RowError("link_type", raw_type, f"link_type {raw_type!r} is not an UPPER_SNAKE name") from None
    if not declared.intelligence:
        raise RowError("link_type", raw_type, f"link_type {name} is not an intelligence link type")
    if src == dst:
        raise RowError("to_id", row.values.get("to_id", ""), "a link from a subject to itself")
    own = optional(row, "source_ref")
    return IntelLinkRow(
        line=row.line,
        src=src,
        src_ref=src_ref,
        dst=dst,
        dst_ref=dst_ref,
        link_type=declared.type,
        date=parse(row, "date", norm.iso_date),
        source_ref=own or f"{CONTRACT.name}:{row.line}",
        own_ref=own is not None,
        grading=grading(row, CONTRACT),
        extra=extras(row, CONTRACT),
    )


def _label(node_id: str) -> str:
    return LABELS.get(node_id.split(":", 1)[0], "Person")


def load(store: GraphStore, models: Sequence[IntelLinkRow], run: LoadRun, ctx: LoaderContext) -> None:
    uses = [(n.split(":", 1)[1], m.grading) for m in models for n in (m.src, m.dst) if n.startswith("phone:")]
    upsert_phones(store, [n for n, _ in uses], CONTRACT.name, run, ctx.written["Phone"], restricted_numbers(uses))
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for m in models:
        groups[(m.link_type, _label(m.src), _label(m.dst))].append(
            {
                "src": m.src,
                "dst": m.dst,
                "key": {"source_ref": m.source_ref},
                "props": link_props(
                    CONTRACT.name,
                    m.source_ref,
                    m.grading,
                    m.date,
                    None,
                    date=m.date,
                    **m.extra,
                ),
            }
        )
    for (type_name, from_label, to_label), rows in sorted(groups.items()):
        store.upsert_links(type_name, rows, run, from_label, to_label)


LOADER = LoaderFunctions(contract=CONTRACT, transform=transform, prepare=unchanged, load=load)

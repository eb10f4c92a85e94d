"""phones.csv -> Phone nodes (E.164) and USES_PHONE person -> phone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from graph_service.store import GraphStore, LoadRun
from loaders import normalise as norm
from loaders.base import LoaderFunctions
from loaders.cells import check_width, extras, grading, parse, subject_ref
from loaders.context import LoaderContext
from loaders.contract import ATTRIBUTION_SOURCES, CONTRACTS_BY_NAME, PERSON_SUBJECT_TYPES
from loaders.csvsource import SourceRow
from loaders.props import link_props
from loaders.rows import Key, Ref, RowError
from loaders.writers import restricted_numbers, upsert_phones

CONTRACT = CONTRACTS_BY_NAME["phones.csv"]


@dataclass(frozen=True)
class PhoneUseRow:
    line: int
    number: str
    subject: str
    subject_ref: Ref
    attribution_source: str
    first_seen: str | None
    last_seen: str | None
    grading: Mapping[str, str]
    extra: dict = field(default_factory=dict)

    def refs(self) -> list[Ref]:
        return [self.subject_ref]

    def keys(self) -> list[Key]:
        values = {"first_seen": self.first_seen, "last_seen": self.last_seen, **self.grading, **self.extra}
        return [Key("phone_use", (self.number, self.subject, self.attribution_source), values)]

    def defines(self) -> list[tuple[str, str]]:
        return [("Phone", f"phone:{self.number}")]


def transform(row: SourceRow) -> PhoneUseRow:
    check_width(row)
    number = parse(row, "phone_number", norm.phone, need=True)
    subject, ref = subject_ref(row, "subject_type", "subject_id", PERSON_SUBJECT_TYPES)
    first = parse(row, "first_seen", norm.iso_date)
    last = parse(row, "last_seen", norm.iso_date)
    if first and last and last < first:
        raise RowError("last_seen", last, f"last_seen {last} is before first_seen {first}")
    return PhoneUseRow(
        line=row.line,
        number=number,
        subject=subject,
        subject_ref=ref,
        attribution_source=parse(
            row,
            "attribution_source",
            lambda v: norm.choice(v, ATTRIBUTION_SOURCES, "attribution_source", lower=True),
            need=True,
        ),
        first_seen=first,
        last_seen=last,
        grading=grading(row, CONTRACT),
        extra=extras(row, CONTRACT),
    )


class PhoneWrites(NamedTuple):
    """A chunk of phone attributions made ready for the store."""

    numbers: list[str]
    links: list[dict]
    restricted: dict[str, list[str]]  # numbers named only by handling C rows: who may see them


def prepare(models: Sequence[PhoneUseRow]) -> PhoneWrites:
    """The numbers and USES_PHONE links of a chunk (pure; runs while the previous chunk is written)."""
    links = [
        {
            "src": m.subject,
            "dst": f"phone:{m.number}",
            "key": {"attribution_source": m.attribution_source},
            "props": link_props(
                CONTRACT.name,
                f"{CONTRACT.name}:{m.line}",
                m.grading,
                m.first_seen,
                m.last_seen,
                first_seen=m.first_seen,
                last_seen=m.last_seen,
                **m.extra,
            ),
        }
        for m in models
    ]
    restricted = restricted_numbers((m.number, m.grading) for m in models)
    return PhoneWrites([m.number for m in models], links, restricted)


def load(store: GraphStore, phones: PhoneWrites, run: LoadRun, ctx: LoaderContext) -> None:
    upsert_phones(store, phones.numbers, CONTRACT.name, run, ctx.written["Phone"], phones.restricted)
    store.upsert_links("USES_PHONE", phones.links, run, "Person", "Phone")


LOADER = LoaderFunctions(contract=CONTRACT, transform=transform, prepare=prepare, load=load)

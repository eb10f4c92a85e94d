"""visits.csv -> Person:Visitor nodes, VISITED visitor -> prisoner (aggregated), LIVES_IN."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from graph_service.store import GraphStore, LoadRun
from loaders import normalise as norm
from loaders.base import LoaderFunctions
from loaders.cells import check_width, establishment_ref, extras, grading, optional, parse, required
from loaders.context import LoaderContext
from loaders.contract import CONTRACTS_BY_NAME
from loaders.csvsource import SourceRow
from loaders.props import person_props
from loaders.rows import Key, Ref
from loaders.writers import merged_persons, upsert_postcodes, write_persons

CONTRACT = CONTRACTS_BY_NAME["visits.csv"]


@dataclass(frozen=True)
class VisitRow:
    line: int
    visit_id: str
    visit_date: str
    establishment_code: str
    prison_number: str
    visitor_ref: str
    visitor_surname: str
    visitor_forenames: str
    visitor_dob: str | None
    visitor_postcode: str | None
    relationship: str | None
    grading: Mapping[str, str]
    extra: dict = field(default_factory=dict)

    @property
    def visitor_id(self) -> str:
        return f"visitor:{self.visitor_ref}"

    @property
    def prisoner_id(self) -> str:
        return f"prisoner:{self.prison_number}"

    def refs(self) -> list[Ref]:
        return [
            Ref(
                "establishment_code",
                self.establishment_code,
                "Establishment",
                f"establishment:{self.establishment_code}",
            ),
            Ref("prison_number", self.prison_number, "Person", self.prisoner_id),
        ]

    def keys(self) -> list[Key]:
        visitor = {
            "visitor_surname": norm.fold(self.visitor_surname),
            "visitor_forenames": norm.fold(self.visitor_forenames),
            "visitor_dob": self.visitor_dob,
        }
        visit = {
            **visitor,
            "visit_date": self.visit_date,
            "establishment_code": self.establishment_code,
            "prison_number": self.prison_number,
            "visitor_ref": self.visitor_ref,
            "visitor_postcode": self.visitor_postcode,
            "relationship": self.relationship,
            **self.extra,
        }
        return [Key("visit", (self.visit_id,), visit), Key("visitor", (self.visitor_ref,), visitor)]

    def defines(self) -> list[tuple[str, str]]:
        return [("Person", self.visitor_id)]


def transform(row: SourceRow) -> VisitRow:
    check_width(row)
    establishment, _ = establishment_ref(row)
    relationship = optional(row, "relationship")
    return VisitRow(
        line=row.line,
        visit_id=required(row, "visit_id"),
        visit_date=parse(row, "visit_date", norm.iso_date, need=True),
        establishment_code=establishment,
        prison_number=required(row, "prison_number").upper(),
        visitor_ref=required(row, "visitor_ref"),
        visitor_surname=norm.display(required(row, "visitor_surname")),
        visitor_forenames=norm.display(required(row, "visitor_forenames")),
        visitor_dob=parse(row, "visitor_dob", norm.iso_date),
        visitor_postcode=parse(row, "visitor_postcode", norm.postcode),
        relationship=relationship.lower() if relationship else None,
        grading=grading(row, CONTRACT),
        extra=extras(row, CONTRACT),
    )


class VisitWrites(NamedTuple):
    """A chunk of visits made ready for the store."""

    people: list[dict]
    pairs: list[dict]
    postcodes: list[tuple[str, str, str]]


def prepare(models: Sequence[VisitRow]) -> VisitWrites:
    """Visitors merged per person, visits grouped per visitor and prisoner (pure; runs
    while the previous chunk is written)."""
    people = merged_persons(
        (
            m.visitor_id,
            person_props(
                "visitor",
                m.visitor_ref,
                m.visitor_surname,
                m.visitor_forenames,
                CONTRACT.name,
                f"{CONTRACT.name}:{m.line}",
                dob=m.visitor_dob,
                postcode=m.visitor_postcode,
            ),
        )
        for m in models
    )
    pairs: dict[tuple[str, str], dict] = {}
    for m in models:
        entry = pairs.get((m.visitor_id, m.prisoner_id))
        if entry is None:
            entry = pairs[(m.visitor_id, m.prisoner_id)] = {
                "src": m.visitor_id,
                "dst": m.prisoner_id,
                "props": {
                    "source": CONTRACT.name,
                    "source_ref": f"{CONTRACT.name}:{m.line}",
                    **m.grading,
                },
                "events": [],
            }
        if m.relationship:
            entry["props"]["relationship"] = m.relationship
        entry["events"].append(
            {"id": m.visit_id, "at": m.visit_date, "seconds": None, "source": None, "place": m.establishment_code}
        )
    postcodes = [(m.visitor_id, m.visitor_postcode, f"{CONTRACT.name}:{m.line}") for m in models if m.visitor_postcode]
    return VisitWrites(people, list(pairs.values()), postcodes)


def load(store: GraphStore, visits: VisitWrites, run: LoadRun, ctx: LoaderContext) -> None:
    write_persons(store, "visitor", visits.people, run)
    store.accumulate_links("VISITED", visits.pairs, run, "Person", "Person")
    upsert_postcodes(store, visits.postcodes, CONTRACT.name, run, ctx.written["Postcode"])


LOADER = LoaderFunctions(contract=CONTRACT, transform=transform, prepare=prepare, load=load)

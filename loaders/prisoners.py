"""prisoners.csv -> Person:Prisoner nodes and one HELD_AT link per custody period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graph_service.store import GraphStore, LoadRun
from loaders import normalise as norm
from loaders.base import LoaderFunctions, unchanged
from loaders.cells import check_width, date_period, establishment_ref, extras, grading, optional, parse, required
from loaders.context import LoaderContext
from loaders.contract import CONTRACTS_BY_NAME
from loaders.csvsource import SourceRow
from loaders.props import link_props, person_props
from loaders.rows import Key, Ref
from loaders.writers import refresh_prisoners, upsert_persons

CONTRACT = CONTRACTS_BY_NAME["prisoners.csv"]


@dataclass(frozen=True)
class CustodyRow:
    line: int
    prison_number: str
    surname: str
    forenames: str
    dob: str
    gender: str | None
    pnc_id: str | None
    establishment_code: str
    reception_date: str
    release_date: str | None
    cell_location: str | None
    grading: Mapping[str, str]
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"prisoner:{self.prison_number}"

    def refs(self) -> list[Ref]:
        return [
            Ref(
                "establishment_code",
                self.establishment_code,
                "Establishment",
                f"establishment:{self.establishment_code}",
            )
        ]

    def keys(self) -> list[Key]:
        person = {
            "surname": norm.fold(self.surname),
            "forenames": norm.fold(self.forenames),
            "dob": self.dob,
            "gender": self.gender,
            "pnc_id": self.pnc_id,
        }
        period = {
            **person,
            "establishment_code": self.establishment_code,
            "release_date": self.release_date,
            "cell_location": self.cell_location,
            **self.extra,
        }
        return [
            Key("custody", (self.prison_number, self.reception_date), period),
            Key("prisoner", (self.prison_number,), person),
        ]

    def defines(self) -> list[tuple[str, str]]:
        return [("Person", self.id)]


def transform(row: SourceRow) -> CustodyRow:
    check_width(row)
    establishment, _ = establishment_ref(row)
    reception, release = date_period(row, "reception_date", "release_date")
    return CustodyRow(
        line=row.line,
        prison_number=required(row, "prison_number").upper(),
        surname=norm.display(required(row, "surname")),
        forenames=norm.display(required(row, "forenames")),
        dob=parse(row, "dob", norm.iso_date, need=True),
        gender=optional(row, "gender"),
        pnc_id=optional(row, "pnc_id"),
        establishment_code=establishment,
        reception_date=reception,
        release_date=release,
        cell_location=optional(row, "cell_location"),
        grading=grading(row, CONTRACT),
        extra=extras(row, CONTRACT),
    )


def load(store: GraphStore, models: Sequence[CustodyRow], run: LoadRun, ctx: LoaderContext) -> None:
    people = (
        (
            m.id,
            person_props(
                "prisoner",
                m.prison_number,
                m.surname,
                m.forenames,
                CONTRACT.name,
                f"{CONTRACT.name}:{m.line}",
                dob=m.dob,
                gender=m.gender,
                pnc_id=m.pnc_id,
                **m.extra,
            ),
        )
        for m in models
    )
    upsert_persons(store, "prisoner", people, run)
    links = [
        {
            "src": m.id,
            "dst": f"establishment:{m.establishment_code}",
            "key": {"from": m.reception_date},
            "props": link_props(
                CONTRACT.name,
                f"{CONTRACT.name}:{m.line}",
                m.grading,
                m.reception_date,
                m.release_date,
                to=m.release_date,
                cell=m.cell_location,
            ),
        }
        for m in models
    ]
    store.upsert_links("HELD_AT", links, run, "Person", "Establishment")
    refresh_prisoners(store, (m.id for m in models), run)


LOADER = LoaderFunctions(contract=CONTRACT, transform=transform, prepare=unchanged, load=load)

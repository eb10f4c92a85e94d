"""persons.csv -> Person:Nominal nodes (community nominals) and LIVES_IN."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graph_service.store import GraphStore, LoadRun
from loaders import normalise as norm
from loaders.base import LoaderFunctions, unchanged
from loaders.cells import check_width, extras, optional, parse, required
from loaders.context import LoaderContext
from loaders.contract import CONTRACTS_BY_NAME
from loaders.csvsource import SourceRow
from loaders.props import person_props
from loaders.rows import Key, Ref
from loaders.writers import upsert_persons, upsert_postcodes

CONTRACT = CONTRACTS_BY_NAME["persons.csv"]


@dataclass(frozen=True)
class NominalRow:
    line: int
    person_ref: str
    surname: str
    forenames: str
    dob: str | None
    pnc_id: str | None
    postcode: str | None
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"person:{self.person_ref}"

    def refs(self) -> list[Ref]:
        return []

    def keys(self) -> list[Key]:
        values = {
            "surname": norm.fold(self.surname),
            "forenames": norm.fold(self.forenames),
            "dob": self.dob,
            "pnc_id": self.pnc_id,
            "postcode": self.postcode,
            **self.extra,
        }
        return [Key("person", (self.person_ref,), values)]

    def defines(self) -> list[tuple[str, str]]:
        return [("Person", self.id)]


def transform(row: SourceRow) -> NominalRow:
    check_width(row)
    return NominalRow(
        line=row.line,
        person_ref=required(row, "person_ref"),
        surname=norm.display(required(row, "surname")),
        forenames=norm.display(required(row, "forenames")),
        dob=parse(row, "dob", norm.iso_date),
        pnc_id=optional(row, "pnc_id"),
        postcode=parse(row, "postcode", norm.postcode),
        extra=extras(row, CONTRACT),
    )


def load(store: GraphStore, models: Sequence[NominalRow], run: LoadRun, ctx: LoaderContext) -> None:
    people = (
        (
            m.id,
            person_props(
                "person",
                m.person_ref,
                m.surname,
                m.forenames,
                CONTRACT.name,
                f"{CONTRACT.name}:{m.line}",
                dob=m.dob,
                pnc_id=m.pnc_id,
                postcode=m.postcode,
                **m.extra,
            ),
        )
        for m in models
    )
    upsert_persons(store, "person", people, run)
    upsert_postcodes(
        store,
        ((m.id, m.postcode, f"{CONTRACT.name}:{m.line}") for m in models if m.postcode),
        CONTRACT.name,
        run,
        ctx.written["Postcode"],
    )


LOADER = LoaderFunctions(contract=CONTRACT, transform=transform, prepare=unchanged, load=load)

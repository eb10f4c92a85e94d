"""staff.csv -> Person:Staff nodes, one EMPLOYED_AT per post, LIVES_IN home postcode."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graph_service.store import GraphStore, LoadRun
from loaders import normalise as norm
from loaders.base import LoaderFunctions, unchanged
from loaders.cells import check_width, date_period, establishment_ref, extras, grading, parse, required
from loaders.context import LoaderContext
from loaders.contract import CONTRACTS_BY_NAME
from loaders.csvsource import SourceRow
from loaders.props import link_props, person_props
from loaders.rows import Key, Ref
from loaders.writers import refresh_staff, upsert_persons, upsert_postcodes

CONTRACT = CONTRACTS_BY_NAME["staff.csv"]


@dataclass(frozen=True)
class PostRow:
    line: int
    staff_number: str
    surname: str
    forenames: str
    dob: str | None
    establishment_code: str
    role: str
    start_date: str
    end_date: str | None
    home_postcode: str | None
    grading: Mapping[str, str]
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"staff:{self.staff_number}"

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
        person = {"surname": norm.fold(self.surname), "forenames": norm.fold(self.forenames), "dob": self.dob}
        post = {
            **person,
            "establishment_code": self.establishment_code,
            "end_date": self.end_date,
            "home_postcode": self.home_postcode,
            **self.extra,
        }
        return [
            Key("post", (self.staff_number, self.start_date, self.role), post),
            Key("staff", (self.staff_number,), person),
        ]

    def defines(self) -> list[tuple[str, str]]:
        return [("Person", self.id)]


def transform(row: SourceRow) -> PostRow:
    check_width(row)
    establishment, _ = establishment_ref(row)
    start, end = date_period(row, "start_date", "end_date")
    return PostRow(
        line=row.line,
        staff_number=required(row, "staff_number"),
        surname=norm.display(required(row, "surname")),
        forenames=norm.display(required(row, "forenames")),
        dob=parse(row, "dob", norm.iso_date),
        establishment_code=establishment,
        role=norm.display(required(row, "role")),
        start_date=start,
        end_date=end,
        home_postcode=parse(row, "home_postcode", norm.postcode),
        grading=grading(row, CONTRACT),
        extra=extras(row, CONTRACT),
    )


def load(store: GraphStore, models: Sequence[PostRow], run: LoadRun, ctx: LoaderContext) -> None:
    people = (
        (
            m.id,
            person_props(
                "staff",
                m.staff_number,
                m.surname,
                m.forenames,
                CONTRACT.name,
                f"{CONTRACT.name}:{m.line}",
                dob=m.dob,
                postcode=m.home_postcode,
                **m.extra,
            ),
        )
        for m in models
    )
    upsert_persons(store, "staff", people, run)
    links = [
        {
            "src": m.id,
            "dst": f"establishment:{m.establishment_code}",
            "key": {"from": m.start_date, "role": m.role},
            "props": link_props(
                CONTRACT.name, f"{CONTRACT.name}:{m.line}", m.grading, m.start_date, m.end_date, to=m.end_date
            ),
        }
        for m in models
    ]
    store.upsert_links("EMPLOYED_AT", links, run, "Person", "Establishment")
    upsert_postcodes(
        store,
        ((m.id, m.home_postcode, f"{CONTRACT.name}:{m.line}") for m in models if m.home_postcode),
        CONTRACT.name,
        run,
        ctx.written["Postcode"],
    )
    refresh_staff(store, (m.id for m in models), run)


LOADER = LoaderFunctions(contract=CONTRACT, transform=transform, prepare=unchanged, load=load)

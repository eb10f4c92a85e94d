"""establishments.csv -> Establishment nodes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graph_service.store import GraphStore, LoadRun
from loaders.base import LoaderFunctions, unchanged
from loaders.cells import check_width, extras, optional, required
from loaders.context import LoaderContext
from loaders.contract import CONTRACTS_BY_NAME
from loaders.csvsource import SourceRow
from loaders.props import drop_none
from loaders.rows import Key, Ref

CONTRACT = CONTRACTS_BY_NAME["establishments.csv"]


@dataclass(frozen=True)
class EstablishmentRow:
    line: int
    code: str
    name: str
    region: str | None
    category: str | None
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"establishment:{self.code}"

    def refs(self) -> list[Ref]:
        return []

    def keys(self) -> list[Key]:
        values = {"name": self.name, "region": self.region, "category": self.category, **self.extra}
        return [Key("establishment", (self.code,), values)]

    def defines(self) -> list[tuple[str, str]]:
        return [("Establishment", self.id)]


def transform(row: SourceRow) -> EstablishmentRow:
    check_width(row)
    return EstablishmentRow(
        row.line,
        required(row, "establishment_code"),
        " ".join(required(row, "name").split()),
        optional(row, "region"),
        optional(row, "category"),
        extras(row, CONTRACT),
    )


def load(store: GraphStore, models: Sequence[EstablishmentRow], run: LoadRun, ctx: LoaderContext) -> None:
    rows = [
        {
            "id": m.id,
            "props": drop_none(
                {
                    **m.extra,
                    "code": m.code,
                    "name": m.name,
                    "region": m.region,
                    "category": m.category,
                    "source": CONTRACT.name,
                    "source_ref": f"{CONTRACT.name}:{m.line}",
                }
            ),
        }
        for m in models
    ]
    store.upsert_nodes("Establishment", rows, run)


LOADER = LoaderFunctions(contract=CONTRACT, transform=transform, prepare=unchanged, load=load)

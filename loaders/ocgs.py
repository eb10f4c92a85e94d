"""ocgs.csv -> OCG nodes."""

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

CONTRACT = CONTRACTS_BY_NAME["ocgs.csv"]


@dataclass(frozen=True)
class OcgRow:
    line: int
    urn: str
    name: str
    band: str | None
    primary_crime: str | None
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"ocg:{self.urn}"

    def refs(self) -> list[Ref]:
        return []

    def keys(self) -> list[Key]:
        values = {"name": self.name, "band": self.band, "primary_crime": self.primary_crime, **self.extra}
        return [Key("ocg", (self.urn,), values)]

    def defines(self) -> list[tuple[str, str]]:
        return [("OCG", self.id)]


def transform(row: SourceRow) -> OcgRow:
    check_width(row)
    band = optional(row, "band")
    return OcgRow(
        row.line,
        required(row, "ocg_urn"),
        " ".join(required(row, "name").split()),
        band.upper() if band else None,
        optional(row, "primary_crime"),
        extras(row, CONTRACT),
    )


def load(store: GraphStore, models: Sequence[OcgRow], run: LoadRun, ctx: LoaderContext) -> None:
    rows = [
        {
            "id": m.id,
            "props": drop_none(
                {
                    **m.extra,
                    "urn": m.urn,
                    "name": m.name,
                    "band": m.band,
                    "primary_crime": m.primary_crime,
                    "source": CONTRACT.name,
                    "source_ref": f"{CONTRACT.name}:{m.line}",
                }
            ),
        }
        for m in models
    ]
    store.upsert_nodes("OCG", rows, run)


LOADER = LoaderFunctions(contract=CONTRACT, transform=transform, prepare=unchanged, load=load)

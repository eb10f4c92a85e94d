"""calls.csv -> CALLED links aggregated per ordered pair, each call_id counted once.

PIN calls run from the prisoner (Person) to the number dialled; every other call from
number to number. Privileged calls are excluded before anything else is read from the
row: nothing about them (not even the numbers) reaches the graph or the rejects file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from graph_service.store import GraphStore, LoadRun
from loaders import normalise as norm
from loaders.base import LoaderFunctions
from loaders.cells import check_width, grading, optional, parse, required
from loaders.context import LoaderContext
from loaders.contract import BOUNDS, CALL_SOURCES, CONTRACTS_BY_NAME
from loaders.csvsource import SourceRow
from loaders.rows import Excluded, Key, Ref, RowError
from loaders.writers import upsert_phones

CONTRACT = CONTRACTS_BY_NAME["calls.csv"]
# Chunks whose calls are aggregated into one write: a pair called again within the
# window is one link update, not one per call (docs/loaders.md, "How a file is loaded").
GATHER_CHUNKS = 20
PRIVILEGED = "privileged"
# A call lasts 0 to 48 hours (contract.CALL_SECONDS_MAX): total_seconds cannot overflow.
_DURATION = BOUNDS["duration"]
_SECONDS = partial(norm.integer, minimum=_DURATION.minimum, maximum=_DURATION.maximum)


@dataclass(frozen=True, slots=True)
class CallRow:
    line: int
    call_id: str
    src: str  # phone:+44... or prisoner:A1234BC (PIN)
    callee: str
    caller_number: str | None
    started_at: str
    seconds: int
    call_source: str
    establishment_code: str | None
    grading: Mapping[str, str]

    @property
    def pin(self) -> bool:
        return self.src.startswith("prisoner:")

    def refs(self) -> list[Ref]:
        refs = []
        if self.pin:
            refs.append(Ref("caller_prison_number", self.src.split(":", 1)[1], "Person", self.src))
        if self.establishment_code:
            refs.append(
                Ref(
                    "establishment_code",
                    self.establishment_code,
                    "Establishment",
                    f"establishment:{self.establishment_code}",
                )
            )
        return refs

    def keys(self) -> list[Key]:
        values = {
            "caller_prison_number": self.src.split(":", 1)[1] if self.pin else None,
            "caller_number": self.caller_number,
            "callee_number": self.callee,
            "started_at": self.started_at,
            "duration_seconds": self.seconds,
            "call_source": self.call_source,
            "establishment_code": self.establishment_code,
        }
        return [Key("call", (self.call_id,), values)]

    def defines(self) -> list[tuple[str, str]]:
        return []


WITHHELD = "privileged call: value withheld"


def transform(row: SourceRow) -> CallRow | Excluded:
    """A call, or ``Excluded("privileged")`` for a valid privileged call.

    A privileged row that breaks the contract is still a reject (so the report and the
    rejects file account for it) but its reject carries no value and a generic reason:
    nothing identifying about a privileged call is written anywhere.
    """
    privileged = parse(row, "privileged", norm.yes_no)
    if not privileged:
        return _call(row)
    try:
        call = _call(row)
    except RowError as error:
        raise RowError(
            error.column, "", f"{error.kind.replace('_', ' ')} {error.column} ({WITHHELD})", error.kind
        ) from None
    return Excluded(PRIVILEGED, refs=tuple(call.refs()), withheld=True)


def _call(row: SourceRow) -> CallRow:
    check_width(row)
    call_id = required(row, "call_id")
    source = parse(row, "call_source", lambda v: norm.choice(v, CALL_SOURCES, "call_source", lower=True), need=True)
    callee = parse(row, "callee_number", norm.phone, need=True)
    caller_number = parse(row, "caller_number", norm.phone)
    if source == "pin":
        prison_number = optional(row, "caller_prison_number")
        if not prison_number:
            raise RowError("caller_prison_number", "", "missing caller_prison_number for a pin call", "missing")
        src = f"prisoner:{prison_number.upper()}"
    else:
        if caller_number is None:
            raise RowError("caller_number", "", f"missing caller_number for a {source} call", "missing")
        src = f"phone:{caller_number}"
        optional(row, "caller_prison_number")  # not used, but bounded like every value
    return CallRow(
        line=row.line,
        call_id=call_id,
        src=src,
        callee=callee,
        caller_number=caller_number,
        started_at=parse(row, "started_at", norm.iso_datetime, need=True),
        seconds=parse(row, "duration_seconds", _SECONDS, need=True),
        call_source=source,
        establishment_code=optional(row, "establishment_code"),
        grading=grading(row, CONTRACT),
    )


class CallWrites(NamedTuple):
    """A window of calls made ready for the store: numbers to merge, links per ordered pair."""

    numbers: set[str]
    pin: list[dict]
    other: list[dict]


def prepare(models: Sequence[CallRow]) -> CallWrites:
    """Group a window's calls per ordered pair (pure; runs while the previous window is written)."""
    numbers: set[str] = set()
    groups: dict[tuple[str, str], dict] = {}
    for m in models:
        numbers.add(m.callee)
        if m.caller_number is not None and not m.pin:
            numbers.add(m.caller_number)
        dst = "phone:" + m.callee
        entry = groups.get((m.src, dst))
        if entry is None:
            entry = groups[(m.src, dst)] = {
                "src": m.src,
                "dst": dst,
                "props": {"source": CONTRACT.name, "source_ref": f"{CONTRACT.name}:{m.line}", **m.grading},
                "events": [],
            }
        entry["events"].append(
            {
                "id": m.call_id,
                "at": m.started_at,
                "seconds": m.seconds,
                "source": m.call_source,
                "place": m.establishment_code,
            }
        )
    pin: list[dict] = []
    other: list[dict] = []
    for (src, _), group in groups.items():
        (pin if src.startswith("prisoner:") else other).append(group)
    return CallWrites(numbers, pin, other)


def load(store: GraphStore, calls: CallWrites, run: LoadRun, ctx: LoaderContext) -> None:
    upsert_phones(store, calls.numbers, CONTRACT.name, run, ctx.written["Phone"])
    if calls.pin:
        store.accumulate_links("CALLED", calls.pin, run, "Person", "Phone")
    if calls.other:
        store.accumulate_links("CALLED", calls.other, run, "Phone", "Phone")


LOADER = LoaderFunctions(
    contract=CONTRACT, transform=transform, prepare=prepare, load=load, gather_chunks=GATHER_CHUNKS
)

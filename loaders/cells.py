"""Reading a source row's cells for the pure transforms: required and optional values,
parsed values, date periods, the grading, extra columns and subject references.

Each helper raises :class:`~loaders.rows.RowError` naming the column, its value and why.
Every value read is checked against its column's bound first (:mod:`loaders.bounds`:
length and shape, from :data:`loaders.contract.BOUNDS`), so no helper parses an
overlong or ill-shaped value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from functools import partial
from types import MappingProxyType
from typing import Any

from graph_service.grading import CONDITIONAL, HANDLING, ORIGINATING_AGENCY
from loaders import bounds
from loaders import normalise as norm
from loaders.contract import GRADING, SUBJECT_ID_KINDS, FileContract
from loaders.csvsource import SourceRow
from loaders.rows import Ref, RowError

_LENGTH_ONLY = bounds.LENGTH_ONLY


def required(row: SourceRow, column: str, kind: str | None = None) -> str:
    """The trimmed value of ``column`` within its bound (or ``kind``'s); empty is a reject."""
    value = row.values.get(column)
    value = value.strip() if value else ""
    if not value:
        raise RowError(column, "", f"missing required value for {column}", "missing")
    if kind is not None or len(value) > _LENGTH_ONLY.get(column, -1):
        bounds.check(column, value, kind)
    return value


def optional(row: SourceRow, column: str, kind: str | None = None) -> str | None:
    """The trimmed value of ``column`` within its bound, or ``None`` when empty."""
    value = row.values.get(column)
    value = value.strip() if value else None
    if value and (kind is not None or len(value) > _LENGTH_ONLY.get(column, -1)):
        bounds.check(column, value, kind)
    return value or None


def parse(row: SourceRow, column: str, fn: Callable[[str], Any], *, need: bool = False, kind: str | None = None) -> Any:
    """Parse a cell with ``fn`` once it keeps its bound (its column's, or ``kind``'s);
    empty optional cells give ``None``."""
    text = row.values.get(column)  # required()/optional() inlined: called for every cell
    text = text.strip() if text else ""
    if not text:
        if need:
            raise RowError(column, "", f"missing required value for {column}", "missing")
        return None
    if kind is not None or len(text) > _LENGTH_ONLY.get(column, -1):
        bounds.check(column, text, kind)
    try:
        return fn(text)
    except norm.ValueProblem as problem:
        raise RowError(column, text, str(problem), problem.kind) from None


def date_period(row: SourceRow, start: str, end: str) -> tuple[str, str | None]:
    """The dates in columns ``start`` (required) and ``end`` (may be empty; never before ``start``)."""
    begin = parse(row, start, norm.iso_date, need=True)
    finish = parse(row, end, norm.iso_date)
    if finish is not None and finish < begin:
        raise RowError(end, finish, f"{end} {finish} is before {start} {begin}")
    return begin, finish


# One read-only mapping per distinct grading, shared by the rows that carry it.
_GRADINGS: dict[tuple[tuple[str, str], ...], Mapping[str, str]] = {}
GRADINGS_MAX = 10_000


# The agency the running load is for (`marsoc load DIR --agency A`), set by the runner.
LOAD_AGENCY: ContextVar[str | None] = ContextVar("LOAD_AGENCY", default=None)


def grading(row: SourceRow, contract: FileContract) -> Mapping[str, str]:
    """The row's 3x5x2 grading and originating agency, each given value validated, gaps
    from the file default and the load's agency (read-only: rows with the same grading
    share one mapping). A handling ``C`` row with no agency from either is refused."""
    result = dict(contract.default_grading)
    if contract.graded:
        for column in GRADING:
            value = optional(row, column)
            if value is not None:
                result[column] = parse(row, column, partial(norm.grading_value, column))
    if ORIGINATING_AGENCY not in result and LOAD_AGENCY.get() is not None:
        result[ORIGINATING_AGENCY] = str(LOAD_AGENCY.get())
    if result.get(HANDLING) == CONDITIONAL and ORIGINATING_AGENCY not in result:
        raise RowError(
            ORIGINATING_AGENCY,
            "",
            "a handling C row needs its originating agency: give the originating_agency column or load with --agency",
            "missing",
        )
    key = tuple(result.items())
    shared = _GRADINGS.get(key)
    if shared is None:
        if len(_GRADINGS) >= GRADINGS_MAX:
            _GRADINGS.clear()  # free-text handling conditions: forgetting only costs sharing
        shared = _GRADINGS[key] = MappingProxyType(result)
    return shared


_EXTRA_NAME = re.compile(r"[^a-z0-9_]+")


def _owned_properties() -> frozenset[str]:
    """Property names the loaders and the store write themselves: an extra column may
    never set them (an extra ``id`` or ``canonical_id`` column would rewrite who a
    person is)."""
    from graph_service.schema import (
        EVENT_IDS,
        GRADING_PROPERTIES,
        LINK_TYPES,
        NIGHT_COUNT,
        NODE_TYPES,
        PERIOD_PROPERTIES,
        PROVENANCE_PROPERTIES,
    )
    from loaders.contract import CONTRACTS

    names = {"id", "canonical_id", "namespace", "source_id", "name", "name_key", "surname", "forenames"}
    names |= {"in_custody", "establishment", "role", "labels", "type", "network", "label", "number", "postcode"}
    names |= {"count", "first", "last", "total_seconds", "sources", "establishments", EVENT_IDS, NIGHT_COUNT}
    names |= set(PROVENANCE_PROPERTIES) | set(PERIOD_PROPERTIES) | set(GRADING_PROPERTIES) | {"originating_agency"}
    for node in NODE_TYPES:
        names |= {node.key, *node.indexed}
    for link in LINK_TYPES:
        names |= {*link.key, *link.properties}
    for contract in CONTRACTS:
        names |= set(contract.columns)
    return frozenset(names)


OWNED_PROPERTIES = _owned_properties()


def extra_name(column: str, taken: Iterable[str] = ()) -> str:
    """The property name an extra column is kept under: identifier-safe, ``extra_``
    before a name the loaders own, and a number after one already taken in the row.

    Examples
    --------
    >>> extra_name("Officer notes"), extra_name("id"), extra_name("a-b", ["a_b"])
    ('officer_notes', 'extra_id', 'a_b_2')
    """
    name = _EXTRA_NAME.sub("_", column.lower()).strip("_") or "extra"
    if name in OWNED_PROPERTIES:
        name = f"extra_{name}"
    used = set(taken)
    base, n = name, 1
    while name in used:
        n += 1
        name = f"{base}_{n}"
    return name


def extras(row: SourceRow, contract: FileContract) -> dict[str, str]:
    """Columns outside the contract, kept as properties (see :func:`extra_name`)."""
    known = set(contract.columns)
    out: dict[str, str] = {}
    for column, value in row.values.items():
        if column in known or not column:
            continue
        value = norm.clean(value)
        if value:
            out[extra_name(column, out)] = bounds.check(column, value, "free_text")
    return out


def check_width(row: SourceRow) -> None:
    """Raise the problem the reader found on the row's line, or its wrong number of fields."""
    if row.problem is not None:
        raise row.problem
    if row.width_problem:
        raise RowError("", "", row.width_problem, "malformed")


def person_id(namespace: str, identifier: str) -> str:
    return f"{namespace}:{identifier}"


def subject_ref(row: SourceRow, type_column: str, id_column: str, allowed: tuple[str, ...]) -> tuple[str, Ref]:
    """A subject given as (type, id) columns: returns (node id, reference to check).

    Phones are normalised (their node is created on demand, a number identifies itself).
    """
    subject_type = parse(row, type_column, lambda v: norm.choice(v, allowed, type_column, lower=True), need=True)
    raw = required(row, id_column, SUBJECT_ID_KINDS.get(subject_type))
    if subject_type == "phone":
        number = parse(row, id_column, norm.phone, need=True, kind="phone")
        return f"phone:{number}", Ref(id_column, raw, "Phone", f"phone:{number}")
    if subject_type == "ocg":
        return f"ocg:{raw}", Ref(id_column, raw, "OCG", f"ocg:{raw}")
    nid = person_id(subject_type, raw.upper() if subject_type == "prisoner" else raw)
    return nid, Ref(id_column, raw, "Person", nid)


def establishment_ref(row: SourceRow, column: str = "establishment_code") -> tuple[str, Ref]:
    """A required establishment code: returns (code, reference to check)."""
    code = required(row, column)
    return code, Ref(column, code, "Establishment", f"establishment:{code}")

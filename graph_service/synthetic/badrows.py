"""Makers of contract-breaking rows, one list per file.

Each maker takes a good row (a list in header order) and returns a damaged copy with
the column and reason, or None when the row does not suit it. Rows that carry their
own identifier get a fresh one, so a bad row never collides with a good row (except
the deliberate duplicate calls, see :mod:`.activity`). Kinds:

- ``missing_required``: a required value is empty
- ``bad_date`` / ``bad_datetime``: ``2023-13-45``, ``31/12/2023``, ``2023-02-30`` ...
- ``bad_number``: non-numeric ``duration_seconds``
- ``bad_phone``: ``not-a-number``, ``12``, ``999``
- ``unknown_reference``: an identifier no file defines (prison number, subject id, OCG URN)
- ``unknown_subject_type``: ``vehicle``, ``company``
- ``bad_enum``: a ``call_source`` outside pin|cdr|handset_download
- ``duplicate_conflict``: a call_id repeated with different values (planted by activity)
"""

from __future__ import annotations

import random
from collections.abc import Callable

from graph_service.synthetic import names as N
from graph_service.synthetic.writer import BadMaker

BAD_DATES = ("2023-13-45", "31/12/2023", "2023-02-30", "12-31-2023", "2023/06/01")
BAD_DATETIMES = ("2023-13-45T10:00:00", "31/12/2023 10:15", "2024-02-30T25:61:00", "yesterday 10pm")
BAD_NUMBERS = ("abc", "12s", "1.5.2", "ten", "-")
BAD_PHONES = ("not-a-number", "12", "999")


def unknown_id(rng: random.Random, namespace: str) -> str:
    """An identifier of the namespace's shape that the generator never issues."""
    if namespace == "prisoner":
        return f"Z{rng.randint(0, 9999):04d}{rng.choice(N.LETTERS)}{rng.choice(N.LETTERS)}"
    if namespace == "visitor":
        return f"V9{rng.randint(0, 99999):05d}"
    if namespace == "staff":
        return f"S99{rng.randint(0, 999):03d}"
    if namespace == "person":
        return f"P9{rng.randint(0, 999999):06d}"
    if namespace == "ocg":
        return f"OCG-9{rng.randint(0, 999):03d}"
    raise ValueError(namespace)


# (id column, issuer of a fresh id for it): a damaged row gets a new id in that column
FreshId = tuple[str, Callable[[], str]]


def _setter(
    index: dict[str, int],
    column: str,
    values: Callable[[random.Random, list[str]], str | None],
    reason: str,
    kind: str,
    fresh: FreshId | None = None,
) -> BadMaker:
    col = index[column]

    def make(rng: random.Random, row: list[str]) -> tuple[list[str], str, str, str] | None:
        value = values(rng, row)
        if value is None:
            return None
        if fresh is not None:
            row[index[fresh[0]]] = fresh[1]()
        row[col] = value
        return row, column, reason, kind

    return make


def _missing(index: dict[str, int], column: str, fresh: FreshId | None = None) -> BadMaker:
    return _setter(index, column, lambda r, row: "", f"missing required value {column}", "missing_required", fresh)


def _bad_date(index: dict[str, int], column: str, fresh: FreshId | None = None) -> BadMaker:
    return _setter(
        index, column, lambda r, row: r.choice(BAD_DATES), f"unparseable date in {column}", "bad_date", fresh
    )


def makers_for(file: str, index: dict[str, int], fresh: Callable[[], str] | None = None) -> list[BadMaker]:
    """The bad-row makers of ``file``; ``fresh`` issues a new id for the file's id column.

    Files whose rows carry their own identifier (prisoners, visits, staff, persons, calls)
    need ``fresh``; the others ignore it.
    """

    def fresh_id(column: str) -> FreshId:
        if fresh is None:
            raise ValueError(f"{file}: bad rows need fresh ids for {column}, but no fresh was given")
        return column, fresh

    if file == "prisoners.csv":
        f = fresh_id("prison_number")
        return [
            _missing(index, "surname", f),
            _missing(index, "forenames", f),
            _bad_date(index, "dob", f),
            _bad_date(index, "reception_date", f),
            _missing(index, "prison_number"),
            _missing(index, "establishment_code", f),
        ]
    if file == "visits.csv":
        f = fresh_id("visit_id")
        return [
            _setter(
                index,
                "prison_number",
                lambda r, row: unknown_id(r, "prisoner"),
                "prison_number does not exist in prisoners.csv",
                "unknown_reference",
                f,
            ),
            _bad_date(index, "visit_date", f),
            _missing(index, "visitor_ref", f),
            _missing(index, "visit_date", f),
            _missing(index, "visitor_surname", f),
            _setter(
                index,
                "visitor_dob",
                lambda r, row: r.choice(BAD_DATES),
                "unparseable date in visitor_dob",
                "bad_date",
                f,
            ),
        ]
    if file == "staff.csv":
        f = fresh_id("staff_number")
        return [
            _missing(index, "role", f),
            _bad_date(index, "start_date", f),
            _missing(index, "surname", f),
            _bad_date(index, "end_date", f),
            _missing(index, "staff_number"),
        ]
    if file == "persons.csv":
        f = fresh_id("person_ref")
        return [_missing(index, "surname", f), _bad_date(index, "dob", f)]
    if file == "phones.csv":
        return [
            _setter(
                index, "phone_number", lambda r, row: r.choice(BAD_PHONES), "unparseable phone number", "bad_phone"
            ),
            _setter(
                index, "subject_type", lambda r, row: "vehicle", "unknown subject_type vehicle", "unknown_subject_type"
            ),
            _setter(
                index,
                "subject_id",
                lambda r, row: unknown_id(r, row[index["subject_type"]]),
                "subject_id does not exist for its subject_type",
                "unknown_reference",
            ),
            _missing(index, "subject_id"),
            _bad_date(index, "first_seen"),
        ]
    if file == "calls.csv":
        f = fresh_id("call_id")
        source = index["call_source"]
        return [
            _setter(
                index,
                "duration_seconds",
                lambda r, row: r.choice(BAD_NUMBERS),
                "non-numeric duration_seconds",
                "bad_number",
                f,
            ),
            _setter(
                index, "started_at", lambda r, row: r.choice(BAD_DATETIMES), "unparseable started_at", "bad_datetime", f
            ),
            _missing(index, "callee_number", f),
            _setter(
                index, "callee_number", lambda r, row: r.choice(BAD_PHONES), "unparseable callee_number", "bad_phone", f
            ),
            _setter(
                index,
                "caller_prison_number",
                lambda r, row: unknown_id(r, "prisoner") if row[source] == "pin" else None,
                "caller_prison_number does not exist in prisoners.csv",
                "unknown_reference",
                f,
            ),
            _setter(
                index,
                "caller_number",
                lambda r, row: "" if row[source] == "cdr" else None,
                "caller_number required for a cdr call",
                "missing_required",
                f,
            ),
            _setter(index, "call_source", lambda r, row: "sms", "unknown call_source sms", "bad_enum", f),
        ]
    if file == "ocg_members.csv":
        return [
            _setter(
                index,
                "subject_id",
                lambda r, row: unknown_id(r, row[index["subject_type"]]),
                "subject_id does not exist for its subject_type",
                "unknown_reference",
            ),
            _setter(
                index, "subject_type", lambda r, row: "company", "unknown subject_type company", "unknown_subject_type"
            ),
            _setter(
                index,
                "ocg_urn",
                lambda r, row: unknown_id(r, "ocg"),
                "ocg_urn does not exist in ocgs.csv",
                "unknown_reference",
            ),
            _missing(index, "role"),
            _bad_date(index, "since"),
        ]
    if file == "links.csv":
        return [
            _setter(
                index,
                "to_id",
                lambda r, row: unknown_id(r, row[index["to_type"]]),
                "to_id does not exist for its to_type",
                "unknown_reference",
            ),
            _setter(index, "from_type", lambda r, row: "vehicle", "unknown from_type vehicle", "unknown_subject_type"),
            _missing(index, "link_type"),
            _bad_date(index, "date"),
            _missing(index, "from_id"),
        ]
    return []

"""The input-format contract (/work/shared/spec/input-formats.md), declared once, as data.

The contract belongs to the loaders: they read it here, and the synthetic generator
(:mod:`graph_service.synthetic`) writes its files from it and its tests check against it.

``CONTRACT[file]`` gives the required and optional columns, which columns are dates,
date-times, integers or phone numbers, the allowed values of enumerated columns, the
references a row makes to other files, and whether the row carries intelligence
grading (the 3x5x2 vocabulary comes from :mod:`graph_service.grading`).

``references`` maps a column to ``(file, column)`` it must match, or to ``"subject"``
where the column names a person in the namespace given by the paired type column
(``subject_types`` maps id column -> type column).

:data:`CONTRACTS` shapes it for the loaders (:class:`FileContract` per file: required
and optional columns, default grading, whether rows are graded) and the rest of this
module names the values the loaders check (subject types, attribution and call sources,
OCG roles, decisions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph_service.grading import ALLOWED_VALUES, GRADING_PROPERTIES, OFFICIAL_GRADING, ORIGINATING_AGENCY

# The grading columns (every graded file ends with them) and their allowed values; the
# originating agency defaults to the load's (`marsoc load DIR --agency A`).
GRADING: tuple[str, ...] = (*GRADING_PROPERTIES, ORIGINATING_AGENCY)
GRADING_VALUES: dict[str, list[str]] = {column: list(values) for column, values in ALLOWED_VALUES.items()}
# Rows without grading take this default (official system records).
DEFAULT_GRADING: dict[str, str] = dict(OFFICIAL_GRADING)

# The person namespaces a subject_type / from_type / left_type may name, and the file
# and column that define the identifiers of each.
SUBJECT_TYPES: list[str] = ["prisoner", "visitor", "staff", "person"]
SUBJECT_SOURCES: dict[str, tuple[str, str]] = {
    "prisoner": ("prisoners.csv", "prison_number"),
    "visitor": ("visits.csv", "visitor_ref"),
    "staff": ("staff.csv", "staff_number"),
    "person": ("persons.csv", "person_ref"),
}

CONTRACT: dict[str, dict] = {
    "establishments.csv": {
        "required": ["establishment_code", "name"],
        "optional": ["region", "category"],
        "dates": [],
        "datetimes": [],
        "integers": [],
        "phones": [],
        "enums": {},
        "references": {},
        "subject_types": {},
        "grading": False,
    },
    "prisoners.csv": {
        "required": ["prison_number", "surname", "forenames", "dob", "establishment_code", "reception_date"],
        "optional": ["gender", "pnc_id", "release_date", "cell_location"],
        "dates": ["dob", "reception_date", "release_date"],
        "datetimes": [],
        "integers": [],
        "phones": [],
        "enums": {},
        "references": {"establishment_code": ("establishments.csv", "establishment_code")},
        "subject_types": {},
        "grading": False,
    },
    "visits.csv": {
        "required": [
            "visit_id",
            "visit_date",
            "establishment_code",
            "prison_number",
            "visitor_ref",
            "visitor_surname",
            "visitor_forenames",
        ],
        "optional": ["visitor_dob", "visitor_postcode", "relationship"],
        "dates": ["visit_date", "visitor_dob"],
        "datetimes": [],
        "integers": [],
        "phones": [],
        "enums": {},
        "references": {
            "establishment_code": ("establishments.csv", "establishment_code"),
            "prison_number": ("prisoners.csv", "prison_number"),
        },
        "subject_types": {},
        "grading": False,
    },
    "staff.csv": {
        "required": ["staff_number", "surname", "forenames", "establishment_code", "role", "start_date"],
        "optional": ["dob", "end_date", "home_postcode"],
        "dates": ["dob", "start_date", "end_date"],
        "datetimes": [],
        "integers": [],
        "phones": [],
        "enums": {},
        "references": {"establishment_code": ("establishments.csv", "establishment_code")},
        "subject_types": {},
        "grading": False,
    },
    "persons.csv": {
        "required": ["person_ref", "surname", "forenames"],
        "optional": ["dob", "pnc_id", "postcode"],
        "dates": ["dob"],
        "datetimes": [],
        "integers": [],
        "phones": [],
        "enums": {},
        "references": {},
        "subject_types": {},
        "grading": False,
    },
    "phones.csv": {
        "required": ["phone_number", "subject_type", "subject_id", "attribution_source"],
        "optional": ["first_seen", "last_seen", *GRADING],
        "dates": ["first_seen", "last_seen"],
        "datetimes": [],
        "integers": [],
        "phones": ["phone_number"],
        "enums": {
            "subject_type": SUBJECT_TYPES,
            "attribution_source": ["pin_list", "seized_handset", "declared", "intelligence"],
            **GRADING_VALUES,
        },
        "references": {"subject_id": "subject"},
        "subject_types": {"subject_id": "subject_type"},
        "grading": True,
    },
    "calls.csv": {
        "required": ["call_id", "callee_number", "started_at", "duration_seconds", "call_source"],
        # caller_number is required unless call_source is pin (then caller_prison_number is).
        "optional": ["caller_number", "caller_prison_number", "establishment_code", "privileged"],
        "dates": [],
        "datetimes": ["started_at"],
        "integers": ["duration_seconds"],
        "phones": ["caller_number", "callee_number"],
        "enums": {"call_source": ["pin", "cdr", "handset_download"], "privileged": ["Y", "N"]},
        "references": {
            "caller_prison_number": ("prisoners.csv", "prison_number"),
            "establishment_code": ("establishments.csv", "establishment_code"),
        },
        "subject_types": {},
        "grading": False,
        "conditional_required": {
            "pin": ["caller_prison_number"],
            "cdr": ["caller_number"],
            "handset_download": ["caller_number"],
        },
        "unique": "call_id",
        # Nothing about a privileged call may be written anywhere, not even in the rejects
        # file: a line that cannot be read far enough to know it is not one is withheld.
        "confidential": "privileged",
    },
    "ocgs.csv": {
        "required": ["ocg_urn", "name"],
        "optional": ["band", "primary_crime"],
        "dates": [],
        "datetimes": [],
        "integers": [],
        "phones": [],
        "enums": {},
        "references": {},
        "subject_types": {},
        "grading": False,
    },
    "ocg_members.csv": {
        "required": ["ocg_urn", "subject_type", "subject_id", "role"],
        "optional": ["since", *GRADING],
        "dates": ["since"],
        "datetimes": [],
        "integers": [],
        "phones": [],
        "enums": {
            "subject_type": SUBJECT_TYPES,
            "role": ["principal", "member", "associate", "facilitator"],
            **GRADING_VALUES,
        },
        "references": {"ocg_urn": ("ocgs.csv", "ocg_urn"), "subject_id": "subject"},
        "subject_types": {"subject_id": "subject_type"},
        "grading": True,
    },
    "links.csv": {
        "required": ["from_type", "from_id", "to_type", "to_id", "link_type"],
        "optional": ["date", "source_ref", *GRADING],
        "dates": ["date"],
        "datetimes": [],
        "integers": [],
        "phones": [],
        "enums": {"from_type": SUBJECT_TYPES, "to_type": SUBJECT_TYPES, **GRADING_VALUES},
        "references": {"from_id": "subject", "to_id": "subject"},
        "subject_types": {"from_id": "from_type", "to_id": "to_type"},
        "grading": True,
        # link_type must be UPPER_SNAKE (see graph_service.schema.link_type).
        "upper_snake": ["link_type"],
        # Besides people, a link's end may be a phone (created on demand) or an OCG.
        "extra_dependencies": ["ocgs.csv"],
    },
    "resolutions.csv": {
        "required": ["left_type", "left_id", "right_type", "right_id", "decision", "decided_by", "decided_at"],
        "optional": [],
        "dates": [],
        "datetimes": ["decided_at"],
        "integers": [],
        "phones": [],
        "enums": {"left_type": SUBJECT_TYPES, "right_type": SUBJECT_TYPES, "decision": ["same", "different"]},
        "references": {"left_id": "subject", "right_id": "subject"},
        "subject_types": {"left_id": "left_type", "right_id": "right_type"},
        "grading": False,
    },
}

# Files in the spec's order (the order the generator writes them; the loaders' runner
# keeps its own dependency order).
FILES: list[str] = list(CONTRACT)


# Column order as the spec lists them (the header the generator writes).
SPEC_ORDER: dict[str, list[str]] = {
    "establishments.csv": ["establishment_code", "name", "region", "category"],
    "prisoners.csv": [
        "prison_number",
        "surname",
        "forenames",
        "dob",
        "gender",
        "pnc_id",
        "establishment_code",
        "reception_date",
        "release_date",
        "cell_location",
    ],
    "visits.csv": [
        "visit_id",
        "visit_date",
        "establishment_code",
        "prison_number",
        "visitor_ref",
        "visitor_surname",
        "visitor_forenames",
        "visitor_dob",
        "visitor_postcode",
        "relationship",
    ],
    "staff.csv": [
        "staff_number",
        "surname",
        "forenames",
        "dob",
        "establishment_code",
        "role",
        "start_date",
        "end_date",
        "home_postcode",
    ],
    "persons.csv": ["person_ref", "surname", "forenames", "dob", "pnc_id", "postcode"],
    "phones.csv": [
        "phone_number",
        "subject_type",
        "subject_id",
        "attribution_source",
        "first_seen",
        "last_seen",
        *GRADING,
    ],
    "calls.csv": [
        "call_id",
        "caller_number",
        "caller_prison_number",
        "callee_number",
        "started_at",
        "duration_seconds",
        "call_source",
        "establishment_code",
        "privileged",
    ],
    "ocgs.csv": ["ocg_urn", "name", "band", "primary_crime"],
    "ocg_members.csv": ["ocg_urn", "subject_type", "subject_id", "role", "since", *GRADING],
    "links.csv": ["from_type", "from_id", "to_type", "to_id", "link_type", "date", "source_ref", *GRADING],
    "resolutions.csv": ["left_type", "left_id", "right_type", "right_id", "decision", "decided_by", "decided_at"],
}


def columns(file: str) -> list[str]:
    """Every contract column of ``file`` in the spec's order."""
    return list(SPEC_ORDER[file])


# -- which files a file depends on ------------------------------------------------------
def _depends_on(name: str) -> tuple[str, ...]:
    """The files whose rows ``name``'s rows refer to (its references and the namespaces
    of its subject columns), in the spec's order."""
    spec = CONTRACT[name]
    needed: set[str] = set(spec.get("extra_dependencies", ()))
    for column, target in spec["references"].items():
        if target == "subject":
            types = spec["enums"][spec["subject_types"][column]]
            needed.update(SUBJECT_SOURCES[t][0] for t in types if t in SUBJECT_SOURCES)
        else:
            needed.add(target[0])
    return tuple(f for f in CONTRACT if f in needed and f != name)


# file -> the files it refers to directly. A file that fails is not loaded, so the
# files depending on it (directly or through another) are not loaded either.
DEPENDS_ON: dict[str, tuple[str, ...]] = {name: _depends_on(name) for name in CONTRACT}


# -- bounds: what a value may be ---------------------------------------------------------
# A physical line (one record: no field may hold a line break) is at most this many
# bytes, its terminator not counted; a longer line is a reject, read past in pieces.
MAX_LINE_BYTES = 1 << 20
# A header holds at most this many columns, each name at most this many characters.
MAX_COLUMNS = 256
MAX_COLUMN_NAME = 100
# The longest call the loaders accept: 48 hours. With it, a CALLED link's total_seconds
# (an int64 in the store) cannot overflow: it would take INT64_MAX // CALL_SECONDS_MAX
# = 53,375,995,583,650 calls on one link, each with its own call id kept on the link
# (docs/loaders.md, "Bounds").
CALL_SECONDS_MAX = 48 * 3600
INT64_MAX = 2**63 - 1
# Dates and date-times must fall in these years (inclusive; ISO strings compare in order).
DATE_MIN = "1900-01-01"
DATE_MAX = "2100-12-31"


@dataclass(frozen=True)
class Bound:
    """What a value of one kind may be: its longest length (characters, after trimming),
    the shape it must have (a regular expression the whole value must match, and the
    rule in words for the reject reason and the docs), whether every character must be
    printable (no control, format or unusual space characters) starting with a letter or
    digit, and for numbers the range."""

    kind: str
    max_length: int
    shape: str | None = None
    rule: str = ""
    identifier: bool = False
    minimum: int | None = None
    maximum: int | None = None


_IDENTIFIER_RULE = "1 to 64 printable characters, starting with a letter or digit"

# Every kind of value a contract column holds, with its bound.
BOUNDS: dict[str, Bound] = {
    b.kind: b
    for b in (
        Bound(
            "prison_number",
            7,
            r"[A-Za-z][0-9]{4}[A-Za-z]{2}",
            "a letter, 4 digits and 2 letters, e.g. A1234BC",
        ),
        Bound(
            "pnc_id",
            13,
            r"[0-9]{2}(?:[0-9]{2})?/[0-9]{1,7}[A-Za-z]",
            "a year of 2 or 4 digits, '/', 1 to 7 digits and a check letter, e.g. 2012/0123456X or 85/123456A",
        ),
        Bound(
            "staff_number",
            20,
            r"[A-Za-z0-9][A-Za-z0-9._/-]{0,19}",
            "1 to 20 letters, digits, '.', '_', '/' or '-', starting with a letter or digit",
        ),
        Bound(
            "call_id",
            64,
            r"[A-Za-z0-9](?:[ -~]{0,62}[!-~])?",
            "1 to 64 printable ASCII characters, starting with a letter or digit",
        ),
        Bound("identifier", 64, rule=_IDENTIFIER_RULE, identifier=True),
        Bound("postcode", 16, rule="a UK postcode, e.g. SE1 7PB"),
        Bound("phone", 32, rule="a telephone number"),
        Bound("date", 10, rule=f"a date YYYY-MM-DD from {DATE_MIN} to {DATE_MAX}"),
        Bound("datetime", 40, rule=f"an ISO 8601 date-time from {DATE_MIN} to {DATE_MAX}"),
        Bound(
            "duration",
            20,
            rule=f"whole seconds, 0 to {CALL_SECONDS_MAX:,} (48 hours)",
            minimum=0,
            maximum=CALL_SECONDS_MAX,
        ),
        Bound("enum", 32, rule="one of the listed values"),
        Bound("code", 32, rule="a short code"),
        Bound("link_type", 64, rule="an UPPER_SNAKE name"),
        Bound("name", 100, rule="a name part"),
        Bound("text", 200, rule="short text"),
        Bound("free_text", 2000, rule="free text"),
        Bound("label", 256, rule="a network actor's label"),
    )
}

# The kind of every contract column (the same name means the same kind in every file).
# A subject id is an identifier, or the prisoner's or staff member's shape when its type
# column says so; a column outside the contract is free text.
COLUMN_KINDS: dict[str, str] = {
    "establishment_code": "identifier",
    "name": "text",
    "region": "text",
    "category": "code",
    "prison_number": "prison_number",
    "caller_prison_number": "prison_number",
    "surname": "name",
    "forenames": "name",
    "visitor_surname": "name",
    "visitor_forenames": "name",
    "dob": "date",
    "gender": "code",
    "pnc_id": "pnc_id",
    "reception_date": "date",
    "release_date": "date",
    "cell_location": "code",
    "visit_id": "identifier",
    "visit_date": "date",
    "visitor_ref": "identifier",
    "visitor_dob": "date",
    "visitor_postcode": "postcode",
    "relationship": "text",
    "staff_number": "staff_number",
    "role": "text",
    "start_date": "date",
    "end_date": "date",
    "home_postcode": "postcode",
    "person_ref": "identifier",
    "postcode": "postcode",
    "phone_number": "phone",
    "subject_type": "enum",
    "subject_id": "identifier",
    "attribution_source": "enum",
    "first_seen": "date",
    "last_seen": "date",
    "call_id": "call_id",
    "caller_number": "phone",
    "callee_number": "phone",
    "started_at": "datetime",
    "duration_seconds": "duration",
    "call_source": "enum",
    "privileged": "enum",
    "ocg_urn": "identifier",
    "band": "code",
    "primary_crime": "text",
    "since": "date",
    "from_type": "enum",
    "from_id": "identifier",
    "to_type": "enum",
    "to_id": "identifier",
    "link_type": "link_type",
    "date": "date",
    "source_ref": "identifier",
    "left_type": "enum",
    "left_id": "identifier",
    "right_type": "enum",
    "right_id": "identifier",
    "decision": "enum",
    "decided_by": "identifier",
    "decided_at": "datetime",
    "source_eval": "enum",
    "intel_eval": "enum",
    "handling": "enum",
    "handling_conditions": "free_text",
    "originating_agency": "enum",
}
# The shape of a subject id of each type (the id columns paired with a type column).
SUBJECT_ID_KINDS: dict[str, str] = {
    "prisoner": "prison_number",
    "visitor": "identifier",
    "staff": "staff_number",
    "person": "identifier",
    "phone": "phone",
    "ocg": "identifier",
}


def column_bound(column: str) -> Bound:
    """The bound of a column's values (free text for a column outside the contract)."""
    return BOUNDS[COLUMN_KINDS.get(column, "free_text")]


# -- the contract as the loaders use it ------------------------------------------------
@dataclass(frozen=True)
class FileContract:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # Grading for rows that carry none (official records: 1/A/P).
    default_grading: dict[str, str] = field(default_factory=lambda: dict(OFFICIAL_GRADING))
    # Whether rows may carry their own grading columns.
    graded: bool = False
    # The Y/N column that makes a row confidential (calls.csv: privileged): a reject of a
    # row that is, or may be, confidential carries no value.
    confidential: str | None = None
    # The files this file's rows refer to (DEPENDS_ON).
    depends_on: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional + (GRADING if self.graded else ())


def _file_contracts() -> tuple[FileContract, ...]:
    out = []
    for name, spec in CONTRACT.items():
        optional = tuple(c for c in spec["optional"] if c not in GRADING)
        out.append(
            FileContract(
                name,
                tuple(spec["required"]),
                optional,
                dict(DEFAULT_GRADING),
                bool(spec["grading"]),
                spec.get("confidential"),
                DEPENDS_ON[name],
            )
        )
    return tuple(out)


CONTRACTS: tuple[FileContract, ...] = _file_contracts()
CONTRACTS_BY_NAME: dict[str, FileContract] = {c.name: c for c in CONTRACTS}

PERSON_SUBJECT_TYPES: tuple[str, ...] = tuple(SUBJECT_TYPES)
LINK_SUBJECT_TYPES = (*PERSON_SUBJECT_TYPES, "phone", "ocg")
ATTRIBUTION_SOURCES: tuple[str, ...] = tuple(CONTRACT["phones.csv"]["enums"]["attribution_source"])
CALL_SOURCES: tuple[str, ...] = tuple(CONTRACT["calls.csv"]["enums"]["call_source"])
OCG_ROLES: tuple[str, ...] = tuple(CONTRACT["ocg_members.csv"]["enums"]["role"])
DECISIONS: tuple[str, ...] = tuple(CONTRACT["resolutions.csv"]["enums"]["decision"])

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

from graph_service.grading import ALLOWED_VALUES, GRADING_PROPERTIES, OFFICIAL_GRADING

# The grading columns (every graded file ends with them) and their allowed values.
GRADING: tuple[str, ...] = GRADING_PROPERTIES
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

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional + (GRADING if self.graded else ())


def _file_contracts() -> tuple[FileContract, ...]:
    out = []
    for name, spec in CONTRACT.items():
        optional = tuple(c for c in spec["optional"] if c not in GRADING)
        out.append(FileContract(name, tuple(spec["required"]), optional, dict(DEFAULT_GRADING), bool(spec["grading"])))
    return tuple(out)


CONTRACTS: tuple[FileContract, ...] = _file_contracts()
CONTRACTS_BY_NAME: dict[str, FileContract] = {c.name: c for c in CONTRACTS}

PERSON_SUBJECT_TYPES: tuple[str, ...] = tuple(SUBJECT_TYPES)
LINK_SUBJECT_TYPES = (*PERSON_SUBJECT_TYPES, "phone", "ocg")
ATTRIBUTION_SOURCES: tuple[str, ...] = tuple(CONTRACT["phones.csv"]["enums"]["attribution_source"])
CALL_SOURCES: tuple[str, ...] = tuple(CONTRACT["calls.csv"]["enums"]["call_source"])
OCG_ROLES: tuple[str, ...] = tuple(CONTRACT["ocg_members.csv"]["enums"]["role"])
DECISIONS: tuple[str, ...] = tuple(CONTRACT["resolutions.csv"]["enums"]["decision"])

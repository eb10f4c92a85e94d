"""The input-format contract (docs: /work/shared/spec/input-formats.md) as plain data.

``CONTRACT[file]`` gives the required and optional columns, which columns are dates,
date-times, integers or phone numbers, the allowed values of enumerated columns, the
references a row makes to other files, and whether the row carries intelligence
grading. The generator writes to it and its tests check against it; loaders may reuse it.

``references`` maps a column to ``(file, column)`` it must match, or to ``"subject"``
where the column names a person in the namespace given by the paired type column
(``subject_types`` maps id column -> type column).
"""

from __future__ import annotations

GRADING_COLUMNS: list[str] = ["source_eval", "intel_eval", "handling", "handling_conditions"]
GRADING_VALUES: dict[str, list[str]] = {
    "source_eval": ["1", "2", "3"],
    "intel_eval": ["A", "B", "C", "D", "E"],
    "handling": ["P", "C"],
}
# Rows without grading take this default (official system records).
DEFAULT_GRADING: dict[str, str] = {"source_eval": "1", "intel_eval": "A", "handling": "P"}

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
        "optional": ["first_seen", "last_seen", *GRADING_COLUMNS],
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
        "optional": ["since", *GRADING_COLUMNS],
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
        "optional": ["date", "source_ref", *GRADING_COLUMNS],
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

# Files in the order the generator writes them (and loaders may load them).
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
        *GRADING_COLUMNS,
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
    "ocg_members.csv": ["ocg_urn", "subject_type", "subject_id", "role", "since", *GRADING_COLUMNS],
    "links.csv": ["from_type", "from_id", "to_type", "to_id", "link_type", "date", "source_ref", *GRADING_COLUMNS],
    "resolutions.csv": ["left_type", "left_id", "right_type", "right_id", "decision", "decided_by", "decided_at"],
}


def columns(file: str) -> list[str]:
    """Every contract column of ``file`` in the spec's order."""
    return list(SPEC_ORDER[file])

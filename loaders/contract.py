"""The loaders' contract, as data: columns per file and the default grading.

The columns come from the one declaration of the contract, ``graph_service.synthetic.contract``
(shared with the generator; see /work/shared/spec/input-formats.md); this module only
shapes it for the loaders and adds what the loaders decide (load order, link endpoints).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph_service.schema import OFFICIAL_GRADING
from graph_service.synthetic.contract import CONTRACT as SPEC
from graph_service.synthetic.contract import DEFAULT_GRADING as SPEC_DEFAULT_GRADING
from graph_service.synthetic.contract import SUBJECT_TYPES

GRADING = ("source_eval", "intel_eval", "handling", "handling_conditions")


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


def _from_spec() -> tuple[FileContract, ...]:
    """The contract as the generator publishes it (``graph_service.synthetic.contract``)."""
    out = []
    for name, spec in SPEC.items():
        optional = tuple(c for c in spec["optional"] if c not in GRADING)
        default = {**SPEC_DEFAULT_GRADING} if SPEC_DEFAULT_GRADING else dict(OFFICIAL_GRADING)
        out.append(FileContract(name, tuple(spec["required"]), optional, default, bool(spec["grading"])))
    return tuple(out)


CONTRACTS: tuple[FileContract, ...] = _from_spec()
CONTRACTS_BY_NAME: dict[str, FileContract] = {c.name: c for c in CONTRACTS}

# Dependency order of the load (identity candidates run between links and resolutions).
LOAD_ORDER: tuple[str, ...] = (
    "establishments.csv",
    "prisoners.csv",
    "staff.csv",
    "persons.csv",
    "visits.csv",
    "phones.csv",
    "ocgs.csv",
    "ocg_members.csv",
    "calls.csv",
    "links.csv",
    "resolutions.csv",
)

PERSON_SUBJECT_TYPES: tuple[str, ...] = tuple(SUBJECT_TYPES)
LINK_SUBJECT_TYPES = (*PERSON_SUBJECT_TYPES, "phone", "ocg")
ATTRIBUTION_SOURCES: tuple[str, ...] = tuple(SPEC["phones.csv"]["enums"]["attribution_source"])
CALL_SOURCES: tuple[str, ...] = tuple(SPEC["calls.csv"]["enums"]["call_source"])
OCG_ROLES: tuple[str, ...] = tuple(SPEC["ocg_members.csv"]["enums"]["role"])
DECISIONS: tuple[str, ...] = tuple(SPEC["resolutions.csv"]["enums"]["decision"])

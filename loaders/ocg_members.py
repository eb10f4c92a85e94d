"""ocg_members.csv -> MEMBER_OF person -> OCG; the subject gains the ``Nominal`` label."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graph_service.store import GraphStore, LoadRun
from loaders import normalise as norm
from loaders.base import LoaderFunctions, unchanged
from loaders.cells import check_width, extras, grading, parse, required, subject_ref
from loaders.context import LoaderContext
from loaders.contract import CONTRACTS_BY_NAME, OCG_ROLES, PERSON_SUBJECT_TYPES
from loaders.csvsource import SourceRow
from loaders.props import link_props
from loaders.rows import Key, Ref

CONTRACT = CONTRACTS_BY_NAME["ocg_members.csv"]


@dataclass(frozen=True)
class MembershipRow:
    line: int
    urn: str
    subject: str
    subject_ref: Ref
    role: str
    since: str | None
    grading: Mapping[str, str]
    extra: dict = field(default_factory=dict)

    def refs(self) -> list[Ref]:
        return [Ref("ocg_urn", self.urn, "OCG", f"ocg:{self.urn}"), self.subject_ref]

    def keys(self) -> list[Key]:
        values = {"role": self.role, "since": self.since, **self.grading, **self.extra}
        return [Key("membership", (self.urn, self.subject), values)]

    def defines(self) -> list[tuple[str, str]]:
        return []


def transform(row: SourceRow) -> MembershipRow:
    check_width(row)
    urn = required(row, "ocg_urn")
    subject, ref = subject_ref(row, "subject_type", "subject_id", PERSON_SUBJECT_TYPES)
    return MembershipRow(
        line=row.line,
        urn=urn,
        subject=subject,
        subject_ref=ref,
        role=parse(row, "role", lambda v: norm.choice(v, OCG_ROLES, "role", lower=True), need=True),
        since=parse(row, "since", norm.iso_date),
        grading=grading(row, CONTRACT),
        extra=extras(row, CONTRACT),
    )


def load(store: GraphStore, models: Sequence[MembershipRow], run: LoadRun, ctx: LoaderContext) -> None:
    links = [
        {
            "src": m.subject,
            "dst": f"ocg:{m.urn}",
            "key": {},
            "props": link_props(
                CONTRACT.name,
                f"{CONTRACT.name}:{m.line}",
                m.grading,
                m.since,
                None,
                role=m.role,
                since=m.since,
                **m.extra,
            ),
        }
        for m in models
    ]
    store.upsert_links("MEMBER_OF", links, run, "Person", "OCG")
    subjects = sorted({m.subject for m in models})
    if subjects:
        store.write_internal("nominal-label-set", {"ids": subjects})


LOADER = LoaderFunctions(contract=CONTRACT, transform=transform, prepare=unchanged, load=load)

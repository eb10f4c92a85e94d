"""resolutions.csv -> analysts' identity decisions on POSSIBLY_SAME_AS links.

A decision is written on the link between the two records (direction: smaller id to
larger id, as the resolver writes it), keeping who and when (``decided_by``,
``decided_at``) and the whole history (``decisions``: ``"same|by|at"`` strings). The
latest decision of a pair wins; :func:`loaders.identity.apply_decisions` then
recomputes ``canonical_id`` from all decisions, so a later ``different`` undoes a
``same``. Source records are never rewritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph_service.grading import OFFICIAL_GRADING
from graph_service.store import GraphStore, LoadRun
from loaders import normalise as norm
from loaders.base import LoaderFunctions, unchanged
from loaders.cells import check_width, parse, required, subject_ref
from loaders.context import LoaderContext
from loaders.contract import CONTRACTS_BY_NAME, DECISIONS, PERSON_SUBJECT_TYPES
from loaders.csvsource import SourceRow
from loaders.rows import Key, Ref, RowError

CONTRACT = CONTRACTS_BY_NAME["resolutions.csv"]


@dataclass(frozen=True)
class DecisionRow:
    line: int
    left: str
    left_ref: Ref
    right: str
    right_ref: Ref
    decision: str
    decided_by: str
    decided_at: str

    @property
    def pair(self) -> tuple[str, str]:
        return (self.left, self.right) if self.left < self.right else (self.right, self.left)

    @property
    def entry(self) -> str:
        return f"{self.decision}|{self.decided_by}|{self.decided_at}"

    def refs(self) -> list[Ref]:
        return [self.left_ref, self.right_ref]

    def keys(self) -> list[Key]:
        return [Key("decision", (*self.pair, self.decided_at, self.decided_by), {"decision": self.decision})]

    def defines(self) -> list[tuple[str, str]]:
        return []


def transform(row: SourceRow) -> DecisionRow:
    check_width(row)
    left, left_ref = subject_ref(row, "left_type", "left_id", PERSON_SUBJECT_TYPES)
    right, right_ref = subject_ref(row, "right_type", "right_id", PERSON_SUBJECT_TYPES)
    if left == right:
        raise RowError("right_id", row.values.get("right_id", ""), "a decision about a record and itself")
    return DecisionRow(
        line=row.line,
        left=left,
        left_ref=left_ref,
        right=right,
        right_ref=right_ref,
        decision=parse(row, "decision", lambda v: norm.choice(v, DECISIONS, "decision", lower=True), need=True),
        decided_by=required(row, "decided_by"),
        decided_at=parse(row, "decided_at", norm.iso_datetime, need=True),
    )


def decision_rows(models: Sequence[DecisionRow]) -> list[dict]:
    """One row per pair: the latest decision of the batch plus every entry of its history."""
    by_pair: dict[tuple[str, str], list[DecisionRow]] = {}
    for m in models:
        by_pair.setdefault(m.pair, []).append(m)
    rows = []
    for (src, dst), decisions in sorted(by_pair.items()):
        decisions.sort(key=lambda d: (d.decided_at, d.line))
        latest = decisions[-1]
        rows.append(
            {
                "src": src,
                "dst": dst,
                "decision": latest.decision,
                "decided_by": latest.decided_by,
                "decided_at": latest.decided_at,
                "entries": [d.entry for d in decisions],
                "source": CONTRACT.name,
                "source_ref": f"{CONTRACT.name}:{latest.line}",
            }
        )
    return rows


def load(store: GraphStore, models: Sequence[DecisionRow], run: LoadRun, ctx: LoaderContext) -> None:
    rows = decision_rows(models)
    if rows:
        store.write_internal(
            "identity-decision-upsert", {"rows": rows, "grading": OFFICIAL_GRADING, "now": run.now, "run": run.run_id}
        )


LOADER = LoaderFunctions(contract=CONTRACT, transform=transform, prepare=unchanged, load=load)

"""Identity decisions by analysts: ``GET /api/v1/identity/candidates`` (the resolver's
``POSSIBLY_SAME_AS`` candidates of a record, or all undecided ones) and ``POST
/api/v1/identity/decisions`` (``same`` or ``different`` on a pair of person records).

A decision is stored exactly as a ``resolutions.csv`` row is (on the pair's
``POSSIBLY_SAME_AS`` link, the latest decision winning and every one kept in its
history; source records never rewritten), then every ``canonical_id`` is recomputed
from all decisions, so a later ``different`` undoes a ``same``. Each decision is a load
run of its own (the warm analysis graph takes it as a delta) and is audited: an
``alteration`` record, and a ``combination`` record for a ``same``, both with the
justification.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from graph_service.api.consultation import Consult
from graph_service.api.deps import StoreDep
from graph_service.grading import OFFICIAL_GRADING
from graph_service.store import GraphStore, LoadRun
from graph_service.visibility import visible

router = APIRouter(prefix="/api/v1/identity", tags=["identity"])
MAX_CANDIDATES = 500


class Candidate(BaseModel):
    left: str = Field(examples=["prisoner:A1234BC"])
    left_name: str | None = None
    right: str = Field(examples=["visitor:V000123"])
    right_name: str | None = None
    score: float | None = Field(None, examples=[0.93])
    reasons: list[str] | str | None = None
    decision: str | None = Field(None, examples=["same"])
    decided_by: str | None = None
    decided_at: str | None = None
    history: list[str] = Field(default_factory=list, description="Every decision: decision|by|at")


class Candidates(BaseModel):
    entity: str | None
    items: list[Candidate]


class DecisionIn(BaseModel):
    left: str = Field(min_length=3, max_length=255, examples=["prisoner:A1234BC"])
    right: str = Field(min_length=3, max_length=255, examples=["visitor:V000123"])
    decision: Literal["same", "different"]


class DecisionOut(BaseModel):
    left: str
    right: str
    decision: str
    decided_by: str
    decided_at: str
    run: str = Field(description="The load run the decision was written as")
    canonical: dict[str, str | None] = Field(description="Each record's canonical id after the decision")
    records_merged: int = Field(description="Records merged into another across the store, after the decision")


@router.get("/candidates", response_model=Candidates, summary="Identity candidates of a person record (or all)")
async def candidates(
    store: StoreDep,
    consult: Consult,
    entity: Annotated[str | None, Query(min_length=3, max_length=255, examples=["prisoner:A1234BC"])] = None,
    include_decided: bool = False,
    limit: Annotated[int, Query(ge=1, le=MAX_CANDIDATES)] = 100,
) -> Candidates:
    params = {"id": entity, "include_decided": include_decided, "limit": limit}
    rows = await run_in_threadpool(store.read_internal, "identity-candidates-of", params)
    agency = consult.principal.agency
    items = [Candidate(**{**r, "history": r.get("history") or []}) for r in rows if visible(r, agency)]
    await run_in_threadpool(consult.record, [i.left for i in items] + [i.right for i in items])
    return Candidates(entity=entity, items=items)


def _person(store: GraphStore, node_id: str, agency: str) -> dict[str, Any]:
    found = store.node(node_id, agency)
    if found is None or "Person" not in found["labels"]:
        raise HTTPException(status_code=404, detail=f"no person record {node_id!r}")
    return found["properties"]


def decide(store: GraphStore, body: DecisionIn, username: str, agency: str, lock: threading.Lock) -> DecisionOut:
    """Write the decision as its own load run and recompute canonical ids; ``lock``: the
    app's (canonical ids are recomputed from every decision: one at a time)."""
    from loaders.identity import apply_decisions

    if body.left == body.right:
        raise HTTPException(status_code=422, detail="a decision needs two different records")
    for node_id in (body.left, body.right):
        _person(store, node_id, agency)
    src, dst = sorted((body.left, body.right))
    now = datetime.now(UTC).isoformat(timespec="seconds")
    run = LoadRun(f"identity-{now[:10]}-{uuid.uuid4().hex[:8]}", now=now, agency=agency)
    row = {
        "src": src,
        "dst": dst,
        "decision": body.decision,
        "decided_by": username,
        "decided_at": now,
        "entries": [f"{body.decision}|{username}|{now}"],
        "source": "api",
        "source_ref": f"api:{run.run_id}",
    }
    with lock:
        store.record_run(run)
        store.write_internal(
            "identity-decision-upsert",
            {"rows": [row], "grading": OFFICIAL_GRADING, "now": now, "run": run.run_id},
        )
        summary = apply_decisions(store, run)
        store.record_run(run)
    canonical = {n: _person(store, n, agency).get("canonical_id") for n in (body.left, body.right)}
    return DecisionOut(
        left=body.left,
        right=body.right,
        decision=body.decision,
        decided_by=username,
        decided_at=now,
        run=run.run_id,
        canonical=canonical,
        records_merged=int(summary["records_merged"]),
    )


@router.post("/decisions", response_model=DecisionOut, summary="Decide whether two person records are one person")
async def decisions(body: DecisionIn, request: Request, store: StoreDep, consult: Consult) -> DecisionOut:
    principal = consult.principal
    lock = request.app.state.identity_lock
    found = await run_in_threadpool(decide, store, body, principal.username, principal.agency, lock)
    params = {"left": body.left, "right": body.right, "decision": body.decision, "run": found.run}
    await run_in_threadpool(consult.record_as, "alteration", [body.left, body.right], params=params)
    if body.decision == "same":
        await run_in_threadpool(consult.record_as, "combination", [body.left, body.right], params=params)
    return found

"""``GET /api/v1/audit`` (admins): the audit log, filtered by user, entity and time, so
that "who looked at this person, and why" is one request. Reading the log is itself a
consultation, recorded with its justification."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from graph_service.api.consultation import Consult
from graph_service.api.models import AuditPage

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("", response_model=AuditPage, summary="Audit records, filtered (admins); the chain's state")
async def audit_records(
    request: Request,
    consult: Consult,
    user: Annotated[str | None, Query(max_length=64, description="Only this user's records")] = None,
    entity: Annotated[str | None, Query(max_length=255, description="Only records naming this entity id")] = None,
    since: Annotated[str | None, Query(alias="from", max_length=40, description="From this UTC time or date")] = None,
    until: Annotated[str | None, Query(alias="to", max_length=40, description="Before this UTC time or date")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    log = request.app.state.audit

    def read() -> dict[str, Any]:
        entries = log.entries(username=user, entity_id=entity, since=since, until=until, limit=limit)
        return {"count": len(entries), "records": [e.to_json() for e in entries]}

    found = await run_in_threadpool(read)
    await run_in_threadpool(consult.record, [entity] if entity else [], params={"user": user, "entity": entity})
    return found

"""``/api/analysis``: the whole-graph analyses on the service's warm analysis graph.

The app holds one :class:`~graph_service.analytics.workspace.Workspace` for its store
(created on first use): the graph is extracted once per store version, a load is
applied to it as a delta, and each section's result is cached per version, scope and
parameters, so the second request for a section answers from memory. The work runs in
a worker thread; requests for the same result wait for the one computing it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool

from graph_service.analytics.errors import AnalyticsError
from graph_service.analytics.scoping import Scope
from graph_service.analytics.suite import SECTIONS, Options, section
from graph_service.api.consultation import Consult
from graph_service.api.deps import SettingsDep, StoreDep

router = APIRouter(tags=["analysis"])
Date = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2024-06-01"])]


def workspace(request: Request, store: Any, settings: Any) -> Any:
    """The app's workspace for ``store`` (one per app; made on first use)."""
    from graph_service.analytics.kernels import kernels_for
    from graph_service.analytics.workspace import Workspace

    state = request.app.state
    with state.workspace_lock:
        found = getattr(state, "workspace", None)
        if found is None or found.store is not store:
            found = state.workspace = Workspace(store, kernels=kernels_for(settings))
        return found


@router.get("/api/v1/analytics", summary="The analysis sections and the warm graph's state")
@router.get("/api/analysis", include_in_schema=False)
async def index(request: Request, store: StoreDep, settings: SettingsDep) -> Any:
    ws = workspace(request, store, settings)
    refresh = await run_in_threadpool(ws.refresh)
    return {"sections": list(SECTIONS), "kernels": ws.kernels.name, "graph": refresh.to_json()}


@router.get(
    "/api/v1/analytics/{name}",
    summary="One analysis section on the reader's visible graph, scoped (cached per store version and scope)",
)
@router.get("/api/analysis/{name}", include_in_schema=False)
async def one_section(
    name: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    consult: Consult,
    top: Annotated[int, Query(ge=1, le=200)] = 10,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    as_of: Date = None,
    since: Annotated[str | None, Query(alias="from", max_length=10, pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    until: Annotated[str | None, Query(alias="to", max_length=10, pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    establishment: Annotated[list[str] | None, Query(max_length=20)] = None,
    min_source_eval: Annotated[str | None, Query(pattern="^[123]$")] = None,
    min_intel_eval: Annotated[str | None, Query(pattern="^[A-Ea-e]$")] = None,
) -> Any:
    from graph_service.analytics.results import to_json

    if name not in SECTIONS:
        raise HTTPException(status_code=404, detail=f"no section {name!r}; sections: {', '.join(SECTIONS)}")
    ws = workspace(request, store, settings)
    options = Options(top=top, seed=seed, cohort_weights=settings.cohort_weights)
    try:
        scope = Scope(  # the reader's visible graph only, with the filters asked for
            as_of=as_of,
            since=since,
            until=until,
            establishments=tuple(establishment or ()),
            min_source_eval=min_source_eval,
            min_intel_eval=min_intel_eval,
            agency=consult.principal.agency,
        )
        found = await run_in_threadpool(section, ws, name, scope, options)
    except AnalyticsError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    result = to_json(found.value)
    await run_in_threadpool(consult.record, result)
    return {
        "section": name,
        "version": ws.version.seq if ws.version else 0,
        "cached": found.cached,
        "seconds": round(found.seconds, 3),
        "result": result,
    }

"""``/api/v1/analytics``: the whole-graph analyses on the service's warm analysis graph.

The app holds one :class:`~graph_service.analytics.workspace.Workspace` for its store
(created on first use): the graph is extracted once per store version, a load is
applied to it as a delta, and each result is cached per version, scope (the reader's
agency always part of it) and parameters, so the second request for a result answers
from memory. The work runs in a worker thread; requests for the same result wait for
the one computing it.

* ``GET /api/v1/analytics/{bridges,hubs,communities,cohort,keyplayers}``: a section;
* ``GET /api/v1/analytics/changes?since=&until=``: new links, new OCG members and the
  largest movers between two dates (default the 28 days before today);
* ``POST /api/v1/analytics/disruption``: remove people from the person evidence network
  (by a strategy, or those named) and follow its largest component;
* ``GET /api/v1/paths?source=&target=``: the shortest paths between two entities.

Every one takes the scoping filters (``as_of``, ``from``, ``to``, ``establishment``,
``min_source_eval``, ``min_intel_eval``) and is a consultation (audited).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from graph_service.analytics.changes import CHANGES_DAYS
from graph_service.analytics.errors import AnalyticsError
from graph_service.analytics.scoping import Scope
from graph_service.analytics.suite import SECTIONS, Options, Section, section
from graph_service.api.consultation import Consult, Consultation
from graph_service.api.deps import SettingsDep, StoreDep
from graph_service.api.models import AnalyticsAnswer, AnalyticsIndex

router = APIRouter(tags=["analysis"])
DAY = r"^(\d{4}-\d{2}-\d{2})?$"  # empty: not given (a form's blank field)
Date = Annotated[str | None, Query(max_length=10, pattern=DAY, examples=["2024-06-01"])]
MAX_STEPS = 20  # a sequential betweenness strategy computes betweenness once a step
MAX_PATHS = 50


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


@dataclass(frozen=True)
class Filters:
    """The scoping filters of a request (query parameters)."""

    as_of: str | None
    since: str | None
    until: str | None
    establishments: tuple[str, ...]
    min_source_eval: str | None
    min_intel_eval: str | None

    def scope(self, agency: str) -> Scope:
        """The reader's visible graph (``agency``), with the filters asked for."""
        try:
            return Scope(
                as_of=self.as_of,
                since=self.since,
                until=self.until,
                establishments=self.establishments,
                min_source_eval=self.min_source_eval,
                min_intel_eval=self.min_intel_eval,
                agency=agency,
            )
        except AnalyticsError as error:
            raise HTTPException(status_code=422, detail=str(error)) from None


def filters(
    as_of: Date = None,
    since: Annotated[str | None, Query(alias="from", max_length=10, pattern=DAY, description="Links from")] = None,
    until: Annotated[str | None, Query(alias="to", max_length=10, pattern=DAY, description="Links until")] = None,
    establishment: Annotated[list[str] | None, Query(max_length=20, description="Only these establishments")] = None,
    min_source_eval: Annotated[str | None, Query(pattern="^[123]?$")] = None,
    min_intel_eval: Annotated[str | None, Query(pattern="^[A-Ea-e]?$")] = None,
) -> Filters:
    """The filters given; a blank field (an empty value) is not given."""
    return Filters(
        as_of or None,
        since or None,
        until or None,
        tuple(e for e in establishment or () if e),
        min_source_eval or None,
        min_intel_eval or None,
    )


FiltersDep = Annotated[Filters, Depends(filters)]
Top = Annotated[int, Query(ge=1, le=200)]
Seed = Annotated[int, Query(ge=0, le=2**31 - 1)]


async def answer(ws: Any, consult: Consultation, scope: Scope, found: Section) -> dict[str, Any]:
    """The answer of one analysis, recorded as a consultation of the entities it names."""
    from graph_service.analytics.results import to_json

    result = to_json(found.value)
    await run_in_threadpool(consult.record, result)
    return {
        "section": found.name,
        "version": ws.version.seq if ws.version else 0,
        "cached": found.cached,
        "seconds": round(found.seconds, 3),
        "scope": scope.to_dict(),
        "result": result,
    }


async def computed(ws: Any, consult: Consultation, name: str, scope: Scope, params: tuple, compute: Any) -> Section:
    """``compute()`` through the workspace's cache, timed; analytics errors are 422s,
    recorded as consultations too (a negative answer is still an answer about people)."""
    import time

    taken: list[float] = []

    def timed() -> Any:
        started = time.perf_counter()
        value = compute()
        taken.append(time.perf_counter() - started)
        return value

    try:
        value = await run_in_threadpool(ws.result, name, scope, params, timed)
    except AnalyticsError as error:
        await run_in_threadpool(
            consult.record, [p for p in params if isinstance(p, str)], params={"refused": str(error)}
        )
        raise HTTPException(status_code=422, detail=str(error)) from None
    return Section(name, value, taken[0] if taken else 0.0, cached=not taken)


@router.get("/api/v1/analytics", response_model=AnalyticsIndex, summary="The analysis sections and the warm graph")
@router.get("/api/analysis", response_model=AnalyticsIndex, include_in_schema=False)
async def index(request: Request, store: StoreDep, settings: SettingsDep) -> Any:
    """The warm graph's state (what its last refresh read) only for admins: its counts
    and run ids cover every agency's facts."""
    from graph_service.api.auth import allowed

    ws = workspace(request, store, settings)
    refresh = await run_in_threadpool(ws.refresh)
    shown = refresh.to_json() if allowed(request.state.principal.role, "loads") else None
    return {
        "sections": [*SECTIONS, "changes", "disruption"],
        "kernels": ws.kernels.name,
        "version": refresh.seq,
        "graph": shown,
    }


@router.get(
    "/api/v1/analytics/changes",
    response_model=AnalyticsAnswer,
    summary="What changed between two dates: new links, new OCG members, the largest movers",
)
async def changes(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    consult: Consult,
    given: FiltersDep,
    since: Annotated[str | None, Query(max_length=10, pattern=DAY, description="Default: 28 days before until")] = None,
    until: Annotated[str | None, Query(max_length=10, pattern=DAY, description="Default: today")] = None,
    top: Top = 10,
) -> Any:
    from graph_service.analytics.changes import changes_between

    until = until or date.today().isoformat()
    since = since or None
    try:
        since = since or (date.fromisoformat(until) - timedelta(days=CHANGES_DAYS)).isoformat()
    except (ValueError, OverflowError):
        raise HTTPException(
            status_code=422, detail=f"until: {until!r} is not a date {CHANGES_DAYS} days after another"
        ) from None
    # Both dates are applied by the analysis itself; the other filters at each date.
    scope = replace(given, as_of=None, since=None, until=None).scope(consult.principal.agency)
    replace(given, as_of=since, since=None, until=None).scope(consult.principal.agency)  # real dates only
    replace(given, as_of=until, since=None, until=None).scope(consult.principal.agency)
    ws = workspace(request, store, settings)

    def compute() -> Any:
        return changes_between(ws.base(), since, until, scope=scope, cohort_weights=settings.cohort_weights, top=top)

    params = (since, until, top, str(settings.cohort_weights))
    return await answer(ws, consult, scope, await computed(ws, consult, "changes", scope, params, compute))


class DisruptionRun(BaseModel):
    """How to choose the people removed: a strategy, or ``remove`` (in this order)."""

    strategy: Literal["degree", "betweenness", "kpp"] = Field("degree", examples=["betweenness"])
    mode: Literal["sequential", "block"] = Field(
        "sequential", description="sequential: choose again after each removal; block: choose all at once"
    )
    steps: int = Field(5, ge=1, le=MAX_STEPS)
    remove: list[str] | None = Field(
        None, max_length=MAX_STEPS, description="Ids to remove, one a step", examples=[["prisoner:A1234BC"]]
    )
    seed: int = Field(0, ge=0, le=2**31 - 1)


@router.post(
    "/api/v1/analytics/disruption",
    response_model=AnalyticsAnswer,
    summary="Simulate removing people from the person evidence network (the largest component after each step)",
)
async def disruption(
    body: DisruptionRun,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    consult: Consult,
    given: FiltersDep,
) -> Any:
    from graph_service.analytics.disruption import evidence_network, simulate

    scope = given.scope(consult.principal.agency)
    ws = workspace(request, store, settings)
    remove = await run_in_threadpool(lambda: tuple(map(ws.canonical, body.remove)) if body.remove else None)
    if remove and len(set(remove)) < len(remove):
        raise HTTPException(
            status_code=422, detail="remove: name each person once (records decided to be one person count once)"
        )

    def compute() -> Any:
        return simulate(
            evidence_network(ws.people(scope)),
            strategy=body.strategy,
            mode=body.mode,
            steps=body.steps,
            remove=remove,
            seed=body.seed,
            exact_max_nodes=settings.betweenness_exact_max_nodes,
            samples=settings.betweenness_samples,
            kernels=ws.kernels,
        )

    params = (body.strategy, body.mode, body.steps, remove, body.seed)
    return await answer(ws, consult, scope, await computed(ws, consult, "disruption", scope, params, compute))


@router.get(
    "/api/v1/paths",
    response_model=AnalyticsAnswer,
    summary="The shortest paths between two entities, with the links of each step",
)
async def paths(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    consult: Consult,
    given: FiltersDep,
    source: Annotated[str, Query(min_length=3, max_length=255, examples=["staff:S100"])],
    target: Annotated[str, Query(min_length=3, max_length=255, examples=["prisoner:A1234BC"])],
    max_hops: Annotated[int, Query(ge=1, le=6)] = 4,
    all_paths: Annotated[bool, Query(alias="all", description="Every shortest path, or one")] = True,
    max_paths: Annotated[int, Query(ge=1, le=MAX_PATHS)] = 20,
    include_places: Annotated[bool, Query(description="Also step through prisons and postcodes")] = False,
) -> Any:
    from graph_service.analytics.paths import shortest_paths

    scope = given.scope(consult.principal.agency)
    ws = workspace(request, store, settings)
    ends = await run_in_threadpool(lambda: (ws.canonical(source), ws.canonical(target)))

    def compute() -> Any:
        return shortest_paths(
            ws.graph(scope),
            *ends,
            max_hops=max_hops,
            all_paths=all_paths,
            max_paths=max_paths,
            include_places=include_places,
        )

    params = (*ends, max_hops, all_paths, max_paths, include_places)
    return await answer(ws, consult, scope, await computed(ws, consult, "paths", scope, params, compute))


@router.get(
    "/api/v1/analytics/{name}",
    response_model=AnalyticsAnswer,
    summary="One analysis section on the reader's visible graph, scoped (cached per store version and scope)",
)
@router.get("/api/analysis/{name}", response_model=AnalyticsAnswer, include_in_schema=False)
async def one_section(
    name: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    consult: Consult,
    given: FiltersDep,
    top: Top = 10,
    seed: Seed = 0,
) -> Any:
    if name not in SECTIONS:
        raise HTTPException(status_code=404, detail=f"no section {name!r}; sections: {', '.join(SECTIONS)}")
    ws = workspace(request, store, settings)
    options = Options(top=top, seed=seed, cohort_weights=settings.cohort_weights)
    scope = given.scope(consult.principal.agency)
    try:
        found = await run_in_threadpool(section, ws, name, scope, options)
    except AnalyticsError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    return await answer(ws, consult, scope, found)

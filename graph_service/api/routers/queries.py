"""The query library and the read-only Cypher console.

``GET /queries`` (page) and ``GET /api/v1/queries`` (JSON) list the named queries of
``cypher/queries`` with their descriptions and parameters. ``POST /api/v1/queries/{name}``
runs one, ``POST /api/v1/queries/cypher`` runs ad-hoc Cypher (``{"query": ..., "params":
{...}}``); both read-only (the engine refuses writes), with a row cap and the store's
time limit. ``GET /console`` is the page. (``/api/queries`` and ``/api/cypher`` are the
unversioned names of the same routes, kept for scripts written against them.)
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from graph_service.api.consultation import Consult
from graph_service.api.deps import SettingsDep, StoreDep, TemplatesDep
from graph_service.api.models import QueryAnswer, QueryInfo
from graph_service.api.problems import problem
from graph_service.cypher_library import MissingParameter, NamedQuery, UnknownQuery
from graph_service.settings import Settings
from graph_service.store import GraphStore, QueryResult, QueryTimeout, ReadOnlyViolation, StoreError
from graph_service.store.guard import StatementRefused, check_console_statement

router = APIRouter(tags=["queries"])


class ConsoleSlots:
    """At most ``per_user`` console queries of one user and ``total`` of all users at
    once, so that a busy console never stops the rest of the service answering."""

    def __init__(self, per_user: int, total: int) -> None:
        self.per_user, self.total = per_user, total
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}

    def take(self, username: str) -> str | None:
        """None when a slot was taken, else why not."""
        with self._lock:
            if self._running.get(username, 0) >= self.per_user:
                return f"you have {self.per_user} console queries running: wait for one to finish"
            if sum(self._running.values()) >= self.total:
                return f"{self.total} console queries are running: try again in a moment"
            self._running[username] = self._running.get(username, 0) + 1
            return None

    def give_back(self, username: str) -> None:
        with self._lock:
            self._running[username] -= 1
            if not self._running[username]:
                del self._running[username]


READ_ONLY_MESSAGE = (
    "Refused: the console and named queries are read-only, and this query tries to change the graph "
    "(CREATE, MERGE, SET, DELETE, REMOVE or a writing procedure). Data changes only through the loaders."
)


class QueryRun(BaseModel):
    params: dict[str, Any] = Field(
        default_factory=dict, description="Values of the query's $parameters", examples=[{"id": "prisoner:A1234BC"}]
    )
    row_cap: int | None = Field(None, ge=1, description="Most rows to return (at most MARSOC_ROW_CAP)")


def _console_example(schema: dict[str, Any]) -> None:
    """The OpenAPI example of a console statement: a query of the library (its text is
    validated with the library's own tests, like every statement of the product)."""
    from graph_service.cypher_library import CYPHER_DIR, parse_file

    example = parse_file(CYPHER_DIR / "queries" / "ocg_members.cypher")
    schema["properties"]["query"]["examples"] = [example.text]
    schema["properties"]["params"]["examples"] = [{"ocg_urn": "OCG-0001", "limit": 20}]


class CypherRun(QueryRun):
    model_config = ConfigDict(json_schema_extra=_console_example)

    query: str = Field(
        ...,
        min_length=1,
        max_length=20_000,
        validation_alias=AliasChoices("query", "cypher"),
        description="One read-only Cypher statement",
    )


def describe(query: NamedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "description": query.description,
        "params": [
            {"name": p, "required": p not in query.defaults, "default": query.defaults.get(p)} for p in query.params
        ],
        "text": query.text,
    }


def library_listing(store: GraphStore) -> list[dict[str, Any]]:
    return [describe(store.library.get(name)) for name in store.library.names()]


def hidden_from(request: Request, store: GraphStore, agency: str) -> int:
    """How many facts the store holds that a user of ``agency`` may not see (cached per
    store version): the console and named queries cannot filter arbitrary Cypher, so
    they are refused to a user while the store holds any."""
    cache: dict[tuple[Any, str], int] = request.app.state.hidden_facts
    key = (store.version(), agency)
    if key not in cache:
        if len(cache) > 64:
            cache.clear()
        cache[key] = int(store.read_internal("hidden-facts-count", {"agency": agency})[0]["n"] or 0)
    return cache[key]


def _withheld(request: Request, store: GraphStore) -> JSONResponse | None:
    agency = request.state.principal.agency
    hidden = hidden_from(request, store, agency)
    if not hidden:
        return None
    detail = (
        f"Refused: the store holds handling C facts of other agencies that {agency} users may not see, "
        "and a query of your own cannot be filtered safely. Use the maps, search and analytics, which show "
        "your agency's view."
    )
    return problem(403, detail, error="withheld")


def _cap(settings: Settings, requested: int | None) -> int:
    return min(requested or settings.row_cap, settings.row_cap)


def _answer(result: QueryResult, cap: int, **extra: Any) -> dict[str, Any]:
    return {
        **extra,
        "columns": result.columns,
        "rows": result.rows,
        "row_count": len(result.rows),
        "truncated": result.truncated,
        "row_cap": cap,
        "elapsed_ms": result.elapsed_ms,
    }


def _refusal(error: Exception) -> JSONResponse:
    if isinstance(error, ReadOnlyViolation):
        return problem(403, READ_ONLY_MESSAGE, error="read_only")
    if isinstance(error, QueryTimeout):
        return problem(504, f"Stopped: {error}", error="timeout")
    if isinstance(error, UnknownQuery):
        return problem(404, str(error), error="unknown_query")
    if isinstance(error, MissingParameter):
        return problem(422, str(error), error="missing_parameter")
    return problem(400, f"The query failed: {error}", error="query_error")


@router.get("/api/v1/queries", response_model=list[QueryInfo], summary="The named queries of the library")
@router.get("/api/queries", response_model=list[QueryInfo], include_in_schema=False)
def queries_json(store: StoreDep) -> list[dict[str, Any]]:
    return library_listing(store)


@router.post("/api/v1/queries/cypher", response_model=QueryAnswer, summary="Run ad-hoc Cypher, read-only")
@router.post("/api/cypher", response_model=QueryAnswer, include_in_schema=False)
async def run_cypher(
    body: CypherRun, request: Request, store: StoreDep, settings: SettingsDep, consult: Consult
) -> Any:
    """One read statement; LOAD CSV, procedures other than schema introspection and
    plug-in functions are refused with the reason (``graph_service.store.guard``); at
    most ``MARSOC_CONSOLE_PER_USER`` running per user and ``MARSOC_CONSOLE_TOTAL`` in all."""
    try:
        check_console_statement(body.query)
    except StatementRefused as error:
        return problem(403, f"Refused: {error}.", error="refused")
    withheld = await run_in_threadpool(_withheld, request, store)
    if withheld is not None:
        return withheld
    cap = _cap(settings, body.row_cap)
    username = request.state.principal.username
    slots: ConsoleSlots = request.app.state.console_slots
    busy = slots.take(username)
    if busy is not None:
        return problem(429, f"Not run: {busy}.", error="busy")
    try:
        result = await run_in_threadpool(lambda: store.query(body.query, body.params, row_cap=cap))
    except StoreError as error:
        return _refusal(error)
    finally:
        slots.give_back(username)
    await run_in_threadpool(consult.record, result.rows, params={"cypher": body.query, "params": body.params})
    return _answer(result, cap, cautions=store.cautions(body.query))


@router.post("/api/v1/queries/{name}", response_model=QueryAnswer, summary="Run a named query, read-only")
@router.post("/api/queries/{name}", response_model=QueryAnswer, include_in_schema=False)
async def run_named(
    name: str, body: QueryRun, request: Request, store: StoreDep, settings: SettingsDep, consult: Consult
) -> Any:
    withheld = await run_in_threadpool(_withheld, request, store)
    if withheld is not None:
        return withheld
    cap = _cap(settings, body.row_cap)
    try:
        result = await run_in_threadpool(lambda: store.run_named(name, body.params, row_cap=cap))
    except (StoreError, UnknownQuery, MissingParameter) as error:
        return _refusal(error)
    await run_in_threadpool(consult.record, result.rows, params={"query": name, "params": body.params})
    return _answer(result, cap, query=name)


@router.get("/queries", response_class=HTMLResponse, summary="The query library (page)")
def queries_page(request: Request, store: StoreDep, templates: TemplatesDep) -> HTMLResponse:
    return templates.TemplateResponse(request, "queries.html", {"queries": library_listing(store)})


def cypher_schema(store: GraphStore) -> dict[str, list[str]]:
    """What the console's editor completes: the labels and link types in the store (its
    catalogue), the properties the schema declares, and the grading and provenance keys."""
    from graph_service.schema import GRADING_PROPERTIES, LINK_TYPES, NODE_TYPES, PROVENANCE_PROPERTIES

    counts = store.counts()
    keys = {"id", "name", "namespace", "canonical_id", *GRADING_PROPERTIES, *PROVENANCE_PROPERTIES}
    keys |= {n.key for n in NODE_TYPES} | {p for n in NODE_TYPES for p in n.indexed}
    keys |= {p for t in LINK_TYPES for p in (*t.properties, *t.key)}
    return {
        "labels": sorted(counts["nodes"]),
        "relationshipTypes": sorted(counts["links"]),
        "propertyKeys": sorted(keys),
    }


@router.get("/console", response_class=HTMLResponse, summary="The read-only Cypher console (page)")
def console_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    query: Annotated[str, Query(description="Named query to select")] = "",
) -> HTMLResponse:
    from viz.network_map import LABEL_STYLES, script_json

    listing = library_listing(store)
    styles = [{"label": s.label, "colour": s.colour, "shape": s.shape, "size": s.size} for s in LABEL_STYLES]
    editor_schema = cypher_schema(store)
    return templates.TemplateResponse(
        request,
        "console.html",
        {
            "queries": listing,
            "selected": query if query in store.library.queries else "",
            "row_cap": settings.row_cap,
            "library_json": script_json(listing),
            "styles_json": script_json(styles),
            "schema_json": script_json(editor_schema),
        },
    )

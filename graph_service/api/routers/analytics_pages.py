"""The analytics pages: the whole-graph analyses in the browser, on the reader's visible graph.

``GET /analytics`` lists them; ``GET /analytics/{bridges,hubs,cohort,communities,keyplayers,changes,disruption}``
is a page with the scoping filters and the section's own parameters. The page answers at
once and fetches its result (``?part=result``, the same address) with a small script,
showing a progress indicator and the time waited while a first computation runs; the
result comes from the same code as ``/api/v1/analytics`` (cached per store version,
scope and parameters, and recorded as a consultation of the entities it names).
``GET /analytics/bridges/{id}`` is one bridge's evidence: its paths drawn as a map, each
step's graded facts listed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode

import networkx as nx
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from graph_service.analytics.suite import SECTIONS
from graph_service.api.auth import allowed
from graph_service.api.consultation import Consult
from graph_service.api.deps import SettingsDep, StoreDep, TemplatesDep
from graph_service.api.routers import analysis
from graph_service.api.routers.analysis import DAY, MAX_STEPS, FiltersDep, Seed, Top
from viz import network_map
from viz.briefing import evidence_graph

router = APIRouter(tags=["analytics pages"])

PAGES: dict[str, tuple[str, str]] = {
    "bridges": (
        "Corruption bridges",
        "Staff whose graded contacts, intelligence or identity links reach an organised crime group, "
        "ranked by the weight of that evidence, with the paths that carry it.",
    ),
    "hubs": (
        "Custody-to-community hubs",
        "Phones and people outside that connect prisoners to the community and to OCG members, with their parts.",
    ),
    "cohort": (
        "Cohort priority",
        "People ranked for the hub's cohort: network position, OCG band, intelligence and recency, each shown.",
    ),
    "communities": (
        "Communities",
        "Groups of closely linked people (Leiden on the person evidence network) and how they overlap known OCGs.",
    ),
    "keyplayers": (
        "Key players",
        "The few people whose removal most fragments the evidence network, and those who together reach the most.",
    ),
    "changes": (
        "Changes",
        "New links, new OCG members and the largest movers in the rankings between two dates "
        f"(default the {analysis.CHANGES_DAYS} days before today).",
    ),
    "disruption": (
        "Disruption simulator",
        "Remove people from the person evidence network, by a strategy or by name, and follow its largest component.",
    ),
}
Part = Annotated[Literal["page", "result"], Query(description="result: only the result (fetched by the page)")]
DayParam = Annotated[str | None, Query(max_length=10, pattern=DAY)]


def _names(graph: nx.MultiDiGraph) -> Any:
    def name(node_id: Any) -> str:
        return network_map.display_name(str(node_id), graph.nodes.get(node_id, {}))

    return name


def _query(request: Request) -> str:
    """The request's query string without ``part`` (for links that keep the scope)."""
    return urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "part"])


def _top(request: Request) -> int:
    """How many to list (the routes that take ``top`` have checked it; others list 20)."""
    given = request.query_params.get("top", "")
    return int(given) if given.isdigit() and 1 <= int(given) <= 200 else 20


def _page(request: Request, templates: Any, store: Any, name: str, context: dict[str, Any]) -> HTMLResponse:
    title, about = PAGES[name]
    establishments = sorted(r["id"] for r in store.read_internal("label-node-ids", label="Establishment"))
    return templates.TemplateResponse(
        request,
        "analytics.html",
        {
            "name": name,
            "title": title,
            "about": about,
            "pages": PAGES,
            "given": dict(request.query_params),
            "chosen_establishments": request.query_params.getlist("establishment"),
            "establishments": establishments,
            "result_url": f"/analytics/{name}?" + urlencode([*parse_qsl(_query(request)), ("part", "result")]),
            **context,
        },
    )


def _result(request: Request, templates: Any, name: str, answer: dict[str, Any], graph: Any) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        f"analytics/_{name}.html",
        {
            "answer": answer,
            "result": answer["result"],
            "name_of": _names(graph),
            "query": _query(request),
            "top": _top(request),
        },
    )


@router.get("/analytics", response_class=HTMLResponse, summary="The analytics pages")
def analytics_index(request: Request, templates: TemplatesDep) -> HTMLResponse:
    return templates.TemplateResponse(request, "analytics_index.html", {"pages": PAGES})


@router.get("/analytics/changes", response_class=HTMLResponse, summary="Changes between two dates (page)")
async def changes_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    consult: Consult,
    given: FiltersDep,
    since: DayParam = None,
    until: DayParam = None,
    top: Top = 10,
    part: Part = "page",
) -> HTMLResponse:
    if part == "page":
        return _page(request, templates, store, "changes", {"top": top})
    found = await analysis.changes(request, store, settings, consult, given, since, until, top)
    ws = analysis.workspace(request, store, settings)
    return _result(request, templates, "changes", found, ws.base())


@router.get("/analytics/disruption", response_class=HTMLResponse, summary="The disruption simulator (page)")
async def disruption_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    consult: Consult,
    given: FiltersDep,
    strategy: Literal["degree", "betweenness", "kpp"] = "degree",
    mode: Literal["sequential", "block"] = "sequential",
    steps: Annotated[int, Query(ge=1, le=MAX_STEPS)] = 5,
    remove: Annotated[str | None, Query(max_length=4000, description="Ids to remove, comma-separated")] = None,
    seed: Seed = 0,
    part: Part = "page",
) -> HTMLResponse:
    if part == "page":
        return _page(request, templates, store, "disruption", {"max_steps": MAX_STEPS})
    chosen = [i.strip() for i in (remove or "").split(",") if i.strip()]
    try:
        body = analysis.DisruptionRun(
            strategy=strategy, mode=mode, steps=len(chosen) or steps, remove=chosen or None, seed=seed
        )
    except ValueError as error:
        raise HTTPException(status_code=422, detail=f"remove: at most {MAX_STEPS} people ({error})") from None
    found = await analysis.disruption(body, request, store, settings, consult, given)
    ws = analysis.workspace(request, store, settings)
    return _result(request, templates, "disruption", found, ws.base())


@router.get(
    "/analytics/briefing", response_class=HTMLResponse, summary="The hub meeting's briefing pack (page, download)"
)
async def briefing_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    consult: Consult,
    given: FiltersDep,
    since: DayParam = None,
    until: DayParam = None,
    top: Annotated[int, Query(ge=1, le=20)] = 5,
    download: bool = False,
    recipients: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    from graph_service.api.routers.maps import disclosure_recipients
    from viz.briefing import briefing_pack, meeting_period

    role = consult.principal.role
    if not download:
        return templates.TemplateResponse(
            request,
            "briefing_form.html",
            {"top": top, "given": dict(request.query_params), "can_export": allowed(role, "exports")},
        )
    names = disclosure_recipients(role, recipients)
    try:
        period = meeting_period(since or None, until or None)
    except ValueError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    scope = given.scope(consult.principal.agency)
    ws = analysis.workspace(request, store, settings)

    def build() -> Any:
        return briefing_pack(
            ws,
            scope,
            user=consult.principal.username,
            agency=consult.principal.agency,
            purpose=consult.justification,
            recipients=names,
            since=period[0],
            until=period[1],
            top=top,
            marking=settings.protective_marking,
            cohort_weights=settings.cohort_weights,
        )

    pack = await run_in_threadpool(build)
    params = {"since": period[0], "until": period[1], "top": top}
    await run_in_threadpool(lambda: consult.record_as("disclosure", pack.entities, params=params, recipients=names))
    return Response(
        pack.html,
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="briefing-{period[1]}.html"'},
    )


@router.get("/analytics/bridges/{node_id:path}", response_class=HTMLResponse, summary="One bridge's evidence (page)")
async def bridge_page(
    node_id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    consult: Consult,
    given: FiltersDep,
    top: Top = 20,
    seed: Seed = 0,
) -> HTMLResponse:
    found = await analysis.one_section("bridges", request, store, settings, consult, given, top, seed)
    ws = analysis.workspace(request, store, settings)
    wanted = await run_in_threadpool(ws.canonical, node_id)
    bridge = next((b for b in found["result"]["results"] if b["id"] == wanted), None)
    if bridge is None:
        raise HTTPException(status_code=404, detail=f"{node_id!r} is not among the top {top} bridges of this scope")
    scope = given.scope(consult.principal.agency)
    graph = await run_in_threadpool(ws.graph, scope)
    shown = evidence_graph(graph, bridge)
    net = network_map.build_network(shown, focus=wanted)
    payload = network_map.map_payload(net)
    payload["mapBase"] = "/map/"
    payload["mapQuery"] = ""
    payload["expandBase"] = "/api/v1/map-data/"
    return templates.TemplateResponse(
        request,
        "bridge.html",
        {
            "bridge": bridge,
            "name_of": _names(graph),
            "back_url": "/analytics/bridges" + ("?" + _query(request) if request.query_params else ""),
            "map_label": f"Map of the evidence paths of {bridge['name'] or bridge['id']}",
            **network_map.page_context(shown, payload),
        },
    )


@router.get("/analytics/{name}", response_class=HTMLResponse, summary="One analysis section (page)")
async def section_page(
    name: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    consult: Consult,
    given: FiltersDep,
    top: Top = 20,
    seed: Seed = 0,
    part: Part = "page",
) -> HTMLResponse:
    if name not in SECTIONS:
        raise HTTPException(status_code=404, detail=f"no analytics page {name!r}; pages: {', '.join(PAGES)}")
    if part == "page":
        return _page(request, templates, store, name, {"top": top})
    found = await analysis.one_section(name, request, store, settings, consult, given, top, seed)
    ws = analysis.workspace(request, store, settings)
    graph = await run_in_threadpool(ws.graph, given.scope(consult.principal.agency))
    return _result(request, templates, name, found, graph)

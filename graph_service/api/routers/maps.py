"""Network maps: ``GET /map/{node_id}`` (offline interactive page), ``GET /api/network/{node_id}`` (JSON).

The map of a node is its ``hops``-link neighbourhood, extracted with
:meth:`GraphStore.subgraph` and drawn with vis-network inlined from pyvis's own copy
(see :mod:`viz.network_map`). Expansion stops at ``max_nodes`` and the page says so.
By default custody and employment links (``HELD_AT``, ``EMPLOYED_AT``) are not
followed from a person: through a prison they reach everyone held or working there.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import networkx as nx
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from graph_service.api.auth import ACCESS, allowed
from graph_service.api.consultation import Consult
from graph_service.api.deps import SettingsDep, StoreDep, TemplatesDep
from graph_service.api.models import MapData, Network
from graph_service.schema import LINK_TYPES, PLACE_LINK_TYPES, link_type
from graph_service.store import GraphStore, SubgraphFilter
from viz import network_map

router = APIRouter(tags=["maps"])

DEFAULT_HOPS = 2
MAX_HOPS = 4
DEFAULT_MAX_NODES = 250
MAX_MAX_NODES = 10_000
WEBGL_ABOVE = 2000  # larger maps are drawn by the WebGL view (vis-network: 2.3 s for 2,000)
# Not followed by default (schema.PLACE_LINK_TYPES): a prison links everyone held or working there.

HopsParam = Annotated[int, Query(ge=0, le=MAX_HOPS, description="Links to follow from the centre node")]
MaxNodesParam = Annotated[int, Query(ge=1, le=MAX_MAX_NODES, description="Stop expanding past this many nodes")]
TypesParam = Annotated[
    list[str] | None,
    Query(description="Link types to follow (repeat the parameter); default: all but HELD_AT and EMPLOYED_AT"),
]


def find_node(store: GraphStore, node_id: str, agency: str | None) -> dict[str, Any]:
    """The node as a user of ``agency`` may see it; 404 when absent or not visible (one answer)."""
    found = store.node(node_id, agency)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no node with id {node_id!r} in the store")
    return found


def present_link_types(store: GraphStore) -> list[str]:
    """Link types the store holds links of (declared ones first, then other intelligence
    types; the catalogue also names declared types with no link, for their indexes)."""
    found = set(store.link_counts())
    declared = [t.type for t in LINK_TYPES if t.type in found]
    others = sorted(t for t in found if t not in declared and re.fullmatch(r"[A-Z][A-Z0-9_]*", t))
    return declared + others


def choose_link_types(store: GraphStore, centre: dict[str, Any], requested: list[str] | None) -> tuple[list[str], bool]:
    """The link types to follow and whether they are the defaults."""
    available = present_link_types(store)
    if requested:
        # Only types the schema declares or the store holds reach the Cypher text.
        unknown = sorted(set(requested) - set(available) - {t.type for t in LINK_TYPES})
        if unknown:
            raise HTTPException(status_code=422, detail=f"unknown link type(s): {', '.join(unknown)}")
        chosen = {link_type(name).type for name in requested}
        return sorted(chosen, key=lambda t: (available.index(t) if t in available else 999, t)), False
    if "Establishment" in centre["labels"]:
        return available, True
    return [t for t in available if t not in PLACE_LINK_TYPES], True


def extract(
    store: GraphStore,
    node_id: str,
    hops: int,
    types: list[str],
    max_nodes: int,
    agency: str | None = None,
    light: bool = False,
) -> nx.MultiDiGraph:
    """The node's neighbourhood as a user of ``agency`` may see it (``graph_service.visibility``);
    ``light``: only what the WebGL view draws (names; the links' handling conditions)."""
    flt = SubgraphFilter(
        node_ids=(node_id,),
        hops=hops if types else 0,  # nothing to follow: the node alone
        link_types=tuple(types) if types else None,
        max_nodes=max_nodes,
        agency=agency,
        node_properties=network_map.NAME_KEYS if light else None,
        link_properties=network_map.LIGHT_LINK_PROPERTIES if light else None,
    )
    return store.subgraph(flt)


def shown_ids(graph: nx.MultiDiGraph) -> list[str]:
    """The ids a map shows, for its audit record: its nodes, and the OCGs and
    establishments its group nodes are named after (``GraphStore._fold``)."""
    groups = (graph.graph.get("folded") or {}).get("groups") or []
    named = [str(g["key"]) for g in groups if g["by"] in ("ocg", "establishment")]
    return [str(n) for n in graph.nodes] + [k for k in dict.fromkeys(named) if k not in graph]


MAX_RECIPIENTS = 20


def disclosure_recipients(role: str, given: str | None) -> list[str]:
    """The recipients of an export (1-20 names); 403 for a role without exports."""
    if not allowed(role, "exports"):
        raise HTTPException(status_code=403, detail=f"{role} users may not use exports; it needs {ACCESS['exports']}")
    names = [n.strip() for n in re.split(r"[,;\n]", given or "") if n.strip()]
    if not names:
        raise HTTPException(
            status_code=422,
            detail="say who the map is for: recipients (for example 'Op ATLAS hub meeting, DS Khan'); "
            "every export is recorded as a disclosure to them",
        )
    if len(names) > MAX_RECIPIENTS or any(len(n) > 100 for n in names):
        raise HTTPException(status_code=422, detail=f"at most {MAX_RECIPIENTS} recipients of 100 characters each")
    return names


def cap_note(graph: nx.MultiDiGraph, hops: int, max_nodes: int) -> str | None:
    """What the node limit left out, exactly: how many nodes at the hop where it stopped,
    of which kinds, and that the hops beyond were not followed."""
    if not graph.graph.get("capped"):
        return None
    note = (
        f"Map cut at {max_nodes} nodes: the {hops}-hop network is larger. It shows the "
        f"{graph.number_of_nodes()} nodes nearest the centre"
    )
    folded = graph.graph.get("folded")
    if folded:
        kinds = network_map.kinds_text(folded["by_kind"])
        beyond = " and the hops beyond them were not followed" if folded["hop"] < hops else ""
        note += f"; {folded['count']:,} more at hop {folded['hop']} are not drawn ({kinds}){beyond}"
        groups = folded.get("groups") or []
        if groups:
            note += f"; they are drawn as {len(groups)} group node{'s' if len(groups) != 1 else ''} (by organised crime group, establishment or kind)"
    return note + ". Follow fewer hops or fewer link types, or raise the node limit, to see all of it."


@router.get(
    "/api/v1/network/{node_id:path}",
    response_model=Network,
    summary="The k-hop network of a node, as the reader may see it",
)
@router.get("/api/network/{node_id:path}", response_model=Network, include_in_schema=False)
def network_api(
    node_id: str,
    store: StoreDep,
    consult: Consult,
    hops: HopsParam = DEFAULT_HOPS,
    max_nodes: MaxNodesParam = DEFAULT_MAX_NODES,
    types: TypesParam = None,
) -> dict[str, Any]:
    centre = find_node(store, node_id, consult.principal.agency)
    chosen, _ = choose_link_types(store, centre, types)
    graph = extract(store, node_id, hops, chosen, max_nodes, consult.principal.agency)
    consult.record(shown_ids(graph))
    return {
        "centre": node_id,
        "hops": hops,
        "max_nodes": max_nodes,
        "link_types": chosen,
        "note": cap_note(graph, hops, max_nodes),
        "folded": graph.graph.get("folded"),
        **network_map.network_json(graph),
    }


@router.get(
    "/api/v1/map-data/{node_id:path}",
    response_model=MapData,
    summary="The k-hop network of a node as the map script draws it (an expansion of a map in place)",
)
def map_data_api(
    node_id: str,
    store: StoreDep,
    consult: Consult,
    hops: HopsParam = 1,
    max_nodes: MaxNodesParam = DEFAULT_MAX_NODES,
    types: TypesParam = None,
) -> dict[str, Any]:
    """``{centre, nodes, edges, note}``: vis-network nodes and links styled as on the map
    page, only what the reader may see."""
    centre = find_node(store, node_id, consult.principal.agency)
    chosen, _ = choose_link_types(store, centre, types)
    graph = extract(store, node_id, hops, chosen, max_nodes, consult.principal.agency)
    # No group nodes in an expansion: they would count nodes the page already draws
    # (the note still says what the limit left out).
    if graph.graph.get("folded"):
        graph.graph["folded"] = {k: v for k, v in graph.graph["folded"].items() if k != "groups"}
    consult.record([str(n) for n in graph.nodes])
    payload = network_map.map_payload(network_map.build_network(graph))
    return {
        "centre": node_id,
        "nodes": payload["nodes"],
        "edges": payload["edges"],
        "note": cap_note(graph, hops, max_nodes),
    }


def big_map_page(
    request: Request,
    templates: Any,
    graph: nx.MultiDiGraph,
    centre: dict[str, Any],
    name: str,
    title: str,
    hops: int,
    note: str | None,
) -> HTMLResponse:
    """A large map drawn with WebGL (sigma.js) from compact data (see ``viz.network_map.compact_payload``)."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "renderer"]
    from urllib.parse import urlencode

    return templates.TemplateResponse(
        request,
        "bigmap.html",
        {
            "title": title,
            "centre": centre,
            "name": name,
            "hops": hops,
            "note": note,
            "node_count": graph.number_of_nodes(),
            "link_count": graph.number_of_edges(),
            "legend": network_map.legend(graph),
            "data_json": network_map.script_json(network_map.compact_payload(graph, focus=centre["id"])),
            "vis_url": request.url.path + "?" + urlencode([*query, ("renderer", "vis")]),
            "map_css": network_map.map_css(),
            "handling_conditions": network_map.handling_conditions(graph),
        },
    )


SCORE_NAMES = {"bridges": "bridge", "hubs": "hub", "cohort": "cohort"}
SCORE_TOP = 200  # the ranked nodes a map is sized by


def ranking_scores(
    request: Request, store: GraphStore, settings: Any, consult: Any, name: str
) -> dict[str, tuple[float, int]]:
    """id -> (score, rank) of the top of a ranking on the reader's visible graph (the
    analytics cache's result); 403 for a role without analytics."""
    from graph_service.analytics.scoping import Scope
    from graph_service.analytics.suite import Options, section
    from graph_service.api.routers.analysis import workspace

    if not allowed(consult.principal.role, "analytics"):
        raise HTTPException(status_code=403, detail=f"sizing a map by a score needs analytics ({ACCESS['analytics']})")
    ws = workspace(request, store, settings)
    options = Options(top=SCORE_TOP, cohort_weights=settings.cohort_weights)
    value = section(ws, name, Scope(agency=consult.principal.agency), options).value
    ranked = value.results if name == "bridges" else value
    return {str(r.id): (float(r.score), int(r.rank)) for r in ranked}


def export_response(
    request: Request, graph: nx.MultiDiGraph, fmt: str, *, title: str, focus: str, note: str | None, name: str
) -> Response:
    """The map as a file to download (``viz.exports``); 503 with the reason when this
    machine cannot draw PNG or PDF."""
    from viz import exports

    marking = request.app.state.settings.protective_marking
    try:
        data = exports.export_map(graph, fmt, title=title, focus=focus, note=note, marking=marking)
    except exports.ExportError as error:
        raise HTTPException(status_code=503, detail=str(error)) from None
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "map"
    return Response(
        data,
        media_type=exports.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="map-{safe}.{fmt}"'},
    )


@router.get("/map/{node_id:path}", response_class=HTMLResponse, summary="Interactive offline map of a node's network")
def map_page(
    node_id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    consult: Consult,
    hops: HopsParam = DEFAULT_HOPS,
    max_nodes: MaxNodesParam = DEFAULT_MAX_NODES,
    types: TypesParam = None,
    download: Annotated[bool, Query(description="Download the map as one file (see format)")] = False,
    fmt: Annotated[
        str,
        Query(alias="format", pattern="^(html|png|pdf|graphml|gexf|csv)$", description="The downloaded file's format"),
    ] = "html",
    recipients: Annotated[
        str | None, Query(max_length=2000, description="Who the downloaded map is for (comma-separated)")
    ] = None,
    score: Annotated[
        Literal["", "bridges", "hubs", "cohort"], Query(description="Size the nodes by this ranking (analysts)")
    ] = "",
    renderer: Annotated[
        Literal["auto", "vis", "webgl"],
        Query(description=f"auto: the interactive map up to {WEBGL_ABOVE} nodes, the WebGL view above"),
    ] = "auto",
) -> Response:
    centre = find_node(store, node_id, consult.principal.agency)
    scores = ranking_scores(request, store, settings, consult, score) if score else None
    chosen, default_types = choose_link_types(store, centre, types)
    names = disclosure_recipients(consult.principal.role, recipients) if download else []
    agency = consult.principal.agency
    big = not download and renderer != "vis" and (renderer == "webgl" or max_nodes > WEBGL_ABOVE)
    graph = extract(store, node_id, hops, chosen, max_nodes, agency, light=big)
    # Small after all: read it whole. The light read first costs at most a light read of
    # WEBGL_ABOVE nodes, where reading every property first could mean 10,000 nodes'.
    if big and renderer == "auto" and graph.number_of_nodes() <= WEBGL_ABOVE:
        big, graph = False, extract(store, node_id, hops, chosen, max_nodes, agency)
    if download:  # an export: a disclosure, to its recipients
        consult.record_as("disclosure", shown_ids(graph), recipients=names)
    consult.record(shown_ids(graph))
    note = cap_note(graph, hops, max_nodes)
    name = network_map.display_name(node_id, {**centre["properties"]})
    title = f"{name}: {hops}-hop network"
    if download:
        return export_response(request, graph, fmt, title=title, focus=node_id, note=note, name=f"{node_id}-{hops}hops")
    if big:
        return big_map_page(request, templates, graph, centre, name, title, hops, note)
    net = network_map.build_network(graph, focus=node_id, scores=scores, score_name=SCORE_NAMES.get(score, "score"))
    payload = network_map.map_payload(net)
    keep: dict[str, Any] = {"hops": hops}
    if score:
        keep["score"] = score
    if max_nodes != DEFAULT_MAX_NODES:
        keep["max_nodes"] = max_nodes
    if not default_types:
        keep["types"] = chosen
    from urllib.parse import urlencode

    payload["mapBase"] = "/map/"
    payload["mapQuery"] = "?" + urlencode(keep, doseq=True)
    payload["expandBase"] = "/api/v1/map-data/"
    payload["expandQuery"] = "?" + urlencode(
        {"hops": 1, **({"types": chosen} if not default_types else {})}, doseq=True
    )
    return templates.TemplateResponse(
        request,
        "map.html",
        {
            "title": title,
            "centre": centre,
            "name": name,
            "hops": hops,
            "max_hops": MAX_HOPS,
            "max_nodes": max_nodes,
            "max_max_nodes": MAX_MAX_NODES,
            "chosen": chosen,
            "available": present_link_types(store),
            "place_types": PLACE_LINK_TYPES,
            "default_types": default_types,
            "note": note,
            "download_fields": [
                (k, v) for k, values in keep.items() for v in (values if isinstance(values, list) else [values])
            ],
            "can_export": allowed(consult.principal.role, "exports"),
            "can_score": allowed(consult.principal.role, "analytics"),
            "score": score,
            **network_map.page_context(graph, payload),
        },
    )

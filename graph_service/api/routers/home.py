"""``GET /``: the start page (what is in the store, where to go)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from graph_service.api.deps import StoreDep, TemplatesDep
from graph_service.api.models import Counts

router = APIRouter(tags=["pages"])


@router.get("/api/v1/counts", response_model=Counts, summary="Nodes per label and links per type")
@router.get("/api/counts", response_model=Counts, include_in_schema=False)
def counts_json(store: StoreDep) -> dict[str, dict[str, int]]:
    return store.counts()


@router.get("/", response_class=HTMLResponse, summary="Start page")
def home(request: Request, store: StoreDep, templates: TemplatesDep) -> HTMLResponse:
    counts = store.counts()
    return templates.TemplateResponse(
        request,
        "home.html",
        {
            "engine": store.engine,
            "counts": counts,
            "total_nodes": sum(
                v
                for k, v in counts["nodes"].items()
                if k in ("Person", "Phone", "OCG", "Establishment", "Postcode", "Actor")
            ),
            "total_links": sum(counts["links"].values()),
            "queries": len(store.library.names()),
        },
    )


@router.get("/assets/vis-network.min.js", summary="vis-network (pyvis's copy), for the console's graph view")
def vis_script() -> Response:
    from viz.network_map import vis_assets

    return Response(vis_assets().js, media_type="text/javascript", headers={"Cache-Control": "private, max-age=86400"})


@router.get("/assets/vis-network.min.css", summary="vis-network's stylesheet")
def vis_style() -> Response:
    from viz.network_map import vis_assets

    return Response(vis_assets().css, media_type="text/css", headers={"Cache-Control": "private, max-age=86400"})

"""The workspace's search and entity pages.

``GET /search?q=&kind=`` finds people, phones, OCGs, postcodes and establishments (the
answer of ``/api/v1/entities``); ``GET /entity/{id}`` shows one entity as the reader may
see it: its properties, every link grouped by type with its grading and provenance, a
timeline of custody periods, posts, visits, calls and memberships (SVG drawn on the
server), and, for analysts, the identity candidates of a person record with buttons
for a ``same`` / ``different`` decision (``POST /api/v1/identity/decisions``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from graph_service.api.auth import allowed
from graph_service.api.consultation import Consult
from graph_service.api.deps import StoreDep, TemplatesDep
from graph_service.api.routers import entities, identity
from viz import network_map

router = APIRouter(tags=["workspace pages"])
KIND_NAMES = ("person", "phone", "ocg", "postcode", "establishment")
TIMELINE_TYPES = ("HELD_AT", "EMPLOYED_AT", "VISITED", "CALLED", "USES_PHONE", "MEMBER_OF", "LIVES_IN")
TIMELINE_WIDTH = 720


@router.get("/search", response_class=HTMLResponse, summary="Search every kind of entity (page)")
def search_page(
    request: Request,
    store: StoreDep,
    templates: TemplatesDep,
    consult: Consult,
    q: Annotated[str, Query(max_length=100)] = "",
    kind: Annotated[str, Query(pattern="^(|person|phone|ocg|postcode|establishment)$")] = "",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    found = None
    if len(q.strip()) >= 2:
        found = entities.find_entities(store, consult, q.strip(), kind or None, page, 20)
    return templates.TemplateResponse(
        request,
        "search.html",
        {"q": q, "kind": kind, "kinds": KIND_NAMES, "found": found, "page": page, "too_short": bool(q) and not found},
    )


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def timeline(links: list[Any], today: date | None = None) -> dict[str, Any]:
    """Bars (from, to) and points of the dated links of an entity, one row per link type,
    scaled to ``TIMELINE_WIDTH``.

    Examples
    --------
    >>> from types import SimpleNamespace as L
    >>> t = timeline([L(type="HELD_AT", valid_from="2020-01-01", valid_to="2022-01-01", other="e:1")],
    ...              today=date(2024, 1, 1))
    >>> [(r["type"], [(round(b["x"]), round(b["width"])) for b in r["marks"]]) for r in t["rows"]]
    [('HELD_AT', [(0, 720)])]
    """
    today = today or date.today()
    spans: list[tuple[str, date, date, Any]] = []
    for link in links:
        if link.type not in TIMELINE_TYPES:
            continue
        start = _day(link.valid_from) or _day(getattr(link, "first", None))
        end = _day(link.valid_to) or _day(getattr(link, "last", None))
        if start is None:
            if end is None:
                continue
            start = end
        if end is None:  # an event is a point; a period still open runs to today
            end = start if link.type in ("VISITED", "CALLED") else today
        spans.append((link.type, start, end, link))
    if not spans:
        return {"rows": [], "first": None, "last": None, "width": TIMELINE_WIDTH}
    first = min(s[1] for s in spans)
    last = max(s[2] for s in spans)
    days = max((last - first).days, 1)
    rows: dict[str, list[dict[str, Any]]] = {}
    for kind, start, end, link in sorted(spans, key=lambda s: (TIMELINE_TYPES.index(s[0]), s[1])):
        x = TIMELINE_WIDTH * (start - first).days / days
        rows.setdefault(kind, []).append(
            {
                "x": x,
                "width": max(TIMELINE_WIDTH * (end - start).days / days, 0.0),
                "from": start.isoformat(),
                "to": end.isoformat(),
                "other": link.other,
            }
        )
    return {
        "rows": [{"type": k, "marks": v} for k, v in rows.items()],
        "first": first.isoformat(),
        "last": last.isoformat(),
        "width": TIMELINE_WIDTH,
    }


@router.get("/entity/{entity_id:path}", response_class=HTMLResponse, summary="One entity (page)")
async def entity_page(
    entity_id: str, request: Request, store: StoreDep, templates: TemplatesDep, consult: Consult
) -> HTMLResponse:
    found = await entities.entity(entity_id, request, store, consult)
    groups: dict[str, list[Any]] = {}
    for link in found.links:
        groups.setdefault(link.type, []).append(link)
    candidates = None
    role = consult.principal.role
    if "Person" in found.labels and allowed(role, "identity"):
        candidates = (await identity.candidates(store, consult, entity_id, True, 50)).items
    props = found.properties
    return templates.TemplateResponse(
        request,
        "entity.html",
        {
            "entity": found,
            "name": network_map.display_name(entity_id, props),
            "properties": sorted((k, v) for k, v in props.items() if v not in (None, "", [])),
            "groups": sorted(groups.items()),
            "timeline": timeline(found.links),
            "candidates": candidates,
            "can_decide": allowed(role, "identity"),
            "handling_conditions": sorted({l.handling_conditions for l in found.links if l.handling_conditions}),
        },
    )

"""People: search by name (or id / PNC), filter by role label, paginated; HTML and JSON."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from graph_service.api.consultation import Consult
from graph_service.api.deps import StoreDep, TemplatesDep
from graph_service.api.web import node_url, role_names
from graph_service.schema import PERSON_ROLE_LABELS, check_label
from graph_service.store import GraphStore

router = APIRouter(tags=["people"])

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200

QueryText = Annotated[str, Query(max_length=100, description="Part of a name, id or PNC number (any case)")]
RoleParam = Annotated[str, Query(description="Role label: Prisoner, Visitor, Staff or Nominal (empty: all)")]
PageParam = Annotated[int, Query(ge=1, le=1_000_000)]
PerPageParam = Annotated[int, Query(ge=1, le=MAX_PER_PAGE)]


def _role_label(role: str) -> str | None:
    if not role:
        return None
    if role not in PERSON_ROLE_LABELS:
        raise HTTPException(status_code=422, detail=f"role must be one of {', '.join(PERSON_ROLE_LABELS)} (or empty)")
    return check_label(role)  # labels only ever come from the schema, never from user text


def search_people(
    store: GraphStore, q: str = "", role: str = "", page: int = 1, per_page: int = DEFAULT_PER_PAGE
) -> dict[str, Any]:
    """One page of people matching ``q`` with role ``role``: the library's ``person-search``
    (name, folded name key, id or PNC id, case-insensitive) and its count."""
    label = _role_label(role)
    params: dict[str, Any] = {"text": q.strip(), "role": label}
    total = int(store.read_internal("person-search-count", params)[0]["n"] or 0)
    pages = max(1, math.ceil(total / per_page))
    result = store.run_named(
        "person-search", {**params, "skip": (page - 1) * per_page, "limit": per_page}, row_cap=per_page
    )
    items = []
    for record in result.records():
        labels = record.pop("labels") or []
        record["roles"] = role_names(labels)
        record["map_url"] = node_url(record["id"])
        items.append(record)
    return {
        "q": q,
        "role": label or "",
        "page": page,
        "per_page": per_page,
        "pages": pages,
        "total": total,
        "items": items,
    }


@router.get("/api/people", summary="Search people (JSON; superseded by /api/v1/entities)", include_in_schema=False)
def people_json(
    store: StoreDep,
    consult: Consult,
    q: QueryText = "",
    role: RoleParam = "",
    page: PageParam = 1,
    per_page: PerPageParam = DEFAULT_PER_PAGE,
) -> dict[str, Any]:
    found = search_people(store, q, role, page, per_page)
    consult.record([item["id"] for item in found["items"]])
    return found


@router.get("/people", response_class=HTMLResponse, summary="Search people (page)")
def people_page(
    request: Request,
    store: StoreDep,
    templates: TemplatesDep,
    consult: Consult,
    q: QueryText = "",
    role: RoleParam = "",
    page: PageParam = 1,
    per_page: PerPageParam = DEFAULT_PER_PAGE,
) -> HTMLResponse:
    found = search_people(store, q, role, page, per_page)
    consult.record([item["id"] for item in found["items"]])

    def page_url(n: int) -> str:
        from urllib.parse import urlencode

        given = {"q": q, "role": found["role"], "page": n}
        if per_page != DEFAULT_PER_PAGE:
            given["per_page"] = per_page
        return "/people?" + urlencode({k: v for k, v in given.items() if v not in ("", None)})

    return templates.TemplateResponse(
        request,
        "people.html",
        {"found": found, "roles": PERSON_ROLE_LABELS, "page_url": page_url},
    )

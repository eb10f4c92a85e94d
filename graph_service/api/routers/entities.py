"""The versioned entity API: ``GET /api/v1/entities?q=`` (people, phones, OCGs,
postcodes, establishments), ``GET /api/v1/entities/{id}`` (an entity with every link
the reader may see, with grading and provenance) and ``GET /api/v1/network/{id}``.
Every answer is a consultation (justification required, audited) and shows only what
the reader's agency may see."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, field_validator

from graph_service.api.consultation import Consult
from graph_service.api.deps import StoreDep
from graph_service.api.routers.people import search_people
from graph_service.schema import label_for_id
from graph_service.visibility import visible

router = APIRouter(prefix="/api/v1", tags=["entities"])
KINDS: dict[str, str] = {"phone": "Phone", "ocg": "OCG", "postcode": "Postcode", "establishment": "Establishment"}
MAX_LINKS = 2000


class EntityHit(BaseModel):
    id: str = Field(examples=["prisoner:A1234BC"])
    kind: str = Field(examples=["person"])
    labels: list[str] = Field(examples=[["Person", "Prisoner"]])
    name: str | None = Field(None, examples=["Kevin MALONE"])


class EntityPage(BaseModel):
    q: str
    kind: str | None
    page: int
    per_page: int
    items: list[EntityHit]


class EntityLink(BaseModel):
    type: str = Field(examples=["VISITED"])
    outgoing: bool
    other: str | None
    other_labels: list[str]
    source_eval: str | None = None
    intel_eval: str | None = None
    handling: str | None = None
    handling_conditions: str | None = None
    originating_agency: str | None = None
    source: str | None = None
    source_ref: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    first: str | None = Field(None, description="Visits and calls: the first (date and time)")
    last: str | None = Field(None, description="Visits and calls: the last (date and time)")
    count: int | float | None = Field(None, description="Visits and calls: how many")

    @field_validator("first", "last", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> str | None:
        return None if value is None else str(value)


class Entity(BaseModel):
    id: str
    labels: list[str]
    properties: dict[str, Any]
    links: list[EntityLink]
    links_by_type: dict[str, int]
    links_capped: bool


@router.get("/entities", response_model=EntityPage, summary="Find people, phones, OCGs, postcodes, establishments")
def find_entities(
    store: StoreDep,
    consult: Consult,
    q: Annotated[str, Query(min_length=2, max_length=100, examples=["malone"])],
    kind: Annotated[str | None, Query(pattern="^(person|phone|ocg|postcode|establishment)$")] = None,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> EntityPage:
    items: list[EntityHit] = []
    if kind in (None, "person"):
        people = search_people(store, q, "", page, per_page)["items"]
        items += [
            EntityHit(id=p["id"], kind="person", labels=["Person", *p["roles"]], name=p.get("name")) for p in people
        ]
    for name, label in KINDS.items():
        if kind not in (None, name):
            continue
        params = {
            "text": q.strip(),
            "agency": consult.principal.agency,
            "skip": (page - 1) * per_page,
            "limit": per_page,
        }
        for row in store.read_internal("entity-search", params, label=label):
            items.append(EntityHit(id=row["id"], kind=name, labels=sorted(row["labels"]), name=row.get("name")))
    consult.record([i.id for i in items])
    return EntityPage(q=q, kind=kind, page=page, per_page=per_page, items=items)


@router.get("/entities/{entity_id:path}", response_model=Entity, summary="One entity with the links the reader may see")
async def entity(entity_id: str, request: Request, store: StoreDep, consult: Consult) -> Entity:
    label = label_for_id(entity_id)
    if label is None:
        raise HTTPException(status_code=404, detail=f"no entity {entity_id!r}")

    agency = consult.principal.agency

    def read() -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        found = store.node(entity_id, agency)
        links = store.read_internal("entity-links", {"id": entity_id, "limit": MAX_LINKS + 1}, label=label)
        return found, links

    found, links = await run_in_threadpool(read)
    if found is None:  # absent or not visible: the same answer, nothing leaks
        raise HTTPException(status_code=404, detail=f"no entity {entity_id!r}")
    shown = [EntityLink(**{**l, "other_labels": sorted(l["other_labels"] or [])}) for l in links[:MAX_LINKS]]
    shown = [l for l in shown if visible(l.model_dump(), agency)]
    by_type: dict[str, int] = {}
    for link in shown:
        by_type[link.type] = by_type.get(link.type, 0) + 1
    properties = {k: v for k, v in found["properties"].items() if k != "event_ids"}
    await run_in_threadpool(consult.record, [entity_id, *(l.other for l in shown if l.other)])
    return Entity(
        id=entity_id,
        labels=found["labels"],
        properties=properties,
        links=shown,
        links_by_type=by_type,
        links_capped=len(links) > MAX_LINKS,
    )

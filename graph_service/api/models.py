"""Response models of the JSON API (``/api/v1``): what each endpoint answers, with
examples for the OpenAPI description. Errors are RFC 9457 problem details
(:class:`Problem`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Problem(BaseModel):
    """An error (RFC 9457): ``error`` names a refusal, ``errors`` list a validation's."""

    type: str = Field("about:blank", examples=["about:blank"])
    title: str = Field(examples=["Forbidden"])
    status: int = Field(examples=[403])
    detail: str = Field(examples=["viewer users may not use cypher; it needs analyst or above"])
    error: str | None = Field(None, examples=["refused"])
    errors: list[dict[str, Any]] | None = None


_PROBLEM_SCHEMA = {"schema": {"$ref": "#/components/schemas/Problem"}}
PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": why, "content": {"application/problem+json": _PROBLEM_SCHEMA}}
    for status, why in (
        (400, "Malformed request"),
        (401, "Not signed in"),
        (403, "Not allowed (role, CSRF token, or a refused statement)"),
        (404, "Not found"),
        (413, "Request body too large"),
        (422, "Invalid parameters"),
        (428, "No justification: send X-Justification"),
        (429, "Too many requests, or the console is busy"),
    )
}


class Health(BaseModel):
    status: Literal["ok", "error"] = Field(examples=["ok"])
    store: str = Field(examples=["falkordb"])
    detail: str | None = None


class Counts(BaseModel):
    nodes: dict[str, int] = Field(examples=[{"Person": 1200, "Phone": 900}])
    links: dict[str, int] = Field(examples=[{"CALLED": 40000, "VISITED": 3000}])


class QueryParameter(BaseModel):
    name: str = Field(examples=["id"])
    required: bool
    default: Any = None


class QueryInfo(BaseModel):
    name: str = Field(examples=["staff-contacts"])
    description: str
    params: list[QueryParameter]
    text: str


class QueryAnswer(BaseModel):
    query: str | None = Field(None, description="The named query run (none for ad-hoc Cypher)")
    columns: list[str] = Field(examples=[["id", "name"]])
    rows: list[list[Any]] = Field(examples=[[["prisoner:A1234BC", "Kevin MALONE"]]])
    row_count: int
    truncated: bool = Field(description="More rows existed than the row cap")
    row_cap: int
    elapsed_ms: float
    cautions: list[str] = Field(
        default_factory=list, description="What to know about the engine's answer (faults the statement may meet)"
    )


class NetworkNode(BaseModel):
    id: str = Field(examples=["prisoner:A1234BC"])
    labels: list[str]
    label: str
    style: str
    properties: dict[str, Any]


class NetworkLink(BaseModel):
    source: str
    target: str
    key: Any = None
    type: str = Field(examples=["CALLED"])
    label: str
    grading: str | None = Field(None, examples=["B2P"])
    properties: dict[str, Any]


class Network(BaseModel):
    centre: str
    hops: int
    max_nodes: int
    link_types: list[str]
    note: str | None = Field(None, description="Why the network was cut, when it was")
    folded: dict[str, Any] | None = Field(
        None,
        description="When the node limit cut the network: the hop it stopped at, how many nodes there were left out, "
        "and how many of each kind",
        examples=[{"hop": 2, "count": 1240, "by_kind": {"prisoner": 1000, "visitor": 240}}],
    )
    nodes: list[NetworkNode]
    links: list[NetworkLink]
    node_count: int
    link_count: int
    capped: bool


class MapData(BaseModel):
    """A network as the map script draws it: vis-network node and link objects."""

    centre: str
    nodes: list[dict[str, Any]] = Field(description="vis-network nodes: id, label, shape, color, size, details...")
    edges: list[dict[str, Any]] = Field(
        description="vis-network links: id (source|target|key), from, to, label, link_type, grading, start, end, dashes"
    )
    note: str | None = Field(None, description="Why the network was cut, when it was")


class GraphState(BaseModel):
    kind: str = Field(examples=["delta"], description="full, delta or unchanged: what the last refresh did")
    version: int
    runs: list[str]
    nodes: int
    links: int
    seconds: float


class AnalyticsIndex(BaseModel):
    sections: list[str]
    kernels: str = Field(examples=["igraph"])
    version: int = Field(description="The store version the warm graph reflects")
    graph: GraphState | None = Field(None, description="What the last refresh read (admins only)")


class AnalyticsAnswer(BaseModel):
    section: str = Field(examples=["bridges"])
    version: int = Field(description="The store version the answer reflects")
    cached: bool
    seconds: float
    scope: dict[str, Any] = Field(description="The scope applied (the reader's agency always among it)")
    result: Any


class AuditRecord(BaseModel):
    seq: int
    at: str = Field(examples=["2026-12-01T09:30:00.000000+00:00"])
    username: str
    role: str
    agency: str
    action: str = Field(examples=["consultation"])
    endpoint: str = Field(examples=["GET /api/v1/entities/prisoner:A1234BC"])
    params: dict[str, Any]
    entity_ids: list[str]
    justification: str | None = Field(None, examples=["Op ATLAS, development of A1234BC"])
    recipients: list[str]
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    count: int
    records: list[AuditRecord]


__all__ = [
    "PROBLEMS",
    "AnalyticsAnswer",
    "AnalyticsIndex",
    "AuditPage",
    "AuditRecord",
    "Counts",
    "GraphState",
    "Health",
    "Network",
    "NetworkLink",
    "NetworkNode",
    "Problem",
    "QueryAnswer",
    "QueryInfo",
    "QueryParameter",
]


class LoadStarted(BaseModel):
    """A load accepted: it runs in the background; follow it at ``url``."""

    run_id: str = Field(examples=["web-20261202T101500Z-3fa2c1"])
    url: str = Field(examples=["/loads/web-20261202T101500Z-3fa2c1"])
    files: list[str] = Field(examples=[["prisoners.csv", "visits.csv"]])


class LoadFile(BaseModel):
    status: str = Field(examples=["loading"], description="waiting, loading, then the loader's status of the file")
    rows: int = Field(description="Rows read so far")
    total: int | None = Field(None, description="Rows in the file (counted before loading)")
    loaded: int
    rejected: int
    message: str | None = None


class LoadState(BaseModel):
    """A load's progress per file, then its totals and problems."""

    run_id: str
    agency: str
    username: str
    files: dict[str, LoadFile]
    state: str = Field(examples=["running"], description="running, done or failed")
    step: str | None = Field(None, description="The step after the files (identity resolution)")
    started: float
    finished: float | None = None
    ok: bool | None = None
    totals: dict[str, int] | None = None
    problems: list[str]
    elapsed_s: float

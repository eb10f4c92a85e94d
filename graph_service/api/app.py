"""The FastAPI application: :func:`create_app` builds one from settings.

Nothing is created at import time. The store is opened in the app's lifespan (or
handed in by the caller, who then closes it) and reached by the routers through
:mod:`graph_service.api.deps`. Every page is served with everything it needs: no
CDN, no external fonts, no request leaves the machine (the Content-Security-Policy
header enforces it in the browser).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph_service.api.auth import NotSignedIn, require
from graph_service.api.consultation import PurposeNeeded, purpose_url
from graph_service.api.limits import AllowedHosts, MaxBodySize
from graph_service.api.models import PROBLEMS
from graph_service.api.problems import problem
from graph_service.api.ratelimit import RateLimits
from graph_service.api.routers import (
    analysis,
    analytics_pages,
    audit,
    auth,
    entities,
    entity_pages,
    health,
    home,
    identity,
    loads,
    maps,
    people,
    queries,
)
from graph_service.api.routers.queries import ConsoleSlots
from graph_service.api.web import STATIC_DIR, make_templates
from graph_service.settings import ConfigurationError, Settings, load_settings
from graph_service.store import BadParameter, GraphStore, StoreError, open_store
from viz import network_map

# The capability each router needs (graph_service.api.auth.ACCESS says which roles have it).
ROUTER_CAPABILITIES: tuple[tuple[Any, str], ...] = (
    (home, "search"),
    (people, "search"),
    (entities, "entities"),
    (entity_pages, "entities"),
    (maps, "maps"),
    (queries, "queries"),
    (analysis, "analytics"),
    (analytics_pages, "analytics"),
    (identity, "identity"),
    (audit, "audit"),
    (loads, "loads"),
)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path == "/health":
        return False
    return "text/html" in request.headers.get("accept", "")


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> FastAPI:
    """Build the web app. With ``store`` given, the caller owns it (and closes it).

    The settings must hold ``secret_key`` (``MARSOC_SECRET_KEY``): it signs the bearer
    tokens. The application database (users, sessions, audit log) is opened, and
    upgraded, in the lifespan.
    """
    settings = settings or load_settings()
    if settings.secret_key is None:
        raise ConfigurationError("MARSOC_SECRET_KEY is not set: the service signs its sign-in tokens with it")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from datetime import timedelta

        from graph_service.appdb import open_app_db
        from graph_service.appdb.audit import AuditLog
        from graph_service.appdb.sessions import Sessions
        from graph_service.appdb.users import Users

        app.state.app_db = await run_in_threadpool(open_app_db, settings)
        app.state.users = Users(app.state.app_db)
        app.state.audit = AuditLog(app.state.app_db)
        app.state.sessions = Sessions(
            app.state.app_db,
            idle=timedelta(minutes=settings.idle_minutes),
            longest=timedelta(hours=settings.session_hours),
        )
        owned = store is None
        app.state.store = await run_in_threadpool(open_store, settings) if owned else store
        # The first map would otherwise wait for pyvis/IPython to import.
        threading.Thread(target=network_map.warm_up, name="marsoc-warm-up", daemon=True).start()
        try:
            yield
        finally:
            opened, app.state.store = app.state.store, None
            if owned and opened is not None:
                await run_in_threadpool(opened.close)
            await run_in_threadpool(app.state.app_db.close)

    app = FastAPI(
        title="marsoc",
        summary="Link analysis for multi-agency prison intelligence hubs",
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN: not served (offline
        # networks). The OpenAPI description itself stays available.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.store = store
    app.state.templates = make_templates(settings.protective_marking)
    app.state.workspace = None  # the warm analysis graph (routers/analysis.py), made on first use
    app.state.workspace_lock = threading.Lock()

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.url.path != "/health" and not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if _wants_html(request):
            return app.state.templates.TemplateResponse(
                request,
                "error.html",
                {"status": error.status_code, "detail": error.detail},
                status_code=error.status_code,
            )
        return problem(error.status_code, str(error.detail), headers=error.headers)

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, error: NotSignedIn) -> Response:
        if _wants_html(request) and request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/signin?{urlencode({'next': target})}", status_code=303)
        return problem(401, str(error), headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(PurposeNeeded)
    async def purpose_needed(request: Request, error: PurposeNeeded) -> Response:
        return RedirectResponse(purpose_url(error.target), status_code=303)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        problems = [
            f"{'.'.join(str(p) for p in e['loc'] if p not in ('query', 'body', 'path'))}: {e['msg']}"
            for e in error.errors()
        ]
        if _wants_html(request):
            return app.state.templates.TemplateResponse(
                request, "error.html", {"status": 422, "detail": "; ".join(problems)}, status_code=422
            )
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors()]
        return problem(422, "; ".join(problems), errors=errors)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> Response:
        if isinstance(error, BadParameter):  # the request's own input
            return problem(422, f"{error}")
        detail = f"graph store error: {error}"
        if _wants_html(request):
            return app.state.templates.TemplateResponse(
                request, "error.html", {"status": 503, "detail": detail}, status_code=503
            )
        return problem(503, detail)

    # Outermost first: the Host check, then the body limit, then the app.
    app.add_middleware(MaxBodySize, limit=settings.max_body_bytes, paths={"/api/v1/loads": settings.max_upload_bytes})
    app.add_middleware(AllowedHosts, hosts=settings.allowed_host_names)
    app.state.console_slots = ConsoleSlots(settings.console_per_user, settings.console_total)
    app.state.rate_limits = RateLimits(settings.signin_rate, settings.query_rate)
    app.state.load_jobs = {}  # run id -> LoadJob: the loads started from the browser
    app.state.load_lock = threading.Lock()  # one load at a time
    app.state.identity_lock = threading.Lock()  # identity decisions one at a time (routers/identity.py)
    app.state.hidden_facts = {}  # (store version, agency) -> facts withheld from that agency
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(health.router)
    app.include_router(auth.router)
    for module, capability in ROUTER_CAPABILITIES:
        app.include_router(module.router, dependencies=[require(capability)], responses=PROBLEMS)
    return app

"""Dependencies injected into the routers (``Annotated[..., Depends()]``).

Everything a request needs comes from ``request.app.state``, which the app's
lifespan fills: nothing is created at import time. A later sign-in feature adds a
``current_user`` dependency here and lists it in :data:`graph_service.api.app.ROUTER_DEPENDENCIES`
so that every router gets it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates

from graph_service.settings import Settings
from graph_service.store import GraphStore


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> GraphStore:
    store = getattr(request.app.state, "store", None)
    if store is None:
        raise HTTPException(status_code=503, detail="the graph store is not open")
    return store


def get_templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]

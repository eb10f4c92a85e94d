"""``GET /health``: is the service up and the store answering? (No sign-in, ever.)"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from graph_service.api.deps import StoreDep
from graph_service.api.models import Health
from graph_service.store import StoreError

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    response_model_exclude_none=True,
    responses={503: {"model": Health}},
    summary="Service and store health: is the store answering?",
)
async def health(store: StoreDep) -> Any:
    """One statement that touches no data (``store-ping``): cheap whatever the size of
    the graph. The counts are on the start page."""
    try:
        answering = await run_in_threadpool(store.ping)
    except StoreError as error:
        return JSONResponse({"status": "error", "store": store.engine, "detail": str(error)}, status_code=503)
    if not answering:
        return JSONResponse({"status": "error", "store": store.engine, "detail": "no answer"}, status_code=503)
    return {"status": "ok", "store": store.engine}

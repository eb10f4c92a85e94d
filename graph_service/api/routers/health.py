"""``GET /health``: is the service up and the store answering? (No sign-in, ever.)"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from graph_service.api.deps import StoreDep
from graph_service.store import StoreError

router = APIRouter(tags=["health"])


@router.get("/health", summary="Service and store health, with node and link counts")
async def health(store: StoreDep) -> Any:
    try:
        counts = await run_in_threadpool(store.counts)
    except StoreError as error:
        return JSONResponse({"status": "error", "store": store.engine, "detail": str(error)}, status_code=503)
    return {"status": "ok", "store": store.engine, "counts": counts}

"""Errors as RFC 9457 problem details: ``{type, title, status, detail}`` and, where it
helps, more members (``errors`` of a validation, ``error`` naming a refusal)."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse


def problem(status: int, detail: str, *, headers: Any = None, **extra: Any) -> JSONResponse:
    """An error as an RFC 9457 problem detail (``application/problem+json``)."""
    from http import HTTPStatus

    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, headers=headers, media_type="application/problem+json")

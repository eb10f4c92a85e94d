"""Request limits applied before any route: the Host header and the body size.

* Only the configured host names are answered (``MARSOC_ALLOWED_HOSTS``, by default
  the loopback names): a web page on another site that resolves its own name to this
  machine (DNS rebinding) gets 400, never data.
* A request body larger than ``MARSOC_MAX_BODY_BYTES`` (1 MiB by default) gets 413,
  whether it says its length or streams it.
* A path or query string holding a NUL character (``%00``) gets 400: no store takes one.
"""

from __future__ import annotations

import json
from typing import Any

Scope = dict[str, Any]


def host_name(header: str) -> str:
    """The host of a Host header, without its port, lower case.

    Examples
    --------
    >>> host_name("LocalHost:8000"), host_name("[::1]:8000"), host_name("127.0.0.1")
    ('localhost', '::1', '127.0.0.1')
    """
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


async def _problem(send: Any, status: int, title: str, detail: str) -> None:
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class AllowedHosts:
    """Refuse requests whose Host is not one of ``hosts`` (``*`` allows any)."""

    def __init__(self, app: Any, hosts: list[str]) -> None:
        self.app = app
        self.hosts = {h.strip().lower().strip("[]") for h in hosts}

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket") or "*" in self.hosts:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = host_name(headers.get(b"host", b"").decode("latin-1"))
        if host not in self.hosts:
            await _problem(send, 400, "Unknown host", "this service does not answer for that host name")
            return
        if "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b""):
            await _problem(send, 400, "Bad request", "the address holds a NUL character")
            return
        await self.app(scope, receive, send)


class MaxBodySize:
    """Refuse request bodies above ``limit`` bytes with 413. The body is read here (at
    most ``limit`` bytes held) and handed on whole, so a streamed body is counted too."""

    def __init__(self, app: Any, limit: int, paths: dict[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.paths = paths or {}  # a larger limit for these exact paths (uploads)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.paths.get(scope.get("path", ""), self.limit)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        detail = f"the request body is larger than {limit:,} bytes"
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                await _problem(send, 400, "Bad request", "Content-Length is not a number")
                return
            if too_large:
                await _problem(send, 413, "Request body too large", detail)
                return
        chunks: list[bytes] = []
        seen, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            seen += len(body)
            if seen > limit:
                await _problem(send, 413, "Request body too large", detail)
                return
            chunks.append(body)
            more = bool(message.get("more_body"))
        whole = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        handed = False

        async def replay() -> Any:
            nonlocal handed
            if not handed:
                handed = True
                return whole
            return await receive()

        await self.app(scope, replay, send)

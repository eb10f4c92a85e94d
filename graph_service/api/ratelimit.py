"""Rate limits per user and per address (the ``limits`` library, the engine slowapi
wraps, used directly so that each app has its own counters and its limits come from
its settings).

* Sign-in (token and browser): ``MARSOC_SIGNIN_RATE`` (default ``10/minute``) per
  client address and per username tried, on top of the account lockout.
* Data requests (search, maps, queries, console, analytics, audit):
  ``MARSOC_QUERY_RATE`` (default ``120/minute``) per signed-in user.

Beyond a limit: 429 with ``Retry-After``.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import HTTPException, Request


class RateLimits:
    def __init__(self, signin: str, queries: str) -> None:
        import limits
        from limits.storage import MemoryStorage
        from limits.strategies import MovingWindowRateLimiter

        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self.signin = limits.parse(signin)
        self.queries = limits.parse(queries)

    def _hit(self, item: Any, *keys: str) -> None:
        if not self._limiter.hit(item, *keys):
            reset = self._limiter.get_window_stats(item, *keys).reset_time
            wait = max(1, int(reset - time.time()) + 1)
            raise HTTPException(
                status_code=429,
                detail=f"too many requests: at most {item} (try again in {wait} s)",
                headers={"Retry-After": str(wait)},
            )

    def check_signin(self, request: Request, username: str) -> None:
        address = request.client.host if request.client else "unknown"
        self._hit(self.signin, "signin-address", address)
        self._hit(self.signin, "signin-user", username.lower()[:64])

    def check_queries(self, username: str) -> None:
        self._hit(self.queries, "queries", username)

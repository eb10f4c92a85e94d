"""Who is asking: bearer tokens (API) and session cookies (browser), roles and CSRF.

Every route except ``/health``, ``/static`` and sign-in needs a signed-in user:

* API clients send ``Authorization: Bearer <token>`` from ``POST /api/v1/auth/token``:
  a JWT signed with ``MARSOC_SECRET_KEY`` (HS256, issuer ``marsoc``), valid
  ``MARSOC_TOKEN_MINUTES`` (15).
* Browsers sign in on ``/signin`` and carry the ``marsoc_session`` cookie (HttpOnly,
  SameSite=Strict, Secure with ``MARSOC_SECURE_COOKIES``); the session ends on sign-out,
  after ``MARSOC_IDLE_MINUTES`` unused or ``MARSOC_SESSION_HOURS`` after sign-in. A
  request that changes anything (not GET/HEAD/OPTIONS) on a session must carry its CSRF
  token (``X-CSRF-Token`` header, or the ``csrf_token`` form field of a page's form).

The account is read on every request, so a disabled user is refused at once. What each
role may do is declared once, in :data:`ACCESS`; the routers name the capability they
need and the tests are generated from the table.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")
# capability -> the least role that has it (each role has what the ones before it have)
ACCESS: dict[str, str] = {
    "search": "viewer",
    "entities": "viewer",
    "maps": "viewer",
    "analytics": "analyst",
    "queries": "analyst",
    "cypher": "analyst",
    "exports": "analyst",
    "identity": "analyst",
    "users": "admin",
    "loads": "admin",
    "audit": "admin",
}
SESSION_COOKIE = "marsoc_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ISSUER = "marsoc"


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison of two texts, whatever characters they hold.

    Examples
    --------
    >>> same_secret("abc", "abc"), same_secret("\x80", "abc")
    (True, False)
    """
    return secrets.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))


def allowed(role: str, capability: str) -> bool:
    """Whether ``role`` has ``capability`` (:data:`ACCESS`).

    Examples
    --------
    >>> allowed("viewer", "maps"), allowed("viewer", "cypher"), allowed("admin", "cypher")
    (True, False, True)
    """
    return ROLES.index(role) >= ROLES.index(ACCESS[capability])


@dataclass(frozen=True)
class Principal:
    """The signed-in user of a request."""

    username: str
    role: str
    agency: str
    via: str  # "token" or "session"
    csrf: str | None = None


class NotSignedIn(Exception):
    """No valid token or session: 401 for the API, the sign-in page for a browser."""


def issue_token(settings: Any, username: str, *, now: datetime | None = None) -> tuple[str, int]:
    """A signed bearer token for ``username`` and its lifetime in seconds."""
    import jwt

    now = now or datetime.now(UTC)
    lifetime = int(settings.token_minutes * 60)
    claims = {
        "sub": username,
        "iss": ISSUER,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=lifetime)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.secret_key.get_secret_value(), algorithm="HS256"), lifetime


def _token_user(settings: Any, token: str) -> str:
    import jwt

    try:
        claims = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=["HS256"],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.PyJWTError as error:
        raise NotSignedIn(f"the bearer token is not valid: {error}") from None
    return str(claims["sub"])


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def principal_of(request: Request) -> Principal:
    """The request's user, or :class:`NotSignedIn` / 403 for a missing CSRF token."""
    state = request.app.state
    token = _bearer(request)
    if token is not None:
        username, via, csrf = _token_user(state.settings, token), "token", None
    else:
        found = state.sessions.find(request.cookies.get(SESSION_COOKIE))
        if found is None:
            raise NotSignedIn("sign in first")
        username, via, csrf = found.username, "session", found.csrf
    account = state.users.get(username)
    if account is None or account.disabled:
        raise NotSignedIn("this account may not sign in")
    if via == "session" and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        if sent is None or not same_secret(sent, csrf or ""):
            raise HTTPException(status_code=403, detail="the CSRF token is missing or wrong: reload the page")
    principal = Principal(account.username, account.role, account.agency, via, csrf)
    request.state.principal = principal
    return principal


def require(capability: str) -> Any:
    """A dependency: the signed-in user, refused (403) without ``capability``."""
    if capability not in ACCESS:
        raise ValueError(f"unknown capability {capability!r}")

    def check(request: Request) -> Principal:
        principal = principal_of(request)
        if not allowed(principal.role, capability):
            raise HTTPException(
                status_code=403,
                detail=f"{principal.role} users may not use {capability}; it needs {ACCESS[capability]} or above",
            )
        return principal

    check.__name__ = f"require_{capability}"
    return Depends(check)


def signed_in() -> Any:
    return Depends(principal_of)


CurrentUser = Annotated[Principal, Depends(principal_of)]

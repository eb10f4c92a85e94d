"""Sign-in: ``POST /api/v1/auth/token`` for API clients, ``/signin`` and ``/signout`` for
browsers (see :mod:`graph_service.api.auth`)."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from graph_service.api.auth import SESSION_COOKIE, issue_token, principal_of, same_secret
from graph_service.api.deps import TemplatesDep
from graph_service.appdb.users import SignInFailed

router = APIRouter(tags=["sign-in"])
SIGNIN_CSRF_COOKIE = "marsoc_signin_csrf"


class Token(BaseModel):
    """A bearer token: send it as ``Authorization: Bearer <access_token>``."""

    access_token: str = Field(examples=["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."])
    token_type: str = Field(examples=["bearer"])
    expires_in: int = Field(description="seconds", examples=[900])


async def _authenticate(request: Request, username: str, password: str) -> Any:
    request.app.state.rate_limits.check_signin(request, username)
    try:
        return await run_in_threadpool(request.app.state.users.authenticate, username, password)
    except SignInFailed:
        return None


@router.post(
    "/api/v1/auth/token",
    response_model=Token,
    summary="A short-lived bearer token for a username and password (OAuth2 password form)",
    responses={401: {"description": "wrong username or password, or an account that may not sign in now"}},
)
async def token(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
) -> Token:
    account = await _authenticate(request, username, password)
    if account is None:
        raise HTTPException(
            status_code=401, detail="wrong username or password", headers={"WWW-Authenticate": "Bearer"}
        )
    value, lifetime = issue_token(request.app.state.settings, account.username)
    return Token(access_token=value, token_type="bearer", expires_in=lifetime)


def _safe_next(value: str | None) -> str:
    """Only a path of this site (never another host) to go to after signing in."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _signin_page(request: Request, templates: Any, *, next_url: str, error: str | None, status: int) -> Response:
    csrf = secrets.token_urlsafe(32)
    response = templates.TemplateResponse(
        request, "signin.html", {"next": next_url, "error": error, "csrf": csrf}, status_code=status
    )
    response.set_cookie(
        SIGNIN_CSRF_COOKIE,
        csrf,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
        path="/signin",
    )
    return response


@router.get("/signin", response_class=HTMLResponse, summary="The sign-in page")
def signin_page(request: Request, templates: TemplatesDep, next: str | None = None) -> Response:
    return _signin_page(request, templates, next_url=_safe_next(next), error=None, status=200)


@router.post("/signin", response_class=HTMLResponse, summary="Sign in (browser)")
async def signin(
    request: Request,
    templates: TemplatesDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf_token: Annotated[str, Form(max_length=128)],
    next: Annotated[str, Form(max_length=2048)] = "/",
) -> Response:
    expected = request.cookies.get(SIGNIN_CSRF_COOKIE, "")
    if not expected or not same_secret(expected, csrf_token):
        return _signin_page(
            request, templates, next_url=_safe_next(next), error="The form expired: sign in again.", status=403
        )
    account = await _authenticate(request, username, password)
    if account is None:
        return _signin_page(
            request, templates, next_url=_safe_next(next), error="Wrong username or password.", status=401
        )
    cookie, _ = await run_in_threadpool(request.app.state.sessions.start, account.username)
    response = RedirectResponse(_safe_next(next), status_code=303)
    settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        path="/",
        max_age=int(settings.session_hours * 3600),
    )
    response.delete_cookie(SIGNIN_CSRF_COOKIE, path="/signin")
    return response


@router.post("/signout", summary="Sign out (browser): the session ends")
async def signout(request: Request, csrf_token: Annotated[str, Form(max_length=128)] = "") -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    found = await run_in_threadpool(request.app.state.sessions.find, cookie)
    if found is not None and not same_secret(found.csrf, csrf_token):
        raise HTTPException(status_code=403, detail="the CSRF token is missing or wrong: reload the page")
    await run_in_threadpool(request.app.state.sessions.end, cookie)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/purpose", response_class=HTMLResponse, summary="Say the purpose of this line of enquiry (browser)")
def purpose_page(request: Request, templates: TemplatesDep, next: str | None = None) -> Response:
    principal = principal_of(request)
    if principal.via != "session":
        raise HTTPException(status_code=400, detail="API clients send the X-Justification header instead")
    found = request.app.state.sessions.find(request.cookies.get(SESSION_COOKIE))
    return templates.TemplateResponse(
        request,
        "purpose.html",
        {"next": _safe_next(next), "purpose": found.purpose if found else "", "csrf": principal.csrf},
    )


@router.post("/purpose", summary="Set the purpose sent with every request of this session until changed")
async def set_purpose(
    request: Request,
    templates: TemplatesDep,
    purpose: Annotated[str, Form(max_length=500)],
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=2048)] = "/",
) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    found = await run_in_threadpool(request.app.state.sessions.find, cookie)
    if found is None:
        return RedirectResponse("/signin", status_code=303)
    if not same_secret(found.csrf, csrf_token):
        raise HTTPException(status_code=403, detail="the CSRF token is missing or wrong: reload the page")
    text = " ".join(purpose.split())
    if len(text) < 5:
        return templates.TemplateResponse(
            request,
            "purpose.html",
            {"next": _safe_next(next), "purpose": text, "csrf": found.csrf, "error": "Say the purpose in a few words."},
            status_code=422,
        )
    await run_in_threadpool(request.app.state.sessions.set_purpose, cookie, text)
    return RedirectResponse(_safe_next(next), status_code=303)

"""Sign-in and the access matrix on the real app: every endpoint refuses anyone not
signed in, and each role gets exactly what graph_service.api.auth.ACCESS gives it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from conftest import sign_in
from sample_graph import PASSWORD, TEST_SECRET, TEST_USERS

from graph_service.api.app import ROUTER_CAPABILITIES
from graph_service.api.auth import ACCESS, ROLES, allowed

# (method, path, body, capability): one request per route of every router.
ENDPOINTS = [
    ("GET", "/", None, "search"),
    ("GET", "/api/counts", None, "search"),
    ("GET", "/api/people?q=malone", None, "search"),
    ("GET", "/people?q=malone", None, "search"),
    ("GET", "/api/network/prisoner:A0002BB?hops=1", None, "maps"),
    ("GET", "/api/v1/entities?q=malone", None, "entities"),
    ("GET", "/api/v1/entities/prisoner:A0002BB", None, "entities"),
    ("GET", "/map/prisoner:A0002BB?hops=1", None, "maps"),
    ("GET", "/api/v1/map-data/prisoner:A0002BB?hops=1", None, "maps"),
    ("GET", "/search?q=malone", None, "entities"),
    ("GET", "/entity/prisoner:A0002BB", None, "entities"),
    ("GET", "/api/queries", None, "queries"),
    ("POST", "/api/cypher", {"cypher": "MATCH (n) RETURN count(n) AS n"}, "queries"),
    ("GET", "/queries", None, "queries"),
    ("GET", "/console", None, "queries"),
    ("GET", "/api/analysis", None, "analytics"),
    ("GET", "/api/analysis/hubs", None, "analytics"),
    ("GET", "/analytics", None, "analytics"),
    ("GET", "/analytics/hubs?part=result", None, "analytics"),
    ("GET", "/analytics/changes", None, "analytics"),
    ("GET", "/analytics/briefing", None, "analytics"),
    ("GET", "/analytics/disruption?steps=1&part=result", None, "analytics"),
    ("GET", "/analytics/bridges/staff:S00001", None, "analytics"),
    ("GET", "/api/v1/audit?limit=5", None, "audit"),
    ("GET", "/loads", None, "loads"),
    ("GET", "/loads/web-20260101T000000Z-000000", None, "loads"),
    ("GET", "/loads/web-20260101T000000Z-000000/report", None, "loads"),
    ("GET", "/loads/web-20260101T000000Z-000000/rejects", None, "loads"),
    ("GET", "/api/v1/loads/web-20260101T000000Z-000000", None, "loads"),
    ("POST", "/api/v1/loads", None, "loads"),
    ("GET", "/api/v1/counts", None, "search"),
    ("GET", "/assets/vis-network.min.js", None, "search"),
    ("GET", "/assets/vis-network.min.css", None, "search"),
    ("GET", "/api/v1/network/prisoner:A0002BB?hops=1", None, "maps"),
    ("GET", "/api/v1/queries", None, "queries"),
    ("POST", "/api/v1/queries/cypher", {"query": "MATCH (n) RETURN count(n) AS n"}, "queries"),
    ("POST", "/api/v1/queries/people-named", {"params": {"name_part": "mal"}}, "queries"),
    ("POST", "/api/queries/people-named", {"params": {"name_part": "mal"}}, "queries"),
    ("GET", "/api/v1/analytics", None, "analytics"),
    ("GET", "/api/v1/analytics/hubs", None, "analytics"),
    ("GET", "/api/v1/analytics/changes?since=2023-01-01&until=2024-12-31", None, "analytics"),
    ("POST", "/api/v1/analytics/disruption", {"steps": 1}, "analytics"),
    ("GET", "/api/v1/paths?source=staff:S00001&target=prisoner:A0001AA", None, "analytics"),
    ("GET", "/api/v1/identity/candidates?entity=visitor:V000001", None, "identity"),
    # A decision of a record about itself: refused (422) once allowed, so the shared store is unchanged.
    (
        "POST",
        "/api/v1/identity/decisions",
        {"left": "visitor:V1", "right": "visitor:V1", "decision": "same"},
        "identity",
    ),
]
ALLOWED_STATUS = {
    "/api/v1/identity/decisions": 422,
    # no such load (a load started here would change the shared store) / no files sent
    "/loads/web-20260101T000000Z-000000": 404,
    "/loads/web-20260101T000000Z-000000/report": 404,
    "/loads/web-20260101T000000Z-000000/rejects": 404,
    "/api/v1/loads/web-20260101T000000Z-000000": 404,
    "/api/v1/loads": 422,
}
ROLE_USER = {role: f"{role}.police" for role in ROLES}


def test_every_router_is_covered_and_every_capability_declared():
    declared = {capability for _, capability in ROUTER_CAPABILITIES}
    assert declared == {capability for *_, capability in ENDPOINTS}
    assert declared <= set(ACCESS) and set(ACCESS.values()) <= set(ROLES)


def _template(path: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\{[^}]+\\}", ".+", re.escape(path)) + r"(\\?.*)?")


def test_every_route_of_the_app_is_in_the_matrix(anonymous):
    from fastapi.routing import APIRoute

    open_routes = {"/health", "/api/v1/auth/token", "/signin", "/signout", "/purpose"}
    missing = []
    for route in anonymous.app.routes:
        if not isinstance(route, APIRoute) or route.path in open_routes:
            continue
        for method in route.methods:
            if not any(m == method and _template(route.path).fullmatch(p) for m, p, *_ in ENDPOINTS):
                missing.append(f"{method} {route.path}")
    assert missing == []


def _call(client, method, path, body, headers=None):
    return client.request(method, path, json=body, headers=headers or {})


@pytest.mark.parametrize(("method", "path", "body", "capability"), ENDPOINTS, ids=[e[1] for e in ENDPOINTS])
def test_nothing_is_served_to_anyone_not_signed_in(anonymous, method, path, body, capability):
    api = _call(anonymous, method, path, body, {"Accept": "application/json"})
    assert api.status_code == 401 and api.headers["www-authenticate"] == "Bearer"
    assert "MALONE" not in api.text
    if method == "GET" and not path.startswith("/api/"):  # pages send a browser to sign in
        page = anonymous.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/signin?next=")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "capability"), ENDPOINTS, ids=[e[1] for e in ENDPOINTS])
def test_each_role_gets_what_the_table_gives_it(anonymous, role, method, path, body, capability):
    found = _call(anonymous, method, path, body, sign_in(anonymous, ROLE_USER[role]))
    if allowed(role, capability):
        assert found.status_code == ALLOWED_STATUS.get(path, 200), (role, path, found.text[:300])
    else:
        assert found.status_code == 403 and ACCESS[capability] in found.json()["detail"]


def test_forged_expired_and_foreign_tokens_are_refused(anonymous):
    now = datetime.now(UTC)
    claims = {"sub": "admin.police", "iss": "marsoc", "iat": int(now.timestamp())}
    forged = jwt.encode({**claims, "exp": int((now + timedelta(minutes=5)).timestamp())}, "x" * 40, algorithm="HS256")
    expired = jwt.encode(
        {**claims, "exp": int((now - timedelta(seconds=1)).timestamp())}, TEST_SECRET, algorithm="HS256"
    )
    unsigned = jwt.encode({**claims, "exp": int((now + timedelta(minutes=5)).timestamp())}, None, algorithm="none")
    foreign = jwt.encode(
        {**claims, "iss": "other", "exp": int((now + timedelta(minutes=5)).timestamp())}, TEST_SECRET, algorithm="HS256"
    )
    for token in (forged, expired, unsigned, foreign, "not-a-token"):
        found = anonymous.get("/api/counts", headers={"Authorization": f"Bearer {token}"})
        assert found.status_code == 401, token


def test_a_token_is_short_lived_and_wrong_passwords_get_none(anonymous):
    good = anonymous.post("/api/v1/auth/token", data={"username": "viewer.police", "password": PASSWORD})
    assert good.status_code == 200 and good.json()["expires_in"] == 900
    claims = jwt.decode(good.json()["access_token"], TEST_SECRET, algorithms=["HS256"], issuer="marsoc")
    assert claims["exp"] - claims["iat"] == 900 and claims["sub"] == "viewer.police"
    for username, password in (("viewer.police", "wrong wrong wrong"), ("nobody.here", PASSWORD)):
        bad = anonymous.post("/api/v1/auth/token", data={"username": username, "password": password})
        assert bad.status_code == 401 and bad.json()["detail"] == "wrong username or password"
    assert anonymous.post("/api/v1/auth/token", data={"username": "x"}).status_code == 422


def test_a_disabled_user_is_refused_at_once(anonymous):
    from graph_service.appdb.users import Users

    users: Users = anonymous.app.state.users
    users.add("short.lived", PASSWORD, "viewer", "nca")
    headers = sign_in(anonymous, "short.lived")
    assert anonymous.get("/api/counts", headers=headers).status_code == 200
    users.disable("short.lived")
    assert anonymous.get("/api/counts", headers=headers).status_code == 401


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_browser_sign_in_session_csrf_and_sign_out(sample_settings, library_root):
    from fastapi.testclient import TestClient

    from graph_service.api.app import create_app

    with TestClient(create_app(sample_settings)) as browser:
        page = browser.get("/people", headers={"Accept": "text/html"}, follow_redirects=True)
        assert page.url.path == "/signin" and "Sign in" in page.text
        stale = browser.post("/signin", data={"username": "analyst.police", "password": PASSWORD, "csrf_token": "x"})
        assert stale.status_code == 403
        wrong = browser.post(
            "/signin",
            data={"username": "analyst.police", "password": "nope nope nope", "csrf_token": _csrf(stale.text)},
        )  # each sign-in page carries a fresh token (the refused form's page too)
        assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
        page = browser.get("/signin?next=/people%3Fq%3Dmalone")
        done = browser.post(
            "/signin",
            data={
                "username": "analyst.police",
                "password": PASSWORD,
                "csrf_token": _csrf(page.text),
                "next": "/people?q=malone",
            },
            follow_redirects=False,
        )
        assert done.status_code == 303 and done.headers["location"] == "/people?q=malone"
        cookie = done.headers["set-cookie"]
        assert "marsoc_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
        asked = browser.get("/people?q=malone", headers={"Accept": "text/html"}, follow_redirects=False)
        assert asked.status_code == 303 and asked.headers["location"].startswith("/purpose?next=")
        form = browser.get(asked.headers["location"])
        said = browser.post(
            "/purpose",
            data={
                "purpose": "Op ATLAS, development of A0002BB",
                "csrf_token": _csrf(form.text),
                "next": "/people?q=malone",
            },
            follow_redirects=False,
        )
        assert said.status_code == 303 and said.headers["location"] == "/people?q=malone"
        people = browser.get("/people?q=malone")
        assert people.status_code == 200 and "MALONE" in people.text and "analyst.police" in people.text
        token = re.search(r'name="csrf-token" content="([^"]+)"', people.text).group(1)
        query = {"cypher": "MATCH (n) RETURN count(n) AS n"}
        assert browser.post("/api/cypher", json=query).status_code == 403  # no CSRF token
        assert browser.post("/api/cypher", json=query, headers={"X-CSRF-Token": "wrong"}).status_code == 403
        assert browser.post("/api/cypher", json=query, headers={"X-CSRF-Token": token}).status_code == 200
        assert browser.post("/signout", data={"csrf_token": "wrong"}).status_code == 403
        out = browser.post("/signout", data={"csrf_token": token}, follow_redirects=False)
        assert out.status_code == 303
        assert browser.get("/api/counts").status_code == 401  # the session is over


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_sign_in_never_sends_the_browser_to_another_site(anonymous, target):
    page = anonymous.get("/signin")
    done = anonymous.post(
        "/signin",
        data={"username": "viewer.police", "password": PASSWORD, "csrf_token": _csrf(page.text), "next": target},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/"


def test_every_test_user_can_sign_in(anonymous):
    for username, role, agency in TEST_USERS:
        token = anonymous.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
        assert token.status_code == 200, (username, role, agency)

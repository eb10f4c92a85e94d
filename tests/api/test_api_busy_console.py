"""Six long console queries at once on a real server (uvicorn on 127.0.0.1): four run
(two per user), two are refused, and ``/health`` and other users' searches answer
while the four are still running; each running query is stopped by the time limit."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from sample_graph import PASSWORD, build_data_dir

JUSTIFICATION = {"X-Justification": "Op TESTBED, load on the console"}
# Far more work than the time limit allows: only the limit ends it.
ENDLESS = (
    "MATCH (a),(b),(c),(d),(e) WITH a, b, c, d, e WHERE a.id + b.id + c.id + d.id + e.id = 'x' RETURN count(*) AS n"
)
QUERY_SECONDS = 8.0


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, object]]:
    import uvicorn

    from graph_service.api.app import create_app

    settings = build_data_dir(tmp_path_factory.mktemp("busy-data"))
    app = create_app(settings.model_copy(update={"query_timeout_s": QUERY_SECONDS}))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not running.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    running.should_exit = True
    thread.join(30)


def _headers(base: str, username: str) -> dict[str, str]:
    found = httpx.post(f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {found.json()['access_token']}", **JUSTIFICATION}


def test_health_and_search_answer_while_six_long_console_queries_run(server):
    base, app = server
    users = {name: _headers(base, name) for name in ("analyst.police", "admin.police", "viewer.police")}
    slots = app.state.console_slots
    answers: list[tuple[str, int, str]] = []

    def run(username: str) -> None:
        found = httpx.post(
            f"{base}/api/v1/queries/cypher", json={"query": ENDLESS}, headers=users[username], timeout=120
        )
        answers.append((username, found.status_code, found.json().get("detail", found.text[:200])))

    threads = [threading.Thread(target=run, args=(u,)) for u in ("analyst.police", "admin.police") for _ in range(3)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while sum(slots._running.values()) < 4 or len(answers) < 2:  # four running, two refused
        assert time.monotonic() < deadline, (slots._running, answers)
        time.sleep(0.05)
    health = httpx.get(f"{base}/health", timeout=60)
    search = httpx.get(f"{base}/api/v1/entities?q=malone", headers=users["viewer.police"], timeout=60)
    still_running = sum(slots._running.values())
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert search.status_code == 200 and search.json()["items"][0]["id"] == "prisoner:A0002BB"
    assert still_running == 4  # both answered before any long query ended
    for thread in threads:
        thread.join(120)
    codes = sorted(code for _, code, _ in answers)
    assert codes == [429, 429, 504, 504, 504, 504], answers
    assert all("time limit" in detail or "ran past" in detail for _, code, detail in answers if code == 504)
    engine = app.state.store._db.execute_command("GRAPH.CONFIG", "GET", "THREAD_COUNT")
    assert int(engine[1]) == app.state.settings.console_total + 4

"""Hostile requests to the real app: the console stays inside the store, unknown hosts
and oversized bodies are refused, malformed requests get a 4xx, a busy console leaves
the rest of the service answering."""

from __future__ import annotations

import socket
import threading

import pytest
from conftest import sign_in
from sample_graph import PASSWORD

LISTENER_TIMEOUT = 3.0


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    connections: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            connections.append("connected")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join(2)
    server.close()


@pytest.mark.parametrize(
    ("statement", "why"),
    [
        ("LOAD CSV FROM 'http://127.0.0.1:{port}/x.csv' AS row RETURN row", "LOAD CSV is refused"),
        ("load csv with headers from 'http://127.0.0.1:{port}/' + 'x' as r return r", "LOAD CSV is refused"),
        ("CALL dbms.procedures()", "procedure dbms.procedures is refused"),
        ("CALL algo.betweenness({{}}) YIELD node RETURN node", "procedure algo.betweenness is refused"),
        ("RETURN apoc.load.json('http://127.0.0.1:{port}/')", "function apoc.load.json is refused"),
        ("CALL `apoc`.load.json('http://127.0.0.1:{port}/')", "backticks"),
        ("MATCH (n) RETURN n; MATCH (m) RETURN m", "one statement at a time"),
    ],
)
def test_the_console_never_reaches_outside_the_store(client, listener, statement, why):
    port, connections = listener
    before = client.get("/api/counts").json()
    found = client.post("/api/cypher", json={"cypher": statement.format(port=port)})
    assert found.status_code == 403 and why in found.json()["detail"] and found.json()["error"] == "refused"
    assert client.get("/api/counts").json() == before
    assert connections == []  # no connection was made


def test_schema_introspection_and_subqueries_still_run(client):
    labels = client.post("/api/cypher", json={"cypher": "CALL db.labels() YIELD label RETURN label"})
    assert labels.status_code == 200 and ["Person"] in labels.json()["rows"]
    text = "MATCH (p:Person) CALL { WITH p RETURN p.name AS n } RETURN count(n) AS c, 'LOAD CSV' AS s"
    assert client.post("/api/cypher", json={"cypher": text}).status_code == 200


def test_unknown_hosts_are_refused(client):
    assert client.get("/health", headers={"Host": "evil.example"}).status_code == 400
    refused = client.get("/api/counts", headers={"Host": "rebound.attacker.example:8000"})
    assert refused.status_code == 400 and refused.json()["title"] == "Unknown host"
    assert client.get("/health", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_oversized_bodies_are_refused(client):
    big = "x" * (1_048_576 + 10)
    declared = client.post("/api/cypher", json={"cypher": big})
    assert declared.status_code == 413 and "larger than 1,048,576 bytes" in declared.json()["detail"]

    def chunks():
        for _ in range(20):
            yield b"x" * 100_000

    streamed = client.post("/api/cypher", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"cypher": ',
        b'{"cypher": "RETURN $x", "params": {"`x`": 1}}',
        b'{"cypher": "RETURN 1", "params": []}',
        b'{"cypher": "RETURN 1", "row_cap": -5}',
        b"\xff\xfe\x00",
    ],
)
def test_malformed_requests_get_a_4xx_not_a_500(client, body):
    found = client.post("/api/cypher", content=body, headers={"Content-Type": "application/json"})
    assert 400 <= found.status_code < 500, (body, found.status_code, found.text)


def test_a_busy_console_refuses_more_and_the_rest_answers(client):
    slots = client.app.state.console_slots
    assert slots.take("analyst.police") is None and slots.take("analyst.police") is None
    try:
        busy = client.post("/api/cypher", json={"cypher": "RETURN 1"})
        assert busy.status_code == 429 and "wait for one to finish" in busy.json()["detail"]
        assert client.get("/health").status_code == 200 and client.get("/api/people?q=a").status_code == 200
    finally:
        slots.give_back("analyst.police")
        slots.give_back("analyst.police")
    assert client.post("/api/cypher", json={"cypher": "RETURN 1"}).status_code == 200


def test_errors_are_rfc_9457_problem_details(client, anonymous):
    answers = [
        anonymous.get("/api/counts"),  # 401
        client.get("/api/people?role=Wizard"),  # 422
        client.get("/api/analysis/nope"),  # 404
        client.post("/api/cypher", json={"cypher": "CALL dbms.procedures()"}),  # 403
        client.get("/api/people?q=a", headers={"X-Justification": ""}),  # 428 (blank)
    ]
    assert [a.status_code for a in answers] == [401, 422, 404, 403, 428]
    for answer in answers:
        body = answer.json()
        assert answer.headers["content-type"].startswith("application/problem+json"), answer.text
        assert body["status"] == answer.status_code and body["type"] == "about:blank"
        assert body["title"] and body["detail"]


def test_sign_in_and_data_requests_are_rate_limited(sample_settings):
    from fastapi.testclient import TestClient

    from graph_service.api.app import create_app

    strict = sample_settings.model_copy(update={"signin_rate": "3/minute", "query_rate": "2/minute"})
    with TestClient(create_app(strict)) as limited:
        headers = sign_in(limited, "viewer.police")
        answers = [
            limited.post("/api/v1/auth/token", data={"username": "viewer.police", "password": PASSWORD})
            for _ in range(3)
        ]
        assert [a.status_code for a in answers] == [200, 200, 429]  # the first sign-in counted too
        assert int(answers[-1].headers["retry-after"]) >= 1
        searches = [limited.get("/api/people?q=a", headers=headers).status_code for _ in range(3)]
        assert searches == [200, 200, 429]
        assert limited.get("/health").status_code == 200


def test_a_rate_that_is_not_one_is_refused_at_start_up(tmp_path):
    from graph_service.settings import ConfigurationError, load_settings

    with pytest.raises(ConfigurationError, match="MARSOC_QUERY_RATE"):
        load_settings(data_dir=tmp_path, query_rate="lots")


def test_a_nul_in_the_address_is_a_bad_request_not_a_store_error(client):
    for path in ("/api/v1/entities?q=%00%00", "/api/v1/entities/prisoner:%00", "/api/people?q=a%00b"):
        found = client.get(path)
        assert found.status_code == 400 and "NUL" in found.json()["detail"], path

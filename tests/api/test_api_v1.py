"""The versioned API on the real app and store: queries and the console under
``/api/v1/queries``, paths, changes and the disruption simulator on the reader's
visible graph, each equal to the analysis run directly on a fresh extraction, and a
response model with examples and problem details for every endpoint."""

from __future__ import annotations

import pytest

from graph_service.analytics.changes import changes_between
from graph_service.analytics.disruption import evidence_network, simulate
from graph_service.analytics.paths import shortest_paths
from graph_service.analytics.projection import person_graph
from graph_service.analytics.results import to_json
from graph_service.analytics.scoping import Scope, extract


def _last_record(client):
    return client.app.state.audit.entries(username="analyst.police", limit=100_000)[-1]


def test_named_queries_and_the_console_are_versioned(client):
    listing = client.get("/api/v1/queries").json()
    assert {q["name"] for q in listing} >= {"people-named", "phones-of-person"}
    named = client.post("/api/v1/queries/people-named", json={"params": {"name_part": "malone"}})
    assert named.status_code == 200 and named.json()["rows"] == [["prisoner:A0002BB", "Kevin MALONE"]]
    assert named.json()["query"] == "people-named" and named.json()["columns"] == ["id", "name"]
    text = "MATCH (p:Person {id: $id}) RETURN p.name AS name"
    ran = client.post("/api/v1/queries/cypher", json={"query": text, "params": {"id": "prisoner:A0002BB"}})
    assert ran.status_code == 200 and ran.json()["rows"] == [["Kevin MALONE"]] and ran.json()["query"] is None
    assert _last_record(client).params["cypher"] == text
    refused = client.post("/api/v1/queries/cypher", json={"query": "MATCH (n) SET n.x = 1 RETURN n"})
    assert refused.status_code == 403 and refused.json()["error"] == "read_only"
    missing = client.post("/api/v1/queries/people-named", json={})
    assert missing.status_code == 422 and "name_part" in missing.json()["detail"]


def test_paths_are_those_of_the_readers_visible_graph(client):
    store = client.app.state.store
    found = client.get("/api/v1/paths?source=staff:S00001&target=prisoner:A0001AA&max_hops=4")
    assert found.status_code == 200, found.text
    body = found.json()
    cold = shortest_paths(extract(store, Scope(agency="police")), "staff:S00001", "prisoner:A0001AA", max_hops=4)
    assert body["result"] == to_json(cold) and body["result"]["hops"] >= 2
    assert body["scope"]["agency"] == "police"
    record = _last_record(client)
    assert record.endpoint == "GET /api/v1/paths" and record.justification
    assert {"staff:S00001", "prisoner:A0001AA"} <= set(record.entity_ids)
    again = client.get("/api/v1/paths?source=staff:S00001&target=prisoner:A0001AA&max_hops=4").json()
    assert again["cached"] is True and again["result"] == body["result"]


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("source=staff:S00001&target=prisoner:NOPE", "not in"),
        ("source=staff:S00001&target=prisoner:A0001AA&max_hops=1", "no path"),
        ("source=staff:S00001&target=prisoner:A0001AA&max_hops=9", "less than or equal to 6"),
        ("source=staff:S00001", "target"),
    ],
)
def test_paths_refuse_what_they_cannot_answer(client, query, why):
    found = client.get(f"/api/v1/paths?{query}")
    assert found.status_code == 422 and why in found.json()["detail"], found.text
    if "max_hops=1" in query:  # a negative answer is still an answer about people: audited
        record = _last_record(client)
        assert record.endpoint == "GET /api/v1/paths" and "no path" in record.params["refused"]
        assert "staff:S00001" in record.entity_ids


def test_changes_between_two_dates(client):
    store = client.app.state.store
    found = client.get("/api/v1/analytics/changes?since=2022-12-01&until=2024-07-01")
    assert found.status_code == 200, found.text
    cold = changes_between(extract(store), "2022-12-01", "2024-07-01", scope=Scope(agency="police"))
    assert found.json()["result"] == to_json(cold)
    assert found.json()["result"]["new_links"]["count"] > 0
    default = client.get("/api/v1/analytics/changes").json()["result"]
    assert default["until"] > default["since"]
    backwards = client.get("/api/v1/analytics/changes?since=2024-07-01&until=2023-06-01")
    assert backwards.status_code == 422 and "after" in backwards.json()["detail"]
    assert client.get("/api/v1/analytics/changes?since=2024-02-30").status_code == 422
    assert client.get("/api/v1/analytics/changes?until=0001-01-05").status_code == 422


def test_the_disruption_simulator(client):
    store = client.app.state.store
    network = evidence_network(person_graph(extract(store, Scope(agency="police"))))
    found = client.post("/api/v1/analytics/disruption", json={"strategy": "degree", "steps": 2})
    assert found.status_code == 200, found.text
    assert found.json()["result"] == to_json(simulate(network, strategy="degree", steps=2))
    curve = found.json()["result"]["curve"]
    assert len(curve) == 3 and curve[0]["lcc_fraction"] == 1.0
    chosen = client.post("/api/v1/analytics/disruption", json={"remove": ["prisoner:A0001AA"]})
    assert chosen.status_code == 200 and chosen.json()["result"]["removed"] == ["prisoner:A0001AA"]
    assert "prisoner:A0001AA" in _last_record(client).entity_ids
    unknown = client.post("/api/v1/analytics/disruption", json={"remove": ["prisoner:NOPE"]})
    assert unknown.status_code == 422 and "prisoner:NOPE" in unknown.json()["detail"]
    twice = client.post("/api/v1/analytics/disruption", json={"remove": ["prisoner:A0001AA"] * 2})
    assert twice.status_code == 422 and "once" in twice.json()["detail"]
    for body in ({"steps": 21}, {"strategy": "random"}, {"remove": ["x"] * 21}):
        assert client.post("/api/v1/analytics/disruption", json=body).status_code == 422


def test_every_versioned_endpoint_has_a_response_model_and_documented_problems(client):
    spec = client.get("/api/openapi.json").json()
    operations = [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]
    versioned = [(p, m, op) for p, m, op in operations if p.startswith("/api/v1/") and p != "/api/v1/auth/token"]
    assert len(versioned) >= 13
    for path, method, op in versioned:
        answered = op["responses"].get("200") or op["responses"]["202"]  # 202: a load started
        ok = answered["content"]["application/json"]["schema"]
        assert ok != {}, (method, path)  # a model, not "any"
        for status in ("401", "403", "422", "428"):
            assert op["responses"][status]["content"]["application/problem+json"], (method, path, status)
    assert not [p for p, *_ in operations if p.startswith("/api/") and not p.startswith("/api/v1/")]
    examples = spec["components"]["schemas"]["CypherRun"]["properties"]["query"]["examples"]
    assert examples and "MATCH" in examples[0]

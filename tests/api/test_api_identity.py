"""Identity decisions over the API on a store of their own: a ``same`` merges two
records (one canonical id, the warm graph takes it as a delta), a later ``different``
undoes it, the history is kept on the link, sources are never rewritten, and each
decision is audited as an alteration (and a combination for ``same``) with its
justification."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import JUSTIFICATION, sign_in
from fastapi.testclient import TestClient
from sample_graph import build_data_dir

from graph_service.analytics.scoping import Scope
from graph_service.api.app import create_app

PAIR = {"left": "visitor:V000001", "right": "prisoner:A0001AA"}


@pytest.fixture(scope="module")
def analyst(tmp_path_factory) -> Iterator[TestClient]:
    settings = build_data_dir(tmp_path_factory.mktemp("identity-data"))
    with TestClient(create_app(settings)) as client:
        client.headers.update(sign_in(client, "analyst.police"))
        yield client


def _canonical(client, node_id):
    return client.app.state.store.query("MATCH (p:Person {id: $id}) RETURN p.canonical_id", {"id": node_id}).rows[0][0]


def _records(client, action):
    return [e for e in client.app.state.audit.entries(username="analyst.police", limit=100_000) if e.action == action]


def test_same_merges_the_records_and_different_undoes_it(analyst):
    before = analyst.get("/api/v1/analytics/hubs").json()["version"]
    name_before = analyst.app.state.store.query("MATCH (p:Person {id: 'visitor:V000001'}) RETURN p.name").rows
    same = analyst.post("/api/v1/identity/decisions", json={**PAIR, "decision": "same"})
    assert same.status_code == 200, same.text
    body = same.json()
    assert body["canonical"]["visitor:V000001"] == body["canonical"]["prisoner:A0001AA"] is not None
    assert body["records_merged"] == 1 and body["decided_by"] == "analyst.police"
    assert _canonical(analyst, "visitor:V000001") == _canonical(analyst, "prisoner:A0001AA")
    after = analyst.get("/api/v1/analytics/hubs").json()["version"]
    assert after > before
    merged = analyst.app.state.workspace.graph(Scope(agency="police"))
    assert ("visitor:V000001" in merged) != ("prisoner:A0001AA" in merged)  # one node now
    assert [(r.entity_ids, r.justification) for r in _records(analyst, "combination")] == [
        (["visitor:V000001", "prisoner:A0001AA"], JUSTIFICATION)
    ]

    different = analyst.post("/api/v1/identity/decisions", json={**PAIR, "decision": "different"})
    assert different.status_code == 200 and different.json()["records_merged"] == 0
    assert _canonical(analyst, "visitor:V000001") == "visitor:V000001"
    assert _canonical(analyst, "prisoner:A0001AA") == "prisoner:A0001AA"
    unmerged = analyst.app.state.workspace.graph(Scope(agency="police"))
    assert "visitor:V000001" in unmerged and "prisoner:A0001AA" in unmerged
    listed = analyst.get("/api/v1/identity/candidates?entity=visitor:V000001&include_decided=true").json()["items"]
    assert [(c["left"], c["right"], c["decision"]) for c in listed] == [
        ("prisoner:A0001AA", "visitor:V000001", "different")
    ]
    assert [h.split("|")[0] for h in listed[0]["history"]] == ["same", "different"]
    assert analyst.get("/api/v1/identity/candidates?entity=visitor:V000001").json()["items"] == []  # decided
    alterations = _records(analyst, "alteration")
    assert [r.params["decision"] for r in alterations] == ["same", "different"]
    assert all(r.justification == JUSTIFICATION for r in alterations)
    assert analyst.app.state.store.query("MATCH (p:Person {id: 'visitor:V000001'}) RETURN p.name").rows == name_before
    assert analyst.app.state.audit.verify().ok


@pytest.mark.parametrize(
    ("body", "status", "why"),
    [
        ({"left": "visitor:V000001", "right": "visitor:V000001", "decision": "same"}, 422, "two different"),
        ({"left": "visitor:V000001", "right": "prisoner:NOPE", "decision": "same"}, 404, "no person record"),
        ({"left": "visitor:V000001", "right": "phone:+447700900001", "decision": "same"}, 404, "no person record"),
        ({"left": "visitor:V000001", "right": "prisoner:A0001AA", "decision": "maybe"}, 422, "same"),
        ({"left": "visitor:V0\u0000", "right": "prisoner:A0001AA", "decision": "same"}, 422, "NUL"),
    ],
)
def test_bad_decisions_are_refused_with_the_reason(analyst, body, status, why):
    found = analyst.post("/api/v1/identity/decisions", json=body)
    assert found.status_code == status and why in found.json()["detail"], found.text


def test_an_unpaired_surrogate_is_a_422(analyst):
    raw = b'{"left": "visitor:V0\\udb8a", "right": "prisoner:A0001AA", "decision": "same"}'
    found = analyst.post("/api/v1/identity/decisions", content=raw, headers={"Content-Type": "application/json"})
    assert found.status_code == 422 and "unicode" in found.json()["detail"], found.text


def test_viewers_may_not_decide(analyst):
    viewer = sign_in(analyst, "viewer.police")
    found = analyst.post("/api/v1/identity/decisions", json={**PAIR, "decision": "same"}, headers=viewer)
    assert found.status_code == 403 and "identity" in found.json()["detail"]

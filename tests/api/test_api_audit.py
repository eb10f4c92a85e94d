"""Every consultation of personal data needs a justification and leaves an audit record
naming who, why, what was asked and the entities returned."""

from __future__ import annotations

import pytest
from conftest import JUSTIFICATION, sign_in

CONSULTATIONS = [
    ("GET", "/api/people?q=malone", None, "prisoner:A0002BB"),
    ("GET", "/api/network/prisoner:A0002BB?hops=1", None, "prisoner:A0002BB"),
    ("POST", "/api/cypher", {"cypher": "MATCH (p:Person {id: 'prisoner:A0002BB'}) RETURN p.id"}, "prisoner:A0002BB"),
    ("GET", "/api/analysis/cohort", None, None),
]


def _without_justification(headers):
    return {k: v for k, v in headers.items() if k != "X-Justification"}


@pytest.mark.parametrize(("method", "path", "body", "entity"), CONSULTATIONS, ids=[c[1] for c in CONSULTATIONS])
def test_no_justification_no_data(anonymous, method, path, body, entity):
    headers = _without_justification(sign_in(anonymous, "analyst.police"))
    refused = anonymous.request(method, path, json=body, headers=headers)
    assert refused.status_code == 428 and "X-Justification" in refused.json()["detail"]
    assert "MALONE" not in refused.text


@pytest.mark.parametrize(("method", "path", "body", "entity"), CONSULTATIONS, ids=[c[1] for c in CONSULTATIONS])
def test_each_consultation_is_recorded_with_its_justification(anonymous, method, path, body, entity):
    audit = anonymous.app.state.audit
    before = len(audit.entries())
    headers = sign_in(anonymous, "analyst.police")
    found = anonymous.request(method, path, json=body, headers=headers)
    assert found.status_code == 200, found.text
    records = audit.entries()[before:]
    assert len(records) == 1
    record = records[0]
    assert (record.username, record.role, record.agency, record.action) == (
        "analyst.police",
        "analyst",
        "police",
        "consultation",
    )
    assert record.endpoint == f"{method} {path.split('?')[0]}" and record.justification == JUSTIFICATION
    if entity:
        assert entity in record.entity_ids
    if "?" in path:
        assert set(record.params) >= {k.split("=")[0] for k in path.split("?")[1].split("&")}
    assert audit.verify().ok


def test_who_looked_at_this_person_and_why_is_one_query(anonymous):
    audit = anonymous.app.state.audit
    headers = {**sign_in(anonymous, "analyst.nca"), "X-Justification": "Op BRIDGE, corruption referral 7"}
    anonymous.get("/api/network/prisoner:A0003CC?hops=1", headers=headers)
    seen = audit.entries(entity_id="prisoner:A0003CC")
    assert ("analyst.nca", "Op BRIDGE, corruption referral 7") in [(r.username, r.justification) for r in seen]


def test_counts_hold_no_personal_data_and_need_no_justification(anonymous):
    headers = _without_justification(sign_in(anonymous, "viewer.police"))
    assert anonymous.get("/api/counts", headers=headers).status_code == 200


def test_admins_read_who_looked_at_a_person_and_the_reading_is_recorded(anonymous):
    analyst = {**sign_in(anonymous, "analyst.police"), "X-Justification": "Op CEDAR, review of A0004DD"}
    anonymous.get("/api/network/prisoner:A0004DD?hops=1", headers=analyst)
    admin = {**sign_in(anonymous, "admin.police"), "X-Justification": "misuse check 42"}
    found = anonymous.get("/api/v1/audit?entity=prisoner:A0004DD", headers=admin)
    assert found.status_code == 200
    who = [(r["username"], r["justification"]) for r in found.json()["records"]]
    assert ("analyst.police", "Op CEDAR, review of A0004DD") in who
    last = anonymous.app.state.audit.entries()[-1]
    assert (last.username, last.endpoint, last.justification) == (
        "admin.police",
        "GET /api/v1/audit",
        "misuse check 42",
    )
    assert anonymous.get("/api/v1/audit", headers=analyst).status_code == 403


def test_an_id_with_a_space_is_named_in_the_record(anonymous):
    headers = sign_in(anonymous, "analyst.police")
    anonymous.get("/api/v1/network/visitor:V000001?hops=1", headers=headers)
    record = anonymous.app.state.audit.entries()[-1]
    assert "postcode:SE1 7PB" in record.entity_ids and "visitor:V000001" in record.entity_ids

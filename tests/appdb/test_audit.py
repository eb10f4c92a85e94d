"""The audit log on the real application database: the chain, append-only tables,
tampering detected, the queries a misuse investigation asks."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from graph_service.appdb.audit import GENESIS, AuditError, AuditLog, canonical, chain_hash

WHO = {"username": "a.smith", "role": "analyst", "agency": "police"}


def _fill(log: AuditLog, n: int = 5) -> list:
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    return [
        log.append(
            **WHO,
            action="consultation",
            endpoint="GET /api/v1/entities/prisoner:A1",
            params={"hops": i},
            entity_ids=[f"prisoner:A{i}", "phone:+441"],
            justification="Op ATLAS, development of A1234BC",
            at=start + timedelta(days=i),
        )
        for i in range(n)
    ]


def test_records_chain_from_the_genesis_hash(db):
    log = AuditLog(db)
    written = _fill(log)
    assert [e.seq for e in written] == [1, 2, 3, 4, 5]
    assert written[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(written):
        assert after.prev_hash == before.hash
    first = written[0].to_json()
    fields = {k: v for k, v in first.items() if k not in ("prev_hash", "hash")}
    assert first["hash"] == chain_hash(GENESIS, fields)
    assert canonical(fields).startswith('{"action":"consultation","agency":"police"')
    assert log.verify().ok and log.verify().records == 5


def test_the_database_refuses_to_change_or_delete_a_record(db):
    log = AuditLog(db)
    _fill(log, 2)
    for statement in (
        "UPDATE audit_log SET justification = 'nothing to see' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 2",
        "DELETE FROM audit_entities",
    ):
        with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement))
    assert [e.justification for e in log.entries()] == ["Op ATLAS, development of A1234BC"] * 2
    assert log.verify().ok


def _without_triggers(db, statement: str) -> None:
    """What someone with the database's own rights could still do: verify must catch it."""
    with db.engine.begin() as connection:
        if db.dialect == "sqlite":
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
            connection.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        connection.execute(text(statement))


@pytest.mark.parametrize(
    ("statement", "broken", "why"),
    [
        ("UPDATE audit_log SET justification = 'curiosity' WHERE seq = 3", 3, "content"),
        ("DELETE FROM audit_log WHERE seq = 2", 2, "missing"),
        (
            "INSERT INTO audit_log (seq, at, username, role, agency, action, endpoint, params, entity_ids, "
            "justification, recipients, prev_hash, hash) SELECT 6, at, username, role, agency, action, endpoint, "
            "params, entity_ids, justification, recipients, prev_hash, 'f' || substr(hash, 2) FROM audit_log WHERE seq = 5",
            6,
            "previous hash",
        ),
    ],
)
def test_a_changed_removed_or_inserted_record_is_named(db, statement, broken, why):
    log = AuditLog(db)
    _fill(log)
    _without_triggers(db, statement)
    found = log.verify()
    assert not found.ok and found.broken_seq == broken and why in found.reason


def test_who_looked_at_this_person_and_why(db):
    log = AuditLog(db)
    _fill(log)
    log.append(
        username="b.jones",
        role="viewer",
        agency="hmpps",
        action="consultation",
        endpoint="GET /x",
        entity_ids=["prisoner:A2"],
        justification="Op BRIDGE",
        at=datetime(2026, 11, 20, tzinfo=UTC),
    )
    seen = log.entries(entity_id="prisoner:A2")
    assert [(e.username, e.justification) for e in seen] == [
        ("a.smith", "Op ATLAS, development of A1234BC"),
        ("b.jones", "Op BRIDGE"),
    ]
    assert [e.seq for e in log.entries(username="a.smith", since="2026-11-03", until="2026-11-05")] == [3, 4]
    assert json.loads(json.dumps(seen[0].to_json()))["entity_ids"] == ["prisoner:A2", "phone:+441"]


def test_a_consultation_needs_a_justification_and_a_disclosure_its_recipients(db):
    log = AuditLog(db)
    with pytest.raises(AuditError, match="justification"):
        log.append(**WHO, action="consultation", endpoint="GET /x", justification="  ")
    with pytest.raises(AuditError, match="recipients"):
        log.append(**WHO, action="disclosure", endpoint="export", justification="hub meeting")
    with pytest.raises(AuditError, match="action must be"):
        log.append(**WHO, action="peek", endpoint="GET /x")
    entry = log.append(
        **WHO,
        action="disclosure",
        endpoint="export briefing",
        justification="hub meeting",
        recipients=["Hub North", "NCA liaison"],
    )
    assert entry.recipients == ["Hub North", "NCA liaison"] and log.verify().ok

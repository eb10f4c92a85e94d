"""``marsoc erase`` on the real embedded store and application database."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from graph_service.analytics.workspace import Workspace
from graph_service.appdb import open_app_db
from graph_service.appdb.audit import AuditLog
from graph_service.cli import app
from graph_service.settings import load_settings
from graph_service.store import LoadRun, open_store

runner = CliRunner()


def test_erase_removes_the_entity_and_its_links_and_is_audited(tmp_path):
    settings = load_settings(data_dir=tmp_path)
    store = open_store(settings)
    run = LoadRun("fixture")
    try:
        store.upsert_nodes("Person", [{"id": "prisoner:A1", "props": {"name": "A ONE"}}], run, ("Prisoner",))
        store.upsert_nodes("Person", [{"id": "visitor:V1", "props": {"name": "V ONE"}}], run, ("Visitor",))
        store.upsert_links(
            "VISITED", [{"src": "visitor:V1", "dst": "prisoner:A1", "key": {}, "props": {}}], run, "Person", "Person"
        )
        store.record_run(run)
        ws = Workspace(store)
        ws.refresh()
        assert "prisoner:A1" in ws.graph()
    finally:
        store.close()
    refused = runner.invoke(
        app, ["erase", "--entity", "prisoner:A1", "--reason", "x", "--yes", "--data-dir", str(tmp_path)]
    )
    assert refused.exit_code == 2  # a reason in a few words
    done = runner.invoke(
        app,
        [
            "erase",
            "--entity",
            "prisoner:A1",
            "--reason",
            "subject access: erasure upheld",
            "--yes",
            "--json",
            "--data-dir",
            str(tmp_path),
        ],
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["erased"] == 1
    store = open_store(settings)
    try:
        assert store.read_internal("node-by-id", {"id": "prisoner:A1"}, label="Person") == []
        assert store.counts()["links"].get("VISITED", 0) == 0
        ws = Workspace(store)
        assert ws.refresh().kind == "full" and "prisoner:A1" not in ws.graph()
    finally:
        store.close()
    db = open_app_db(settings)
    try:
        (record,) = AuditLog(db).entries(entity_id="prisoner:A1")
    finally:
        db.close()
    assert (record.action, record.params["reason"]) == ("erasure", "subject access: erasure upheld")
    missing = runner.invoke(
        app, ["erase", "--entity", "prisoner:A1", "--reason", "again please", "--yes", "--data-dir", str(tmp_path)]
    )
    assert missing.exit_code == 1 and "no entity" in missing.output

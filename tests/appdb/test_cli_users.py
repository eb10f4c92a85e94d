"""``marsoc users`` and ``marsoc audit`` on a real SQLite application database."""

from __future__ import annotations

import json

from sqlalchemy import text
from typer.testing import CliRunner

from graph_service.appdb import open_app_db
from graph_service.cli import app

runner = CliRunner()


def _run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_users_from_the_command_line_are_audited_and_the_chain_verifies(tmp_path):
    data = str(tmp_path)
    added = _run(
        "users",
        "add",
        "--username",
        "a.smith",
        "--role",
        "analyst",
        "--agency",
        "police",
        "--password-stdin",
        "--json",
        "--data-dir",
        data,
        input="a long enough password\n",
    )
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["role"] == "analyst"
    prompted = _run(
        "users",
        "add",
        "--username",
        "b.jones",
        "--role",
        "viewer",
        "--agency",
        "nca",
        "--data-dir",
        data,
        input="another good password\nanother good password\n",
    )
    assert prompted.exit_code == 0, prompted.output
    refused = _run(
        "users",
        "add",
        "--username",
        "c.x",
        "--role",
        "viewer",
        "--agency",
        "nca",
        "--password-stdin",
        "--data-dir",
        data,
        input="short\n",
    )
    assert refused.exit_code == 2 and "12 to 256" in refused.output
    assert _run("users", "disable", "--username", "b.jones", "--data-dir", data).exit_code == 0
    listed = json.loads(_run("users", "list", "--json", "--data-dir", data).stdout)
    assert [(u["username"], u["disabled"]) for u in listed] == [("a.smith", False), ("b.jones", True)]
    assert _run("users", "enable", "--username", "nobody", "--data-dir", data).exit_code == 2
    records = json.loads(_run("audit", "export", "--format", "json", "--data-dir", data).stdout)
    assert [(r["action"], r["endpoint"], r["entity_ids"]) for r in records] == [
        ("alteration", "marsoc users add", ["user:a.smith"]),
        ("alteration", "marsoc users add", ["user:b.jones"]),
        ("alteration", "marsoc users disable", ["user:b.jones"]),
    ]
    assert all("password" not in json.dumps(r) for r in records)
    verified = _run("audit", "verify", "--json", "--data-dir", data)
    assert verified.exit_code == 0 and json.loads(verified.stdout)["records"] == 3


def test_audit_verify_fails_naming_the_broken_record(tmp_path):
    data = str(tmp_path)
    for name in ("a.smith", "b.jones"):
        _run(
            "users",
            "add",
            "--username",
            name,
            "--role",
            "viewer",
            "--agency",
            "hmpps",
            "--password-stdin",
            "--data-dir",
            data,
            input="a long enough password\n",
        )
    db = open_app_db(url=f"sqlite:///{tmp_path / 'marsoc-app.sqlite'}")
    with db.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("UPDATE audit_log SET params = '{}' WHERE seq = 2"))
    db.close()
    verified = _run("audit", "verify", "--data-dir", data)
    assert verified.exit_code == 1 and "BROKEN at record 2" in verified.stdout
    csv_out = _run("audit", "export", "--format", "csv", "--data-dir", data).stdout.splitlines()
    assert csv_out[0].startswith("seq,at,username") and len(csv_out) == 3

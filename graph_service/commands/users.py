"""``marsoc users`` (add, list, disable, enable, reset-password) and ``marsoc audit``
(verify, export): the application database from the command line.

Passwords are read from a hidden prompt (asked twice) or, with ``--password-stdin``,
from the first line of standard input: never from an argument, which other users of
the machine could read. Every user change is written to the audit log as an
alteration by ``cli:<operating-system user>``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from graph_service.commands.common import DataDirOption, JsonOption, console, print_json, settings_for

users_app = typer.Typer(help="Who may sign in: add, list, disable, enable, reset-password.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log: verify the chain, export records.", no_args_is_help=True)

Username = Annotated[str, typer.Option("--username", help="3-64 lower-case letters, digits, '.', '_' or '-'.")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
]


@contextmanager
def _db(data_dir: Any) -> Iterator[Any]:
    from graph_service.appdb import open_app_db

    db = open_app_db(settings_for(data_dir))
    try:
        yield db
    finally:
        db.close()


def _operator() -> str:
    from graph_service.appdb.audit import operator

    return operator()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def _fail(error: Exception) -> None:
    console.print(f"[red]{error}[/red]")
    raise typer.Exit(2)


def _alteration(db: Any, what: str, username: str, **params: Any) -> None:
    from graph_service.appdb.audit import AuditLog

    AuditLog(db).append(
        username=_operator(),
        role="admin",
        agency="-",
        action="alteration",
        endpoint=f"marsoc users {what}",
        params={"username": username, **params},
        entity_ids=[f"user:{username}"],
    )


@users_app.command("add")
def add(
    username: Username,
    role: Annotated[str, typer.Option("--role", help="viewer | analyst | admin")],
    agency: Annotated[str, typer.Option("--agency", help="police | hmpps | probation | nca")],
    password_stdin: PasswordStdin = False,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a user (the password at least 12 characters)."""
    from graph_service.appdb.users import UserError, Users

    with _db(data_dir) as db:
        try:
            account = Users(db).add(username, _password(password_stdin), role, agency)
        except UserError as error:
            _fail(error)
        _alteration(db, "add", username, role=role, agency=agency)
    if as_json:
        print_json(account.to_json())
    else:
        console.print(f"added {account.username} ({account.role}, {account.agency})")


@users_app.command("list")
def list_users(data_dir: DataDirOption = None, as_json: JsonOption = False) -> None:
    """Every user with role, agency and state."""
    from graph_service.appdb.users import Users

    with _db(data_dir) as db:
        accounts = Users(db).list()
    if as_json:
        print_json([a.to_json() for a in accounts])
        return
    for a in accounts:
        state = "disabled" if a.disabled else ("locked" if a.locked_until else "active")
        typer.echo(f"{a.username}\t{a.role}\t{a.agency}\t{state}")


def _change(what: str, username: str, data_dir: Any, password_stdin: bool = False) -> None:
    from graph_service.appdb.users import UserError, Users

    with _db(data_dir) as db:
        users = Users(db)
        try:
            if what == "disable":
                users.disable(username)
            elif what == "enable":
                users.enable(username)
            else:
                users.reset_password(username, _password(password_stdin))
        except UserError as error:
            _fail(error)
        _alteration(db, what, username)
    console.print(f"{what}: {username}")


@users_app.command("disable")
def disable(username: Username, data_dir: DataDirOption = None) -> None:
    """Stop a user signing in (their records stay)."""
    _change("disable", username, data_dir)


@users_app.command("enable")
def enable(username: Username, data_dir: DataDirOption = None) -> None:
    """Let a disabled or locked user sign in again."""
    _change("enable", username, data_dir)


@users_app.command("reset-password")
def reset_password(username: Username, password_stdin: PasswordStdin = False, data_dir: DataDirOption = None) -> None:
    """Set a new password (and lift a lockout)."""
    _change("reset-password", username, data_dir, password_stdin)


@audit_app.command("verify")
def verify(data_dir: DataDirOption = None, as_json: JsonOption = False) -> None:
    """Recompute the hash chain; exit 1 naming the first broken record."""
    from graph_service.appdb.audit import AuditLog

    with _db(data_dir) as db:
        log = AuditLog(db)
        found = log.verify()
        last = log.entries()[-1:] if found.ok else []
    result = {
        "ok": found.ok,
        "records": found.records,
        "broken_seq": found.broken_seq,
        "reason": found.reason,
        "last_hash": last[0].hash if last else None,
    }
    if as_json:
        print_json(result)
    elif found.ok:
        typer.echo(f"audit log intact: {found.records} records; last hash {result['last_hash']}")
    else:
        typer.echo(f"audit log BROKEN at record {found.broken_seq}: {found.reason}")
    if not found.ok:
        raise typer.Exit(1)


@audit_app.command("export")
def export(
    since: Annotated[str | None, typer.Option("--from", help="From this time or date (UTC, ISO).")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Before this time or date (UTC, ISO).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv | json")] = "json",
    username: Annotated[str | None, typer.Option("--user", help="Only this user's records.")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Only records about this entity id.")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Records in order to standard output, with their hashes."""
    from graph_service.appdb.audit import FIELDS, AuditLog

    if fmt not in ("csv", "json"):
        raise typer.BadParameter("choose csv or json", param_hint="--format")
    with _db(data_dir) as db:
        entries = AuditLog(db).entries(username=username, entity_id=entity, since=since, until=until)
    rows = [e.to_json() for e in entries]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    writer = csv.writer(sys.stdout)
    writer.writerow([*FIELDS, "prev_hash", "hash"])
    for row in rows:
        writer.writerow(
            [json.dumps(row[k], ensure_ascii=False) if isinstance(row[k], (dict, list)) else row[k] for k in row]
        )


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")

"""``marsoc export map``: a map for a hub meeting as one file (HTML, PNG, PDF, GraphML,
GEXF or i2 CSV), as the named user may see it, recorded in the audit log as a
disclosure to its recipients with the purpose.

``marsoc export briefing``: the meeting's briefing pack (:mod:`viz.briefing`) as one
offline HTML file, on the named user's visible graph, recorded the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from graph_service.commands.common import DataDirOption, JsonOption, console, open_store_for, print_json, settings_for

export_app = typer.Typer(help="Exports for hub meetings, recorded as disclosures.", no_args_is_help=True)

UserOption = Annotated[
    str, typer.Option("--user", help="The exporting user (a user of `marsoc users`): what they may see is exported.")
]
PurposeOption = Annotated[str, typer.Option("--purpose", help="Why (the justification kept in the audit log).")]
RecipientsOption = Annotated[
    str, typer.Option("--recipients", help="Who the file is for, comma-separated (kept in the audit log).")
]


def exporter(data_dir: Path | None, username: str, purpose: str, recipients: str) -> tuple[Any, list[str]]:
    """The exporting user's account and the recipients; refuses a user who may not export."""
    from graph_service.api.auth import ACCESS, allowed
    from graph_service.appdb import open_app_db
    from graph_service.appdb.users import Users

    if len(purpose.strip()) < 5:
        raise typer.BadParameter("say why in a few words", param_hint="--purpose")
    names = [n.strip() for n in recipients.replace(";", ",").split(",") if n.strip()]
    if not names or len(names) > 20:
        raise typer.BadParameter("name 1-20 recipients", param_hint="--recipients")
    db = open_app_db(settings_for(data_dir))
    try:
        account = Users(db).get(username)
    finally:
        db.close()
    if account is None or account.disabled:
        raise typer.BadParameter(f"no enabled user {username!r}", param_hint="--user")
    if not allowed(account.role, "exports"):
        raise typer.BadParameter(
            f"{account.role} users may not export; it needs {ACCESS['exports']}", param_hint="--user"
        )
    return account, names


def record_disclosure(
    data_dir: Path | None, account: Any, endpoint: str, entities: list[str], params: dict, purpose: str, names: list
) -> int:
    from graph_service.appdb import open_app_db
    from graph_service.appdb.audit import AuditLog

    db = open_app_db(settings_for(data_dir))
    try:
        record = AuditLog(db).append(
            username=account.username,
            role=account.role,
            agency=account.agency,
            action="disclosure",
            endpoint=endpoint,
            params=params,
            entity_ids=entities,
            justification=purpose.strip(),
            recipients=names,
        )
    finally:
        db.close()
    return record.seq


@export_app.command("map")
def export_map_command(
    entity: Annotated[str, typer.Option("--entity", help="The centre of the map, for example prisoner:A1234BC.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    user: UserOption,
    purpose: PurposeOption,
    recipients: RecipientsOption,
    hops: Annotated[int, typer.Option("--hops", min=0, max=4, help="Links to follow from the centre.")] = 2,
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, max=2000, help="Stop expanding past this.")] = 250,
    fmt: Annotated[str, typer.Option("--format", help="html, png, pdf, graphml, gexf or csv.")] = "html",
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export the map of an entity's network as one file, recorded as a disclosure."""
    from fastapi import HTTPException

    from graph_service.api.routers import maps
    from viz import exports, network_map

    if fmt not in exports.FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(exports.FORMATS)}", param_hint="--format")
    account, names = exporter(data_dir, user, purpose, recipients)
    with open_store_for(data_dir) as store:
        try:
            centre = maps.find_node(store, entity, account.agency)
            chosen, _ = maps.choose_link_types(store, centre, None)
        except HTTPException as error:
            console.print(f"[red]{error.detail}[/red]")
            raise typer.Exit(1) from None
        graph = maps.extract(store, entity, hops, chosen, max_nodes, account.agency)
        marking = settings_for(data_dir).protective_marking
    name = network_map.display_name(entity, centre["properties"])
    try:
        data = exports.export_map(
            graph,
            fmt,
            title=f"{name}: {hops}-hop network",
            focus=entity,
            note=maps.cap_note(graph, hops, max_nodes),
            marking=marking,
        )
    except exports.ExportError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    params = {"entity": entity, "hops": hops, "max_nodes": max_nodes, "format": fmt, "file": out.name}
    seq = record_disclosure(
        data_dir, account, "marsoc export map", sorted(maps.shown_ids(graph)), params, purpose, names
    )
    summary = {"out": str(out), "format": fmt, "nodes": graph.number_of_nodes(), "links": graph.number_of_edges()}
    if as_json:
        print_json({**summary, "audit_seq": seq})
    else:
        console.print(f"wrote {out} ({fmt}, {summary['nodes']} nodes, {summary['links']} links); audit record {seq}")


@export_app.command("briefing")
def export_briefing_command(
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    user: UserOption,
    purpose: PurposeOption,
    recipients: RecipientsOption,
    since: Annotated[
        str | None, typer.Option("--since", help="Changes since (YYYY-MM-DD; default 28 days before --until).")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Changes until (YYYY-MM-DD; default today).")] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=20, help="Bridges, hubs and cohort shown.")] = 5,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the hub meeting's briefing pack (one offline HTML file), recorded as a disclosure."""
    from graph_service.analytics.scoping import Scope
    from graph_service.analytics.workspace import Workspace
    from viz.briefing import briefing_pack, meeting_period

    account, names = exporter(data_dir, user, purpose, recipients)
    try:
        since, until = meeting_period(since, until)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    settings = settings_for(data_dir)
    with open_store_for(data_dir) as store, console.status("building the briefing pack (extracting the graph)"):
        pack = briefing_pack(
            Workspace(store),
            Scope(agency=account.agency),
            user=account.username,
            agency=account.agency,
            purpose=purpose.strip(),
            recipients=names,
            since=since,
            until=until,
            top=top,
            marking=settings.protective_marking,
            cohort_weights=settings.cohort_weights,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(pack.html, encoding="utf-8")
    params = {"since": since, "until": until, "top": top, "file": out.name}
    seq = record_disclosure(data_dir, account, "marsoc export briefing", pack.entities, params, purpose, names)
    if as_json:
        print_json({"out": str(out), "entities": len(pack.entities), "audit_seq": seq})
    else:
        console.print(f"wrote {out} ({len(pack.entities)} entities named); audit record {seq}")


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")

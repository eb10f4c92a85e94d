"""``marsoc erase --entity ID --reason TEXT``: remove an entity and its links from the
graph (a person's data under the Data Protection Act's erasure), recorded in the audit
log as an erasure with the reason. The store version moves on as a rewrite, so every
warm analysis graph extracts again and no cached result keeps the entity."""

from __future__ import annotations

from typing import Annotated

import typer

from graph_service.commands.common import DataDirOption, JsonOption, console, open_store_for, print_json, settings_for


def erase_command(
    entity: Annotated[str, typer.Option("--entity", help="The id to erase, for example prisoner:A1234BC.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit log).")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Erase an entity and its links from the graph, recorded in the audit log with the reason."""
    from graph_service.appdb import open_app_db
    from graph_service.appdb.audit import AuditLog, operator
    from graph_service.schema import label_for_id
    from graph_service.store import LoadRun

    if len(reason.strip()) < 5:
        raise typer.BadParameter("say why in a few words", param_hint="--reason")
    label = label_for_id(entity)
    if label is None:
        raise typer.BadParameter(f"{entity!r} is not an entity id (namespace:identifier)", param_hint="--entity")
    if not yes and not typer.confirm(f"Erase {entity} and all its links from the graph?"):
        raise typer.Exit(1)
    with open_store_for(data_dir) as store:
        found = store.read_internal("node-by-id", {"id": entity}, label=label)
        if not found:
            console.print(f"[red]no entity {entity} in the store[/red]")
            raise typer.Exit(1)
        run = LoadRun(f"erase-{entity}")
        store.record_run(run, rewrite=True)
        erased = int(store.write_internal("entity-erase", {"id": entity}, label=label)[0]["n"] or 0)
        store.record_run(run, rewrite=True)
    db = open_app_db(settings_for(data_dir))
    try:
        record = AuditLog(db).append(
            username=operator(),
            role="admin",
            agency="-",
            action="erasure",
            endpoint="marsoc erase",
            params={"reason": reason.strip(), "erased": erased},
            entity_ids=[entity],
        )
    finally:
        db.close()
    if as_json:
        print_json({"entity": entity, "erased": erased, "audit_seq": record.seq})
    else:
        console.print(f"erased {entity} and its links; audit record {record.seq}")


def register(app: typer.Typer) -> None:
    app.command("erase")(erase_command)

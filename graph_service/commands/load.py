"""``marsoc load``, ``marsoc load-network`` and ``marsoc stats``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from graph_service.commands.common import DataDirOption, JsonOption, console, open_store_for, print_json, settings_for


def _plain_progress(event: str, file: str, info: dict[str, Any]) -> None:
    """One line per event on stderr (used when stderr is not a terminal)."""
    if event == "batch":
        line = f"{file}: batch {info['batch']}, {info['rows']} rows read, {info['loaded']} loaded"
    elif event == "done":
        r = info["report"]
        line = f"{file}: done, {r.loaded} loaded, {r.rejected} rejected, {r.excluded} excluded"
    elif event == "start":
        line = f"{file}: loading ({info.get('total')} rows)"
    else:
        message = str(info.get("message", event))
        line = message if message.startswith(f"{file}: ") else f"{file}: {message}"
    print(line, file=sys.stderr, flush=True)


def _summary_table(report: Any) -> Table:
    table = Table(title=f"Load {report.run_id}")
    for column in ("file", "status", "read", "loaded", "rejected", "excluded", "seconds", "rows/s"):
        table.add_column(column, justify="right" if column not in ("file", "status") else "left", no_wrap=True)
    for f in report.files:
        excluded = str(f.excluded)
        table.add_row(
            f.file,
            f.status,
            str(f.rows_read),
            str(f.loaded),
            str(f.rejected),
            excluded,
            f"{f.seconds:.2f}",
            f"{f.rows_per_s:,.0f}",
        )
    return table


def load_command(
    directory: Annotated[Path, typer.Argument(help="Folder holding the partner exports (contract CSV files).")],
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Where to write the JSON load report (default DATA_DIR/reports/<run_id>/report.json)."
        ),
    ] = None,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Where to write the rejects CSV (default beside the report).")
    ] = None,
    max_reject_rate: Annotated[
        float | None,
        typer.Option(
            "--max-reject-rate",
            min=0.0,
            max=1.0,
            help="Fail (exit 1) if a file rejects more than this share of its rows.",
        ),
    ] = None,
    no_resolve: Annotated[bool, typer.Option("--no-resolve", help="Skip identity resolution.")] = False,
    agency: Annotated[
        str | None,
        typer.Option(
            "--agency",
            help="police | hmpps | probation | nca: the partner the exports come from (rows naming no "
            "originating_agency take it; a handling C row needs one).",
        ),
    ] = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load every contract file found in DIRECTORY, in dependency order, then resolve identities."""
    from graph_service.store import open_store
    from loaders.runner import load_directory, new_run_id

    if not directory.is_dir():
        console.print(f"[red]{directory} is not a folder[/red]")
        raise typer.Exit(2) from None
    from graph_service.grading import AGENCIES

    if agency is not None and agency not in AGENCIES:
        raise typer.BadParameter(f"choose one of {', '.join(AGENCIES)}", param_hint="--agency")
    settings = settings_for(data_dir)
    run_id = new_run_id()
    if report is None:
        report = settings.data_dir / "reports" / run_id / "report.json"
    if rejects is None:
        rejects = (
            report.with_name(report.stem + ".rejects.csv")
            if report.name != "report.json"
            else report.with_name("rejects.csv")
        )
    interactive = sys.stderr.isatty() and os.environ.get("MARSOC_PROGRESS", "") != "plain"
    store = open_store(settings)
    try:
        result = load_directory(
            store,
            directory,
            report_path=report,
            rejects_path=rejects,
            max_reject_rate=max_reject_rate,
            progress=True if interactive else _plain_progress,
            run_id=run_id,
            resolve=not no_resolve,
            agency=agency,
        )
    except KeyboardInterrupt:
        # load_directory has written the report (the file being read is marked interrupted).
        console.print(f"[red]load interrupted; report: {report}[/red]")
        raise typer.Exit(130) from None
    finally:
        store.close()
    _audit_load(settings, result)
    if as_json:
        print_json(result.to_dict())
    else:
        from rich.console import Console

        wide = console if console.is_terminal else Console(stderr=True, width=120)
        wide.print(_summary_table(result))
        if result.identity:
            console.print(
                f"identity: {result.identity['candidates']} candidate pairs among {result.identity['persons']} records"
            )
        if result.resolutions:
            console.print(f"resolutions: {result.resolutions}")
        for f in result.files:
            if f.status == "skipped":
                console.print(f"[yellow]{f.message}[/yellow]")
            if f.failed and f.store_holds:
                console.print(f"{f.file}: the store holds {f.store_holds}")
            if f.excluded_reasons:
                reasons = ", ".join(f"{k}: {v}" for k, v in sorted(f.excluded_reasons.items()))
                console.print(f"{f.file}: excluded {reasons}")
        console.print(f"report: {result.report_path}")
        console.print(f"rejects: {result.rejects_path}")
    for problem in result.problems:
        console.print(f"[red]{problem}[/red]")
    if not result.ok:
        raise typer.Exit(1)


def _audit_load(settings: Any, result: Any) -> None:
    """The load's collection (and combination) records in the audit log."""
    from graph_service.appdb import open_app_db
    from graph_service.appdb.audit import record_load

    db = open_app_db(settings)
    try:
        record_load(db, result)
    finally:
        db.close()


def load_network_command(
    file: Annotated[Path, typer.Argument(help="Edge list or adjacency matrix.", exists=True, dir_okay=False)],
    name: Annotated[str, typer.Option("--name", help="Network name (nodes are net:<name>:<label>).")],
    directed: Annotated[bool, typer.Option("--directed", help="Keep link direction (default: undirected).")] = False,
    header: Annotated[
        bool | None,
        typer.Option("--header/--no-header", help="Force whether an edge list has a header row (default: detect)."),
    ] = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load a generic network (edge list or adjacency matrix) as Actor nodes and CONNECTED_TO links."""
    from loaders.network import NetworkFormatError, check_network_name, load_network

    try:
        check_network_name(name)
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    with open_store_for(data_dir) as store:
        try:
            result = load_network(store, file, name=name, directed=directed, header=header)
        except (NetworkFormatError, UnicodeDecodeError) as error:
            console.print(f"[red]{file}: {error}[/red]")
            raise typer.Exit(1) from None
    if as_json:
        print_json(result.to_dict())
        return
    console.print(
        f"network {name}: {result.nodes} nodes, {result.links} links ({result.format}, "
        f"{'directed' if directed else 'undirected'}, header {'yes' if result.header else 'no'}); "
        f"skipped {result.self_loops_skipped} self-loops, {result.zero_cells_skipped} zero cells, "
        f"{result.blank_rows_skipped} blank rows; {result.merged_pairs} repeated pairs merged (weight: max)"
    )
    for problem in result.malformed:
        console.print(f"[yellow]line {problem['line']}: {problem['reason']}[/yellow]")


def stats_command(
    network: Annotated[str, typer.Option("--network", help="Name of a network loaded with load-network.")],
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Statistics of a generic network computed from the store."""
    from graph_service.analytics.stats import network_stats
    from graph_service.store import SubgraphFilter

    with open_store_for(data_dir) as store:
        graph = store.subgraph(SubgraphFilter(network=network))
    if graph.number_of_nodes() == 0:
        console.print(f"[red]no network named {network!r} in the store[/red]")
        raise typer.Exit(1)
    stats = {"network": network, **network_stats(graph)}
    if as_json:
        print_json(stats)
        return
    for key, value in stats.items():
        typer.echo(f"{key:<20} {value}")


def register(app: typer.Typer) -> None:
    app.command("load")(load_command)
    app.command("load-network")(load_network_command)
    app.command("stats")(stats_command)

"""``marsoc demo``: the main job. Generate a demo world, load it, serve it in the browser.

The first run generates the seeded demo world into ``DATA_DIR/demo-world``, loads it
into the store (with the loaders, exactly as ``marsoc load`` does) and records a stamp,
``DATA_DIR/demo-loaded.json``. Later runs find the stamp and the loaded store and go
straight to serving, in seconds. A load cut short (Ctrl-C, crash) leaves the stamp in
state ``loading``: the next run empties the store and loads again. The demo never
loads into a store holding data it did not load itself.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import time
import webbrowser
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import SecretStr

from graph_service.commands.common import DataDirOption, console
from graph_service.settings import Settings

DEMO_SCALE = "demo"
DEMO_SEED = 1
WORLD_DIR_NAME = "demo-world"
STAMP_NAME = "demo-loaded.json"
STAMP_VERSION = 1
HOST = "127.0.0.1"


class DemoRefused(Exception):
    """The demo will not touch this store (it holds data the demo did not load)."""


def store_identity(settings: Settings) -> dict[str, str]:
    """What the stamp is about: which store, which graph."""
    if settings.store == "embedded":
        where = str(settings.embedded_db_path.resolve())
    elif settings.store == "falkordb":
        where = str(settings.falkordb_url)
    else:
        where = f"{settings.neo4j_uri}/{settings.neo4j_database}"
    return {"store": settings.store, "where": where, "graph_name": settings.graph_name}


def read_stamp(path: Path) -> dict[str, Any] | None:
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, OSError):
        return None
    return stamp if isinstance(stamp, dict) and stamp.get("version") == STAMP_VERSION else None


def write_stamp(path: Path, stamp: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def node_total(store: Any) -> int:
    return int(store.read_internal("node-count")[0]["n"] or 0)


def generate_demo_world(world: Path) -> dict[str, int]:
    """Write the seeded demo world into ``world`` (all or nothing)."""
    from graph_service.synthetic import generate_world

    partial = world.with_name(world.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    with console.status(f"Generating the demo world (seed {DEMO_SEED})…"):
        counts = generate_world(DEMO_SCALE, DEMO_SEED, partial, progress=False)
    shutil.rmtree(world, ignore_errors=True)
    os.replace(partial, world)
    return counts


def _plain_progress(event: str, file: str, info: dict[str, Any]) -> None:
    if event == "done":
        r = info["report"]
        line = f"  {file}: {r.loaded} loaded, {r.rejected} rejected, {r.excluded} excluded"
    elif event == "start":
        line = f"  {file}: loading {info.get('total')} rows"
    elif event == "batch":
        return
    else:
        line = f"  {file}: {info.get('message', event)}"
    print(line, file=sys.stderr, flush=True)


def prepare_demo(store: Any, settings: Settings, *, fresh: bool = False) -> dict[str, Any]:
    """Make sure the store holds the demo world; returns the stamp."""
    data_dir = settings.data_dir
    world = data_dir / WORLD_DIR_NAME
    stamp_path = data_dir / STAMP_NAME
    identity = store_identity(settings)
    stamp = read_stamp(stamp_path)
    ours = stamp is not None and stamp.get("identity") == identity
    present = node_total(store)

    if present and not ours:
        raise DemoRefused(
            f"the store ({identity['store']}, {identity['where']}) already holds {present:,} nodes that "
            "marsoc demo did not load. Serve them with `marsoc serve`, or run the demo elsewhere with --data-dir."
        )
    if ours and stamp is not None and stamp.get("state") == "loaded" and present and not fresh:
        console.print(
            f"Reusing the demo world loaded {stamp.get('loaded_at', '?')} "
            f"([bold]{present:,}[/bold] nodes, load {stamp.get('run_id', '?')})."
        )
        return stamp
    if present:
        reason = "--fresh" if fresh else "the last demo load did not finish"
        with console.status(f"Emptying the store ({reason})…"):
            store.delete_all()
    if fresh:
        shutil.rmtree(world, ignore_errors=True)

    if not (world / "ground_truth.json").is_file():
        started = time.perf_counter()
        counts = generate_demo_world(world)
        console.print(
            f"Generated the demo world (seed {DEMO_SEED}): {sum(counts.values()):,} rows in "
            f"{len(counts)} files, {time.perf_counter() - started:.1f}s -> {world}"
        )
    else:
        console.print(f"Using the demo world in {world}.")

    from loaders.runner import load_directory, new_run_id

    run_id = new_run_id()
    report_path = data_dir / "reports" / run_id / "report.json"
    write_stamp(
        stamp_path,
        {"version": STAMP_VERSION, "state": "loading", "identity": identity, "run_id": run_id, "world": str(world)},
    )
    console.print("Loading the demo world into the store…")
    started = time.perf_counter()
    report = load_directory(
        store,
        world,
        report_path=report_path,
        progress=True if console.is_terminal else _plain_progress,
        run_id=run_id,
        agency=DEMO_AGENCY,
    )
    seconds = time.perf_counter() - started
    from graph_service.appdb import open_app_db
    from graph_service.appdb.audit import record_load

    db = open_app_db(settings)
    try:
        record_load(db, report, endpoint="marsoc demo")
    finally:
        db.close()
    loaded = sum(f.loaded for f in report.files)
    rejected = sum(f.rejected for f in report.files)
    for problem in report.problems:
        console.print(f"[yellow]{problem}[/yellow]")
    stamp = {
        "version": STAMP_VERSION,
        "state": "loaded",
        "identity": identity,
        "scale": DEMO_SCALE,
        "seed": DEMO_SEED,
        "world": str(world),
        "run_id": run_id,
        "report": str(report_path),
        "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_seconds": round(seconds, 1),
        "nodes": node_total(store),
    }
    write_stamp(stamp_path, stamp)
    console.print(
        f"Loaded {loaded:,} rows in {seconds:.1f}s ({rejected:,} rejected as planted bad rows; report: {report_path})."
    )
    return stamp


def has_display() -> bool:
    """Whether a graphical browser can open (not on a headless Linux server)."""
    if sys.platform.startswith(("darwin", "win")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_browser(url: str) -> None:
    # Without a display, webbrowser would start a text browser in this terminal.
    if not has_display():
        console.print("No graphical display here: open the URL above in a browser.")
        return
    try:
        opened = webbrowser.open(url)
    except (webbrowser.Error, OSError):
        opened = False
    if not opened:
        console.print("Could not open a browser: open the URL above yourself.")


def demo_command(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to serve on (127.0.0.1 only).")] = 8000,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the URL but do not open a browser.")] = False,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Generate and load the demo world again (only a store the demo loaded).")
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """The main job: generate a demo world, load it into the embedded store and open it in the browser.

    The first run takes about half a minute; later runs reuse the loaded store and start in seconds.
    Ctrl-C stops the server and closes the store.
    """
    from graph_service.api.app import create_app
    from graph_service.api.server import ServeError, ignore_stop_signals, port_problem, serve_app
    from graph_service.commands.common import settings_for
    from graph_service.store import StoreError, open_store

    started = time.perf_counter()
    settings = demo_settings(settings_for(data_dir))
    problem = port_problem(HOST, port)
    if problem:
        console.print(f"[red]Cannot start: {problem}[/red]")
        raise typer.Exit(2) from None
    console.print(f"[bold]marsoc demo[/bold]: data in {settings.data_dir.resolve()}")
    try:
        with console.status("Starting the graph store…"):
            store = open_store(settings)
    except StoreError as error:
        console.print(f"[red]Cannot open the graph store: {error}[/red]")
        raise typer.Exit(1) from None
    url = f"http://{HOST}:{port}/"
    try:
        try:
            prepare_demo(store, settings, fresh=fresh)
        except DemoRefused as error:
            console.print(f"[red]Not loading the demo: {error}[/red]")
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            ignore_stop_signals()  # a second Ctrl-C must not interrupt closing the store
            console.print("[yellow]Interrupted; the next run loads the demo again.[/yellow]")
            raise typer.Exit(130) from None

        sign_ins = demo_users(settings)

        def ready() -> None:
            typer.echo(f"marsoc demo is ready at {url}", err=False)
            typer.echo("Sign in as (demo accounts of this data folder only):")
            for username, role, agency, password in sign_ins:
                typer.echo(f"  {username:<18} {password}   ({role}, {agency})")
            sys.stdout.flush()
            console.print(f"Started in {time.perf_counter() - started:.1f}s. Press Ctrl-C to stop.")
            if not no_browser:
                open_browser(url)

        app = create_app(settings, store=store)
        try:
            serve_app(app, HOST, port, log_level="warning", access_log=False, on_ready=ready)
        except ServeError as error:
            console.print(f"[red]Cannot serve: {error}[/red]")
            raise typer.Exit(1) from None
    finally:
        store.close()
    console.print("Stopped; the store is closed.")


DEMO_USERS_FILE = "demo-users.json"
# The demo's exports come from the hub's prison intelligence unit: its handling C facts
# are visible to HMPPS users only (sign in as another agency to see them withheld).
DEMO_AGENCY = "hmpps"
SECRET_KEY_FILE = "secret-key"


def _private_file(path: Path, text: str) -> None:
    """Write ``text`` readable by this user only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def demo_settings(settings: Any) -> Any:
    """The settings with a secret key: MARSOC_SECRET_KEY, or the demo's own, generated
    once and kept in its data folder (readable by this user only)."""
    if settings.secret_key is not None:
        return settings
    path = settings.data_dir / SECRET_KEY_FILE
    if not path.exists():
        _private_file(path, secrets.token_hex(32))
    return settings.model_copy(update={"secret_key": SecretStr(path.read_text(encoding="utf-8").strip())})


def demo_users(settings: Any) -> list[tuple[str, str, str, str]]:
    """One account per role and agency in the demo's application database, with
    random passwords kept (this user only) in the data folder: (username, role, agency,
    password). Nothing like it exists outside ``marsoc demo``."""
    from graph_service.appdb import open_app_db
    from graph_service.appdb.users import AGENCIES, ROLES, Users

    path = settings.data_dir / DEMO_USERS_FILE
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    db = open_app_db(settings)
    try:
        users = Users(db)
        rows = []
        for role in ROLES:
            for agency in AGENCIES:
                username = f"{role}.{agency}"
                password = known.get(username)
                if password is None or users.get(username) is None:
                    password = password or secrets.token_urlsafe(12)
                    if users.get(username) is None:
                        users.add(username, password, role, agency)
                    else:
                        users.reset_password(username, password)
                    known[username] = password
                rows.append((username, role, agency, password))
    finally:
        db.close()
    _private_file(path, json.dumps(known, indent=2))
    return rows


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)

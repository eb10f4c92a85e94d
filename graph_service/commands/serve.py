"""``marsoc serve``: serve the web app over the configured store."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from graph_service.commands.common import DataDirOption, console, settings_for


def serve_command(
    host: Annotated[
        str | None, typer.Option("--host", help="Address to listen on (MARSOC_HOST, default 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", min=1, max=65535, help="Port to listen on (MARSOC_PORT, default 8000).")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the people pages, network maps and the read-only Cypher console. Ctrl-C stops it."""
    from graph_service.api.app import create_app
    from graph_service.api.server import ServeError, serve_app

    settings = settings_for(data_dir)
    if settings.secret_key is None:
        console.print(
            "[red]Cannot start: MARSOC_SECRET_KEY is not set (at least 32 characters, for example "
            "the output of `openssl rand -hex 32`); the service signs its sign-in tokens with it.[/red]"
        )
        raise typer.Exit(2)
    host = host or settings.host
    port = port or settings.port
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(
            f"[yellow]Listening on {host}: serve it behind https (MARSOC_SECURE_COOKIES=true) "
            "so that passwords and session cookies never cross the network in clear.[/yellow]"
        )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"

    def ready() -> None:
        typer.echo(f"marsoc is serving at {url}")
        sys.stdout.flush()
        console.print(f"Store: {settings.store}. Press Ctrl-C to stop.")

    try:
        serve_app(create_app(settings), host, port, on_ready=ready)
    except ServeError as error:
        console.print(f"[red]Cannot serve: {error}[/red]")
        raise typer.Exit(1) from None
    console.print("Stopped; the store is closed.")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)

"""Options and helpers shared by every command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from graph_service.settings import Settings, load_settings

DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder for the embedded store and app data (MARSOC_DATA_DIR)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]

console = Console(stderr=True)


def settings_for(data_dir: Path | None) -> Settings:
    return load_settings(data_dir=data_dir)


@contextmanager
def open_store_for(data_dir: Path | None) -> Iterator[Any]:
    """Open the configured graph store for one command and close it after."""
    from graph_service.store import open_store

    store = open_store(settings_for(data_dir))
    try:
        yield store
    finally:
        store.close()


def print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str, sort_keys=False))

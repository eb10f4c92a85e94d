"""The ``marsoc`` command line. Each command family lives in ``graph_service/commands``."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="marsoc",
    help="Intelligence link-analysis graph service for multi-agency prison intelligence hubs.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """Intelligence link-analysis graph service for multi-agency prison intelligence hubs.

    Settings come from MARSOC_* environment variables (see `marsoc config`).
    """


# Modules in graph_service.commands that each define ``register(app)``.
COMMAND_MODULES: tuple[str, ...] = (
    "config",
    "demo",
    "generate",
    "load",
    "analyse",
    "serve",
)

for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"graph_service.commands.{_name}")
    except ModuleNotFoundError as error:  # a family not written yet
        if error.name != f"graph_service.commands.{_name}":
            raise
        continue
    _module.register(app)


if __name__ == "__main__":
    app()

"""The ``marsoc`` command line. Each command family lives in ``graph_service/commands``."""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer import _click as click  # the click typer ships and builds its commands with

app = typer.Typer(
    name="marsoc",
    help="Intelligence link-analysis graph service for multi-agency prison intelligence hubs.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def root() -> None:
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
    "users",
    "erase",
    "export",
)


def register_commands(target: typer.Typer) -> None:
    """Register every command family; a module that fails to import stops the CLI with
    its error (a half-installed command set must never look complete)."""
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"graph_service.commands.{name}")
        module.register(target)


register_commands(app)


# Typer's type tags (``<path>``) and the plain names shown instead.
_TAG_NAMES = {
    "path": "PATH",
    "str": "TEXT",
    "int": "INTEGER",
    "int range": "INTEGER",
    "float": "NUMBER",
    "float range": "NUMBER",
}


def plain_help(command: Any) -> Any:
    """Give every option and argument of ``command`` (and its subcommands) a plain name
    in ``--help``: ``--report PATH``, ``DIRECTORY``, and nothing beside a flag, instead
    of the type tags typer prints (``<path>``, ``<float range>``, ``<bool>``)."""
    context = click.Context(command)
    for param in command.params:
        if getattr(param, "is_flag", False):
            param.metavar = "" if param.metavar is None else param.metavar
            continue
        tag = param.display_type(context).strip("<>")
        name = _TAG_NAMES.get(tag.removeprefix("list[").removesuffix("]"), tag if "|" in tag else tag.upper())
        if param.param_type_name == "argument":
            param.metavar = param.metavar or (param.name or "value").upper()
            param.display_type_rich = lambda ctx, name=name: name  # the type column, as for options
        elif param.metavar is None:
            param.metavar = name
    original = command.get_help_option

    def help_option(ctx: Any, original: Any = original) -> Any:
        option = original(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = help_option
    for sub in getattr(command, "commands", {}).values():
        plain_help(sub)
    return command


def main() -> None:
    """The ``marsoc`` entry point."""
    plain_help(typer.main.get_command(app))()


if __name__ == "__main__":
    main()

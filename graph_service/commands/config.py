"""``marsoc config``: show the effective, validated configuration."""

from __future__ import annotations

import typer

from graph_service.commands.common import DataDirOption, JsonOption, print_json, settings_for

SECRET_FIELDS = {"neo4j_password", "secret_key", "app_db_url"}


def show_config(data_dir: DataDirOption = None, as_json: JsonOption = False) -> None:
    """Validate the configuration (MARSOC_* variables) and print it, secrets hidden."""
    settings = settings_for(data_dir)
    values = settings.model_dump(mode="json")
    for name in SECRET_FIELDS:
        if values.get(name):
            values[name] = "***"
    values["cohort_weights"] = settings.cohort_weights.model_dump()
    if as_json:
        print_json(values)
        return
    for name, value in values.items():
        typer.echo(f"MARSOC_{name.upper():<28} {value}")


def register(app: typer.Typer) -> None:
    app.command("config")(show_config)

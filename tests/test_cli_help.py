"""``marsoc --help`` and every command's ``--help`` read cleanly, and the command set is whole."""

from __future__ import annotations

import importlib
import re

import pytest
import typer

from graph_service import cli

COMMANDS = sorted(plain.name for plain in typer.main.get_command(cli.app).commands.values())  # type: ignore[attr-defined]


def _help(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", "160")
    command = cli.plain_help(typer.main.get_command(cli.app))
    with pytest.raises(SystemExit) as done:
        command.main([*args, "--help"], prog_name="marsoc")
    assert done.value.code == 0
    return capsys.readouterr().out


def test_every_command_family_is_registered():
    assert {"config", "demo", "generate", "load", "load-network", "bridges", "hubs", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_help_has_no_type_tags(capsys, monkeypatch, name):
    text = _help(capsys, monkeypatch, name)
    assert "Usage: marsoc" in text
    tags = re.findall(r"<(?:bool|path|int|float|str|float range|int range|text|list\[[a-z]+\])>", text)
    assert tags == [], f"marsoc {name} --help shows type tags {tags}"


def test_options_read_as_plain_names(capsys, monkeypatch):
    text = _help(capsys, monkeypatch, "load")
    assert re.search(r"--report\s+PATH", text) and re.search(r"--max-reject-rate\s+NUMBER", text)
    assert re.search(r"--json\s+Print machine-readable JSON", text)  # a flag: nothing beside it
    assert re.search(r"DIRECTORY\s+PATH\s+Folder", text)


def test_a_command_module_that_fails_to_import_fails_loudly(monkeypatch):
    real = importlib.import_module

    def broken(name: str):
        if name == "graph_service.commands.load":
            raise ModuleNotFoundError("No module named 'graph_service.commands.load'", name=name)
        return real(name)

    monkeypatch.setattr(cli.importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError):
        cli.register_commands(typer.Typer())

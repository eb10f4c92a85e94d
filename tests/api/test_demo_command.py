"""``marsoc demo`` and ``marsoc serve`` as real subprocesses: first run, second run, clean stop.

The first run generates the seeded demo world, loads it and serves it; the second run
reuses the loaded store and starts in seconds. Ctrl-C (SIGINT to the process group, as a
terminal sends it) and SIGTERM must stop the server with exit code 0, close the store
and leave no redis-server behind.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from graph_service.commands.demo import STAMP_NAME, DemoRefused, prepare_demo
from graph_service.settings import load_settings
from graph_service.store import LoadRun, open_store

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def servers_for(data_dir: Path) -> list[psutil.Process]:
    graph_dir = str(data_dir / "graph")
    found = []
    for process in psutil.process_iter(["name", "cwd"]):
        try:
            if "redis" in (process.info["name"] or "") and process.info["cwd"] == graph_dir:
                found.append(process)
        except psutil.Error:
            continue
    return found


class Running:
    def __init__(self, args: list[str], workdir: Path, *, via_uv: bool = False, env: dict | None = None):
        self.out = (workdir / f"out-{time.monotonic_ns()}.txt").open("w+")
        self.err = (workdir / f"err-{time.monotonic_ns()}.txt").open("w+")
        self.started = time.perf_counter()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "120", **(env or {})}
        uv = shutil.which("uv")
        command = [uv, "run", "--no-sync", "marsoc"] if via_uv and uv else [sys.executable, "-m", "graph_service.cli"]
        self.process = subprocess.Popen(
            [*command, *args],
            stdout=self.out,
            stderr=self.err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, like a terminal's foreground job
            env=env,
        )

    def wait_healthy(self, url: str, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"exited early with {self.process.returncode}:\n{self.stderr()}")
            try:
                if httpx.get(url + "health", timeout=2).status_code == 200:
                    return time.perf_counter() - self.started
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"no /health within {timeout}s:\n{self.stderr()}")

    def stop(self, sig: int, *, group: bool = True) -> int:
        """Signal the process group (as a terminal's Ctrl-C does) or only the process."""
        if group:
            os.killpg(self.process.pid, sig)
        else:
            self.process.send_signal(sig)
        return self.process.wait(timeout=60)

    def stdout(self) -> str:
        self.out.seek(0)
        return self.out.read()

    def stderr(self) -> str:
        self.err.seek(0)
        return self.err.read()

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("demo-data")
    yield path
    for server in servers_for(path):  # never leave one behind, even when a test failed
        server.kill()


@pytest.fixture
def run_command(tmp_path) -> Iterator:
    started: list[Running] = []

    def start(*args: str, via_uv: bool = False, env: dict | None = None) -> Running:
        running = Running(list(args), tmp_path, via_uv=via_uv, env=env)
        started.append(running)
        return running

    yield start
    for running in started:
        running.kill()


timings: dict[str, float] = {}


def test_first_run_generates_loads_serves_and_stops_on_ctrl_c(demo_dir, run_command):
    port = free_port()
    demo = run_command("demo", "--no-browser", "--port", str(port), "--data-dir", str(demo_dir))
    url = f"http://127.0.0.1:{port}/"
    timings["first"] = demo.wait_healthy(url, timeout=300)
    deadline = time.monotonic() + 10
    while url not in demo.stdout() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert f"marsoc demo is ready at {url}" in demo.stdout()
    assert httpx.get(url + "health").json()["status"] == "ok"
    assert httpx.get(url + "api/counts").status_code == 401  # nothing without signing in
    # The demo prints one account per role and agency; each signs in.
    printed = re.findall(r"^  (\S+\.\S+)\s+(\S+)\s+\((\w+), (\w+)\)$", demo.stdout(), re.M)
    assert {(role, agency) for _, _, role, agency in printed} == {
        (r, a) for r in ("viewer", "analyst", "admin") for a in ("police", "hmpps", "probation", "nca")
    }
    logins = {name: password for name, password, _, _ in printed}
    token = httpx.post(
        url + "api/v1/auth/token", data={"username": "analyst.police", "password": logins["analyst.police"]}
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}", "X-Justification": "demo test"}
    health = {"counts": httpx.get(url + "api/counts", headers=headers).json()}
    assert health["counts"]["nodes"]["Prisoner"] > 100
    people = httpx.get(url + "people", headers=headers).text
    assert "people; page 1 of" in people
    assert oct((demo_dir / "demo-users.json").stat().st_mode & 0o777) == "0o600"
    assert oct((demo_dir / "secret-key").stat().st_mode & 0o777) == "0o600"
    assert (demo_dir / "demo-world" / "ground_truth.json").is_file()
    stamp = json.loads((demo_dir / STAMP_NAME).read_text())
    assert stamp["state"] == "loaded" and stamp["nodes"] == sum(
        v for k, v in health["counts"]["nodes"].items() if k in ("Person", "Phone", "OCG", "Establishment", "Postcode")
    )
    assert demo.stop(signal.SIGINT) == 0, demo.stderr()
    assert servers_for(demo_dir) == []
    err = demo.stderr()
    assert "Traceback" not in err and "ERROR" not in err and "Exception" not in err, err
    assert "Stopped; the store is closed." in err


def test_second_run_through_uv_reuses_the_store_and_stops_on_ctrl_c(demo_dir, run_command):
    """`uv run marsoc demo`, the README's command: uv forwards Ctrl-C, so the server gets it twice."""
    if "first" not in timings:
        pytest.skip("needs the first run")
    port = free_port()
    demo = run_command("demo", "--no-browser", "--port", str(port), "--data-dir", str(demo_dir), via_uv=True)
    timings["second"] = demo.wait_healthy(f"http://127.0.0.1:{port}/", timeout=120)
    assert "Reusing the demo world loaded" in demo.stderr()
    assert "Loading the demo world" not in demo.stderr()
    assert timings["second"] < timings["first"]
    assert demo.stop(signal.SIGINT) == 0, demo.stderr()
    assert servers_for(demo_dir) == []
    err = demo.stderr()
    assert "Traceback" not in err and "ERROR" not in err, err
    assert "Stopped; the store is closed." in err


def test_sigterm_stops_the_demo_cleanly(demo_dir, run_command):
    if "first" not in timings:
        pytest.skip("needs the first run")
    port = free_port()
    demo = run_command("demo", "--no-browser", "--port", str(port), "--data-dir", str(demo_dir))
    demo.wait_healthy(f"http://127.0.0.1:{port}/", timeout=120)
    assert demo.stop(signal.SIGTERM, group=False) == 0, demo.stderr()
    assert servers_for(demo_dir) == []
    assert "Traceback" not in demo.stderr()
    assert "Stopped; the store is closed." in demo.stderr()


def test_demo_port_in_use_is_a_clear_error(demo_dir, run_command):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        demo = run_command("demo", "--no-browser", "--port", str(port), "--data-dir", str(demo_dir))
        assert demo.process.wait(timeout=60) == 2
    assert "already in use" in demo.stderr()
    assert servers_for(demo_dir) == []


def test_serve_serves_the_store_and_stops_on_ctrl_c(demo_dir, run_command):
    if "first" not in timings:
        pytest.skip("needs the demo store")
    port = free_port()
    refused = run_command("serve", "--port", str(port), "--data-dir", str(demo_dir), env={"MARSOC_SECRET_KEY": ""})
    assert refused.process.wait(60) == 2 and "MARSOC_SECRET_KEY is not set" in refused.stderr()
    key = {"MARSOC_SECRET_KEY": "serve-test-secret-0123456789abcdef0123"}
    serve = run_command("serve", "--port", str(port), "--data-dir", str(demo_dir), env=key)
    serve.wait_healthy(f"http://127.0.0.1:{port}/", timeout=120)
    line = f"marsoc is serving at http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 10  # /health can answer before the line is flushed
    while line not in serve.stdout() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert line in serve.stdout()
    assert serve.stop(signal.SIGINT) == 0, serve.stderr()
    assert servers_for(demo_dir) == []
    assert "Traceback" not in serve.stderr()


def test_demo_never_loads_into_a_store_it_did_not_load(tmp_path):
    settings = load_settings(data_dir=tmp_path)
    store = open_store(settings)
    try:
        store.upsert_nodes(
            "Phone", [{"id": "phone:+447700900123", "props": {"number": "+447700900123"}}], LoadRun("real")
        )
        with pytest.raises(DemoRefused, match="did not load"):
            prepare_demo(store, settings)
        assert store.counts()["nodes"] == {"Phone": 1}
    finally:
        store.close()
    assert not (tmp_path / "demo-world").exists()


def test_an_interrupted_demo_load_is_redone(demo_dir):
    if "first" not in timings:
        pytest.skip("needs the demo store")
    settings = load_settings(data_dir=demo_dir)
    stamp_path = demo_dir / STAMP_NAME
    stamp = json.loads(stamp_path.read_text())
    stamp_path.write_text(json.dumps({**stamp, "state": "loading"}))
    store = open_store(settings)
    try:
        store.execute_write("MATCH (n:Visitor) WITH n LIMIT 50 DETACH DELETE n")  # a half-done load
        redone = prepare_demo(store, settings)
        assert redone["state"] == "loaded" and redone["run_id"] != stamp["run_id"]
        assert redone["nodes"] == stamp["nodes"]
    finally:
        store.close()

"""Browser tests: Debian's Chromium driven by Playwright against the real app.

The app runs with uvicorn in a background thread on a free 127.0.0.1 port, over an
embedded store in tmp holding the sample graph of ``tests/api/sample_graph.py``.
Without /usr/bin/chromium the tests are skipped with the reason shown, except when
``CI=true``: there they fail (CI installs Chromium, see .ci/run). Playwright's own
browser download (``playwright install``) is never used.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def load_module(path: Path, name: str) -> Any:
    """A helper module of another test folder, registered under ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


sample_graph = load_module(Path(__file__).resolve().parents[1] / "api" / "sample_graph.py", "browser_sample_graph")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        reason = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
            pytest.fail(f"{reason}; CI=true, so this is a failure: the CI set-up must install it")
        pytest.skip(reason)
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(chromium_path: Path, tmp_path_factory) -> Iterator[str]:
    import uvicorn

    from graph_service.api.app import create_app

    settings = sample_graph.build_data_dir(tmp_path_factory.mktemp("browser-data"))
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="browser-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    app.state.store.library = sample_graph.sample_library(tmp_path_factory.mktemp("browser-cypher"))
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium_path), args=LAUNCH_ARGS, headless=True)
        yield launched
        launched.close()


class Recorder:
    """Every request and every script error of one page."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.failed: list[tuple[int, str]] = []
        # Statuses a test expects (a refused write is 403); others >= 400 fail the test.
        self.allowed_statuses: set[int] = set()

    def external(self) -> list[str]:
        found = []
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about"):
                continue
            if parsed.hostname not in LOCAL_HOSTS:
                found.append(url)
        return found


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def page(browser: Any, live_server: str, recorder: Recorder) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("request", lambda request: recorder.requests.append(request.url))
    page.on("pageerror", lambda error: recorder.errors.append(str(error)))
    page.on(
        "response",
        lambda response: recorder.failed.append((response.status, response.url)) if response.status >= 400 else None,
    )

    def console_message(message: Any) -> None:
        # Chromium logs every HTTP error as "Failed to load resource"; those are checked via "response".
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            recorder.errors.append(message.text)

    page.on("console", console_message)
    page.goto("/signin")  # a police analyst signs in through the page, as a person would
    page.fill("input[name=username]", "analyst.police")
    page.fill("input[name=password]", sample_graph.PASSWORD)
    page.click("form.signin button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    page.goto("/purpose?next=/")  # the line of enquiry, asked once
    page.fill("input[name=purpose]", "Op TESTBED, browser checks")
    page.click("form.purpose button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    yield page
    context.close()
    assert recorder.external() == [], f"requests left the machine: {recorder.external()}"
    assert recorder.errors == [], f"script errors: {recorder.errors}"
    unexpected = [(status, url) for status, url in recorder.failed if status not in recorder.allowed_statuses]
    assert unexpected == [], f"unexpected HTTP errors: {unexpected}"


ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artefacts" / "screenshots"  # kept as test artefacts (not committed)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    npm = load_module(ROOT / "tests" / "cypher" / "neo4j_parser.py", "browser_npm_packages")
    npm.ensure_packages()
    return npm.AXE


def axe_violations(page: Any, script: Path) -> list[str]:
    from playwright.sync_api import Error

    page.add_script_tag(path=str(script))
    for attempt in range(3):
        try:
            found = page.evaluate(
                "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            )
            break
        except Error as error:  # axe itself failed (a node it was describing left the page): run it again
            if "axe.min.js" not in str(error) or attempt == 2:
                raise
            page.wait_for_timeout(500)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in found["violations"]
    ]

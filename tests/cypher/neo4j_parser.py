"""Neo4j's own Cypher parser for the tests: found, or installed once from the lock file.

``tests/cypher/lint_cypher.mjs`` runs ``lintCypherQuery`` of the npm package
``@neo4j-cypher/language-support``. When ``node_modules`` lacks it (or ``axe-core``,
which the browser tests inject into pages) and ``npm`` is on the PATH,
:func:`ensure_packages` runs ``npm ci`` at the repository root
(the versions of ``package-lock.json``, nothing else), once, under a file lock so that
parallel test processes do not install it twice, and says so on the terminal. Without
Node.js the tests that need the parser are skipped with the reason, except under
``CI`` is ``true`` (or ``1``, ``yes``), where they fail: CI installs Node.js.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from typing import Any

import pytest
from filelock import FileLock

from graph_service.cypher_library import CYPHER_DIR

ROOT = CYPHER_DIR.parent
LINT = ROOT / "tests" / "cypher" / "lint_cypher.mjs"
PACKAGE = ROOT / "node_modules" / "@neo4j-cypher" / "language-support"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
EDITOR = ROOT / "node_modules" / "@neo4j-cypher" / "codemirror"
SIGMA = ROOT / "node_modules" / "sigma"
NEEDED = (PACKAGE, AXE, ESBUILD, EDITOR, SIGMA)  # everything package-lock.json installs that the tests use
LOCK = ROOT / ".npm-install.lock"
INSTALL_TIMEOUT_S = 600


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason}; CI=true, so this is a failure: the CI set-up must install Node.js")
    pytest.skip(reason)


# pytest's config, set by tests/cypher/conftest.py, to write a line past output capture.
CONFIG: list[pytest.Config] = []


def _say(line: str) -> None:
    text = f"[marsoc tests] {line}"
    if not CONFIG:
        sys.stderr.write(f"\n{text}\n")
        return
    reporter = CONFIG[0].pluginmanager.get_plugin("terminalreporter")
    capture = CONFIG[0].pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        sys.stderr.write(f"\n{text}\n")
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(text, bold=True)


def ensure_parser() -> str:
    """The path of ``node``, with Neo4j's parser installed; skips (fails in CI) without Node.js."""
    node = shutil.which("node")
    if node is None:
        _unavailable("the Neo4j Cypher checks need Node.js (`node` on the PATH)")
    assert node is not None
    ensure_packages()
    return node


def ensure_packages() -> None:
    """Install package-lock.json's packages with ``npm ci`` once, when one the tests use is missing."""
    if all(p.exists() for p in NEEDED):
        return
    npm = shutil.which("npm")
    if npm is None:
        _unavailable("the test suite's npm packages are not installed and `npm` is not on the PATH to install them")
    assert npm is not None
    with FileLock(str(LOCK), timeout=INSTALL_TIMEOUT_S):
        if all(p.exists() for p in NEEDED):  # another test process installed them while this one waited
            return
        _say(
            "installing the suite's npm packages (Neo4j's Cypher parser, axe-core) with `npm ci` from package-lock.json"
        )
        try:
            done = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"`npm ci` did not finish in {INSTALL_TIMEOUT_S} s")
        if done.returncode != 0 or not all(p.exists() for p in NEEDED):
            pytest.fail(
                f"`npm ci` failed (exit {done.returncode}); run it at {ROOT} to see why:\n{done.stderr[-2000:]}"
            )
        _say("npm packages installed")


def run_lint(jobs: list[tuple[str, str, str]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Lint ``(id, text, cypher version)`` jobs; {(id, version): diagnostics}.

    The jobs are spread round-robin over parallel node processes (one per CPU, at most 8).
    """
    node = ensure_parser()
    workers = max(1, min(len(jobs), os.cpu_count() or 1, 8))
    chunks: dict[tuple[int, str], list[dict[str, str]]] = {}
    for n, (key, text, version) in enumerate(jobs):
        chunks.setdefault((n % workers, version), []).append({"id": key, "text": text})
    started = []
    for (_, version), items in chunks.items():
        process = subprocess.Popen(
            [node, str(LINT), "--cypher", version, "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        started.append((process, json.dumps(items)))
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for process, payload in started:
        try:
            out, err = process.communicate(payload, timeout=600)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("the Cypher linter ran for more than 10 minutes")
        if process.returncode not in (0, 1):
            pytest.fail(f"the Cypher linter failed (exit {process.returncode}):\n{err}")
        for result in json.loads(out)["results"]:
            found[(result["id"], result["cypher"])] = result["diagnostics"]
    return found


def package_version() -> str:
    return json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]

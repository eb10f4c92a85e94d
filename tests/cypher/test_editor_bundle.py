"""The bundles of graph_service/api/static (the console's Cypher editor, cypher-editor.js,
and the large-map renderer, big-map.js) are exactly what `npm run build:editor` and
`npm run build:bigmap` make from package-lock.json's Neo4j editor: rebuilt here offline
with the same esbuild and compared byte for byte, so the committed bundle is never stale
or edited by hand, and it loads nothing from the network."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

from neo4j_parser import ESBUILD, ROOT, ensure_packages

STATIC = ROOT / "graph_service" / "api" / "static"


def _rebuilt(script_name: str, tmp_path) -> tuple[bytes, bytes]:
    """(the build's output, the committed file) of one of package.json's esbuild scripts."""
    ensure_packages()
    script = json.loads((ROOT / "package.json").read_text())["scripts"][script_name]
    build = shlex.split(script.split("&&")[0])
    assert build[0] == "esbuild"
    committed = next(a for a in build if a.startswith("--outfile=")).split("=", 1)[1]
    out = tmp_path / Path(committed).name
    args = [str(ESBUILD), *(f"--outfile={out}" if a.startswith("--outfile=") else a for a in build[1:])]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return out.read_bytes(), (ROOT / committed).read_bytes()


def test_the_committed_bundles_are_the_builds_of_the_locked_packages(tmp_path):
    for script in ("build:editor", "build:bigmap"):
        built, committed = _rebuilt(script, tmp_path)
        assert built == committed, f"run `npm run {script}` and commit"
    css = ROOT / "node_modules" / "@neo4j-cypher" / "codemirror" / "css" / "cypher-codemirror.css"
    assert css.read_bytes() == (STATIC / "cypher-editor.css").read_bytes()


def test_the_bundles_fetch_nothing():
    for name, exported in (("cypher-editor.js", "createCypherEditor"), ("big-map.js", "MarsocBigMap")):
        _fetches_nothing((STATIC / name).read_text(encoding="utf-8"), exported)


def _fetches_nothing(text: str, exported: str) -> None:
    assert exported in text
    # no request of any kind (the parser's token streams have a method named fetch)
    web = (
        r"XMLHttpRequest|importScripts|new Worker\(|sendBeacon|new WebSocket|EventSource\(|(?:window|globalThis)\.fetch"
    )
    assert not re.search(web, text)
    assert not re.search(r"""(?:src|href)\\s*=\\s*["']https?://""", text)

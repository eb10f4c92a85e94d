"""The console's Cypher editor (graph_service/api/static/cypher-editor.js) is exactly what
`npm run build:editor` makes from package-lock.json's Neo4j editor: rebuilt here offline
with the same esbuild and compared byte for byte, so the committed bundle is never stale
or edited by hand, and it loads nothing from the network."""

from __future__ import annotations

import json
import re
import shlex
import subprocess

from neo4j_parser import ESBUILD, ROOT, ensure_packages

STATIC = ROOT / "graph_service" / "api" / "static"


def test_the_committed_editor_bundle_is_the_build_of_the_locked_packages(tmp_path):
    ensure_packages()
    script = json.loads((ROOT / "package.json").read_text())["scripts"]["build:editor"]
    build = shlex.split(script.split("&&")[0])
    assert build[0] == "esbuild"
    out = tmp_path / "cypher-editor.js"
    args = [str(ESBUILD), *(f"--outfile={out}" if a.startswith("--outfile=") else a for a in build[1:])]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == (STATIC / "cypher-editor.js").read_bytes(), "run `npm run build:editor` and commit"
    css = ROOT / "node_modules" / "@neo4j-cypher" / "codemirror" / "css" / "cypher-codemirror.css"
    assert css.read_bytes() == (STATIC / "cypher-editor.css").read_bytes()


def test_the_editor_bundle_fetches_nothing():
    text = (STATIC / "cypher-editor.js").read_text(encoding="utf-8")
    assert "createCypherEditor" in text
    # no request of any kind (the parser's token streams have a method named fetch)
    web = (
        r"XMLHttpRequest|importScripts|new Worker\(|sendBeacon|new WebSocket|EventSource\(|(?:window|globalThis)\.fetch"
    )
    assert not re.search(web, text)
    assert not re.search(r"""(?:src|href)\\s*=\\s*["']https?://""", text)

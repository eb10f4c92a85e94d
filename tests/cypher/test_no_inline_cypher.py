"""No Cypher is written in Python strings outside the store package.

Every statement the product sends lives in a named ``.cypher`` file (``cypher/queries``,
``cypher/internal``, ``cypher/schema``) or is generated from the schema by
``graph_service/store/cypher_gen.py`` (the store port builds the subgraph extraction
from its filters in ``graph_service/store/port.py``); so the header, parameter, portable
Cypher, embedded-run and Neo4j-parser tests cover all of them. This test reads every
string literal (f-strings included, docstrings excluded) of the product's Python files
and fails on one that holds a Cypher clause.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("graph_service", "loaders", "viz")
ALLOWED = ROOT / "graph_service" / "store"

# The start of a Cypher clause as statements write it (English prose in messages does not).
CLAUSE = re.compile(
    r"\b(?:OPTIONAL\s+MATCH|MATCH|MERGE|CREATE)\s*\(|\bUNWIND\s+\$?\w+\s+AS\b|\bCALL\s+[a-z]+\.\w+"
    r"|\bDETACH\s+DELETE\b|\bRETURN\s+(?:DISTINCT\s+)?[a-z_]+(?:\.\w+|\(|\s+AS\b)|\bLOAD\s+CSV\b"
)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def cypher_strings(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string literal in ``source`` that holds a Cypher clause."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        if CLAUSE.search(node.value)
    ]


def product_files() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if ALLOWED not in path.parents and "__pycache__" not in path.parts
    )


def test_the_detector_finds_cypher_in_strings_and_fstrings():
    source = '''
def f(store, label):
    """MATCH (n) RETURN n in a docstring is documentation."""
    store.read_all("MATCH (n:Person) RETURN n.id AS id")
    store.read_all(f"MATCH (n:{label}) RETURN count(n) AS n")
    store.read_all("UNWIND $rows AS row SET row.x = 1")
    store.read_all("CALL db.labels()")
    message = "the console refuses CREATE, MERGE, SET, DELETE and writing procedures"
'''
    assert sorted({line for line, _ in cypher_strings(source)}) == [4, 5, 6, 7]


def test_the_product_files_are_all_read():
    files = product_files()
    assert len(files) > 50
    assert ROOT / "loaders" / "base.py" in files and ROOT / "graph_service" / "api" / "routers" / "people.py" in files
    assert not any(ALLOWED in f.parents for f in files)


@pytest.mark.parametrize("path", product_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_cypher_in_python_strings(path: Path):
    found = cypher_strings(path.read_text(encoding="utf-8"))
    assert not found, (
        "Cypher written in a Python string: put it in a named .cypher file (cypher/internal) "
        "and run it through store.read_internal/write_internal:\n"
        + "\n".join(f"  line {line}: {text[:100]!r}" for line, text in found)
    )

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

# The start of a Cypher clause as statements write it, in any case (English prose in
# messages does not read like this).
CLAUSE = re.compile(
    r"\b(?:OPTIONAL\s+MATCH|MATCH|MERGE|CREATE)\s*\(|\bUNWIND\s+\$?\w+\s+AS\b|\bCALL\s+[a-z]+\.\w+|\bCALL\s*\{"
    r"|\bDETACH\s+DELETE\b|\bRETURN\s+(?:DISTINCT\s+)?(?:[a-z_]+(?:\.\w+|\(|\s+AS\b)|\d|\*)|\bLOAD\s+CSV\b"
    r"|\bWITH\s+\S+\s+AS\s+\w+\s+(?:MATCH|RETURN|WHERE|WITH|UNWIND)\b",
    re.I,
)
# Store methods that take statement text: outside the store package their first
# argument must never be written in the code (a literal, an f-string, a concatenation).
TEXT_METHODS = {"query", "read_all", "execute_write", "_read", "_write"}


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


def statement_text_arguments(source: str) -> list[int]:
    """Lines where a store method that takes statement text is given text built in code."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in TEXT_METHODS:
            first = node.args[0] if node.args else None
            if isinstance(first, (ast.Constant, ast.JoinedStr, ast.BinOp)) or (
                isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute) and first.func.attr == "join"
            ):
                found.append(node.lineno)
    return found


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
    store.read_all("match (n:Person) return n.id as id")
    store.read_all("RETURN 1 AS ok")
    store.read_all("WITH 1 AS x RETURN x")
    store.read_all("CALL { MATCH (n) RETURN n } RETURN *")
'''
    assert sorted({line for line, _ in cypher_strings(source)}) == [4, 5, 6, 7, 9, 10, 11, 12]


def test_the_detector_finds_statement_text_built_in_code():
    source = """
store.query("MAT" + "CH (n) RETURN n")
store.read_all(" ".join(["MATCH", "(n)", "RETURN", "n"]))
store.query(f"{'MATCH'} (n) RETURN n")
store.query(text_from_the_console, params)
store.read_internal("node-count")
"""
    assert statement_text_arguments(source) == [2, 3, 4]


def test_the_product_files_are_all_read():
    files = product_files()
    assert len(files) > 50
    assert ROOT / "loaders" / "base.py" in files and ROOT / "graph_service" / "api" / "routers" / "people.py" in files
    assert not any(ALLOWED in f.parents for f in files)


@pytest.mark.parametrize("path", product_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_statement_text_built_in_code(path: Path):
    found = statement_text_arguments(path.read_text(encoding="utf-8"))
    assert not found, f"statement text built in code at line(s) {found}: use read_internal/write_internal"


@pytest.mark.parametrize("path", product_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_cypher_in_python_strings(path: Path):
    found = cypher_strings(path.read_text(encoding="utf-8"))
    assert not found, (
        "Cypher written in a Python string: put it in a named .cypher file (cypher/internal) "
        "and run it through store.read_internal/write_internal:\n"
        + "\n".join(f"  line {line}: {text[:100]!r}" for line, text in found)
    )

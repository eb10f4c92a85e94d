"""The library of named Cypher files in ``cypher/``.

Each ``.cypher`` file holds one statement after a header::

    // name: visitors-of-prisoner
    // description: Everyone who visited a prisoner, with counts and dates.
    // params: prisoner_id, limit=50

``params`` lists the ``$parameters`` the statement uses, with optional defaults
(JSON literals). ``cypher/queries/`` holds the analysts' read-only queries, written
in the openCypher subset FalkorDB and Neo4j both run. ``cypher/internal/`` holds the
product's own statements (loaders, API, analytics, the store's counts), with the same
header plus ``// mode: read`` or ``// mode: write``; they run through
:meth:`GraphStore.read_internal` and :meth:`GraphStore.write_internal`.
``cypher/schema/<engine>/`` holds engine-specific schema statements.

A file may declare ``// template: label, type`` placeholders: ``{label}`` in the text is
replaced by a value the schema declares, never by user text (the store port checks
labels and link types against :mod:`graph_service.schema` before rendering).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"
PARAM_PATTERN = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
HEADER_PATTERN = re.compile(r"^//\s*(name|description|params|template|mode)\s*:\s*(.*)$")
MODES = ("read", "write")


class CypherFileError(ValueError):
    """A library file is malformed (missing header, bad params line)."""


class UnknownQuery(KeyError):
    """No query of that name in the library."""

    def __str__(self) -> str:
        return f"no query named {self.args[0]!r} in the library"


class MissingParameter(ValueError):
    """A named query was run without one of its declared parameters."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[str, ...]
    defaults: Mapping[str, Any]
    text: str
    path: Path
    template: tuple[str, ...] = field(default=())
    mode: str = "read"

    def used_params(self) -> set[str]:
        """The ``$parameters`` the statement text uses (comments stripped)."""
        body = "\n".join(line for line in self.text.splitlines() if not line.strip().startswith("//"))
        body = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", body)
        return set(PARAM_PATTERN.findall(body))

    def check_params(self, given: Mapping[str, Any]) -> None:
        missing = [p for p in self.params if p not in given]
        if missing:
            raise MissingParameter(f"query {self.name!r} needs parameter(s): {', '.join(missing)}")

    def render(self, **placeholders: str) -> str:
        """Fill the declared ``{placeholders}`` (values from the schema only); every one
        must be given and no other may be. Braces that are not a declared placeholder
        (Cypher maps) are left alone."""
        if set(placeholders) != set(self.template):
            raise CypherFileError(
                f"{self.name}: placeholders {sorted(self.template)} expected, got {sorted(placeholders)}"
            )
        if not self.template:
            return self.text
        pattern = re.compile(r"\{(" + "|".join(map(re.escape, self.template)) + r")\}")
        return pattern.sub(lambda m: placeholders[m.group(1)], self.text)


def _split_top_level(line: str) -> list[str]:
    """Split on commas outside brackets and quotes, so list defaults stay whole."""
    parts: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for char in line:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _parse_params(line: str, path: Path) -> tuple[tuple[str, ...], dict[str, Any]]:
    names: list[str] = []
    defaults: dict[str, Any] = {}
    for part in _split_top_level(line):
        name, eq, default = part.partition("=")
        name = name.strip()
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise CypherFileError(f"{path}: bad parameter name {name!r} in params header")
        names.append(name)
        if eq:
            try:
                defaults[name] = json.loads(default.strip())
            except json.JSONDecodeError as error:
                raise CypherFileError(f"{path}: default of {name} is not a JSON literal: {error}") from None
    return tuple(names), defaults


def parse_file(path: Path) -> NamedQuery:
    header: dict[str, str] = {}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = HEADER_PATTERN.match(line.strip())
        if match and not body:
            header[match.group(1)] = match.group(2).strip()
        elif line.strip() or body:
            body.append(line)
    for required in ("name", "description", "params"):
        if required not in header:
            raise CypherFileError(f"{path}: header line '// {required}:' is missing")
    text = "\n".join(body).strip().rstrip(";")
    if not text:
        raise CypherFileError(f"{path}: no statement after the header")
    params, defaults = _parse_params(header["params"], path)
    template = tuple(p.strip() for p in header.get("template", "").split(",") if p.strip())
    mode = header.get("mode", "read")
    if mode not in MODES:
        raise CypherFileError(f"{path}: mode must be one of {', '.join(MODES)}, got {mode!r}")
    return NamedQuery(header["name"], header["description"], params, defaults, text, path, template, mode)


class CypherLibrary:
    """Named queries (``cypher/queries``), the product's own statements
    (``cypher/internal``) and schema templates (``cypher/schema``)."""

    def __init__(self, root: Path = CYPHER_DIR):
        self.root = root
        self.queries = self._load_dir(root / "queries")
        self.internal = self._load_dir(root / "internal")
        self.schema: dict[str, dict[str, NamedQuery]] = {
            engine.name: self._load_dir(engine) for engine in sorted((root / "schema").glob("*")) if engine.is_dir()
        }

    @staticmethod
    def _load_dir(folder: Path) -> dict[str, NamedQuery]:
        found: dict[str, NamedQuery] = {}
        for path in sorted(folder.glob("*.cypher")):
            query = parse_file(path)
            if query.name in found:
                raise CypherFileError(f"{path}: name {query.name!r} also used by {found[query.name].path}")
            found[query.name] = query
        return found

    def get(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQuery(name) from None

    def get_internal(self, name: str) -> NamedQuery:
        try:
            return self.internal[name]
        except KeyError:
            raise UnknownQuery(name) from None

    def names(self) -> list[str]:
        return sorted(self.queries)

    def schema_templates(self, engine: str) -> dict[str, NamedQuery]:
        return self.schema.get(engine, {})

    def all_files(self) -> list[NamedQuery]:
        files = list(self.queries.values()) + list(self.internal.values())
        for templates in self.schema.values():
            files.extend(templates.values())
        return files


@lru_cache(maxsize=1)
def load_library() -> CypherLibrary:
    return CypherLibrary()

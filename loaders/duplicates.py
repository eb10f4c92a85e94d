"""Duplicate detection within one file: the keys its rows were seen with, and their values.

A later row with a key already seen and the same values is an exact duplicate; with other
values, a conflict (:func:`conflict_column` names the first column that differs).
"""

from __future__ import annotations

import ast
import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Mapping, Sequence
from typing import Any

from loaders.rows import Key

# Page cache of a spilled duplicate index (KiB): lookups and inserts stay in memory
# for a London-sized file, and the bound holds at national scale.
SPILL_CACHE_KB = 65_536


class DuplicateIndex:
    """Keys seen in this load: in memory up to ``memory_keys`` keys, then on disk.

    Each key keeps the first row's line and normalised values; a later row with the same
    key and the same values is an exact duplicate, with other values a conflict. Past
    ``memory_keys`` keys (a national-size calls file) the index moves to SQLite in a
    temporary file, so memory stays bounded whatever the size of the input. Keys belong
    to one file: the runner resets the index for each file. In memory a
    key costs about 200 bytes: its line and values packed in one string, the column
    names kept once per kind of key.
    """

    def __init__(self, memory_keys: int = 200_000) -> None:
        self.memory_keys = memory_keys
        self.memory: dict[int, str] | None = {}
        self.db: sqlite3.Connection | None = None
        self.path: str | None = None
        self._columns: dict[str, tuple[str, ...]] = {}

    @staticmethod
    def _hash(file: str, key: Key) -> int:
        return hash((file, key.name, key.key))

    def encode(self, key: Key) -> str:
        """The key's values as text: the values alone when its columns are the usual
        ones for its kind of key, else ``*`` and the (column, value) pairs."""
        values = key.values
        columns = tuple(values)
        usual = self._columns.setdefault(key.name, columns)
        if columns == usual:
            return repr(tuple(values.values()))
        return "*" + repr(tuple(values.items()))

    def decode(self, name: str, encoded: str) -> dict[str, Any]:
        if encoded.startswith("*"):
            return dict(ast.literal_eval(encoded[1:]))
        return dict(zip(self._columns[name], ast.literal_eval(encoded)))

    def _spill(self) -> None:
        handle, self.path = tempfile.mkstemp(prefix="marsoc-dedupe-", suffix=".sqlite")
        os.close(handle)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(f"PRAGMA cache_size=-{SPILL_CACHE_KB}")
        self.db.execute("CREATE TABLE seen (k INTEGER PRIMARY KEY, line INTEGER, v TEXT)")
        assert self.memory is not None
        self.db.executemany(
            "INSERT INTO seen (k, line, v) VALUES (?, ?, ?)",
            ((k, *_unpack(packed)) for k, packed in self.memory.items()),
        )
        self.memory = None

    def lookup(self, hashes: Sequence[int]) -> dict[int, tuple[int, str]]:
        """``{hash: (line, encoded values)}`` of the given hashes already seen."""
        if self.memory is not None:
            memory = self.memory
            return {h: _unpack(memory[h]) for h in hashes if h in memory}
        assert self.db is not None
        found: dict[int, tuple[int, str]] = {}
        unique = list(set(hashes))
        for start in range(0, len(unique), 900):
            part = unique[start : start + 900]
            marks = ",".join("?" * len(part))
            for k, line, v in self.db.execute(f"SELECT k, line, v FROM seen WHERE k IN ({marks})", part):
                found[k] = (line, v)
        return found

    def add(self, items: Sequence[tuple[int, int, str]]) -> None:
        """Remember ``(hash, line, encoded values)``; a hash already seen keeps its first row."""
        if self.memory is not None:
            memory = self.memory
            for h, line, encoded in items:
                if h not in memory:
                    memory[h] = f"{line} {encoded}"
            if len(memory) > self.memory_keys:
                self._spill()
            return
        assert self.db is not None
        self.db.executemany("INSERT OR IGNORE INTO seen (k, line, v) VALUES (?, ?, ?)", items)

    def close(self) -> None:
        self.memory = None
        if self.db is not None:
            self.db.close()
            self.db = None
        if self.path:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            self.path = None

    def reset(self) -> None:
        """Forget every key (a new file: keys never match across files)."""
        self.close()
        self.memory = {}
        self._columns = {}


def _unpack(packed: str) -> tuple[int, str]:
    line, encoded = packed.split(" ", 1)
    return int(line), encoded


def conflict_column(first: Mapping[str, Any], second: Mapping[str, Any]) -> str:
    for column in sorted(set(first) | set(second)):
        if first.get(column) != second.get(column):
            return column
    return ""

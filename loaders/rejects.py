"""The rejects file: one CSV row per refused source row.

Columns: ``run_id, file, line, column, value, reason``. ``line`` is the physical line
of the source file (the header is line 1). Written as rows are refused, so a long
load never holds its rejects in memory.

The file is safe to open in a spreadsheet and stays one line per reject: every cell
written goes through :func:`safe_cell`, which escapes control characters (``\x07``,
``\t``), cuts a value to :data:`VALUE_MAX` characters and, as OWASP advises against
CSV injection, prefixes a single quote to a cell starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return (so ``=HYPERLINK(...)`` is shown, not run).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from loaders.csvsource import escape

REJECT_COLUMNS = ("run_id", "file", "line", "column", "value", "reason")
# Longest value written (a longer one is cut, its length noted).
VALUE_MAX = 300
# A cell starting with one of these is a formula to a spreadsheet (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """``cell`` with a ``'`` in front when a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def safe_cell(value: object, limit: int = VALUE_MAX) -> str:
    """One cell of the rejects file: neutralised (:func:`neutralise`), first checked as
    given, then with control characters escaped and cut to ``limit`` characters."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + escape(text, limit)
    shown = escape(text, limit)
    if len(text) > limit:
        shown += f" ({len(text):,} characters)"
    return neutralise(shown)


@dataclass(frozen=True)
class Reject:
    file: str
    line: int
    column: str
    value: str
    reason: str


class RejectWriter:
    """Appends rejects to a CSV file (created with its header on the first reject or at open)."""

    def __init__(self, path: Path | None, run_id: str):
        self.path = Path(path) if path else None
        self.run_id = run_id
        self.count = 0
        self._handle: IO[str] | None = None
        self._writer = None
        # The last few rejects stay in memory for summaries and tests.
        self.recent: list[Reject] = []
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(REJECT_COLUMNS)

    def add(self, reject: Reject) -> None:
        self.count += 1
        if len(self.recent) < 10_000:
            self.recent.append(reject)
        if self._writer is not None:
            self._writer.writerow(
                (
                    safe_cell(self.run_id),
                    safe_cell(reject.file),
                    reject.line,
                    safe_cell(reject.column),
                    safe_cell(reject.value),
                    safe_cell(reject.reason, 2 * VALUE_MAX),
                )
            )

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def read_rejects(path: Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))

"""The rejects file: one CSV row per refused source row.

Columns: ``run_id, file, line, column, value, reason``. ``line`` is the physical line
of the source file (the header is line 1). Written as rows are refused, so a long
load never holds its rejects in memory.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import IO

REJECT_COLUMNS = ("run_id", "file", "line", "column", "value", "reason")


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
            self._writer.writerow((self.run_id, reject.file, reject.line, reject.column, reject.value, reject.reason))

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

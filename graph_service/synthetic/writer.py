"""Streaming CSV writing with physical line numbers, and the seeded bad-row planter."""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# A bad-row maker takes a good row (list in header order) and returns
# (bad row, column, reason, kind), or None when it cannot damage this row.
BadMaker = Callable[[random.Random, list[str]], "tuple[list[str], str, str, str] | None"]


class CsvSink:
    """Writes one CSV file row by row, knowing the physical line of each row.

    No value contains a newline, so the line of a row is its index + 2 (header is 1).
    """

    def __init__(self, path: Path, header: Sequence[str], bom: bool = False) -> None:
        self.path = path
        self.name = path.name
        self.header = list(header)
        self.index = {c: i for i, c in enumerate(self.header)}
        self._file = open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")  # noqa: SIM115 - closed by close()
        self._writer = csv.writer(self._file, lineterminator="\n")
        self._writer.writerow(self.header)
        self.line = 1
        self.rows = 0

    def write(self, row: Sequence[str]) -> int:
        """Write one row; return its physical line number (1-based)."""
        self._writer.writerow(row)
        self.line += 1
        self.rows += 1
        return self.line

    def write_many(self, rows: list[Sequence[str]]) -> None:
        self._writer.writerows(rows)
        self.line += len(rows)
        self.rows += len(rows)

    def close(self) -> None:
        self._file.close()


@dataclass
class BadRowPlanter:
    """Adds damaged rows after some good rows, at a seeded rate, and records them.

    ``expected`` is the number of good rows the file will get; the planter aims at
    ``max(min_bad, rate * expected)`` bad rows and tops up at ``finish`` if short.
    """

    rng: random.Random
    sink: CsvSink
    makers: list[BadMaker]
    rate: float
    min_bad: int
    expected: int
    records: list[dict] = field(default_factory=list)
    _last_good: list[str] | None = None

    def __post_init__(self) -> None:
        target = max(self.min_bad, round(self.rate * self.expected))
        self.p = min(0.5, target / max(1, self.expected))
        self.target = target

    def after_good(self, row: list[str]) -> None:
        """Call after writing a good row: maybe write a bad row derived from it."""
        self._last_good = row
        if self.makers and self.rng.random() < self.p:
            self._plant(row)

    def _plant(self, row: list[str]) -> bool:
        for _ in range(8):
            made = self.rng.choice(self.makers)(self.rng, list(row))
            if made is not None:
                bad, column, reason, kind = made
                line = self.sink.write(bad)
                self.records.append(
                    {"file": self.sink.name, "line": line, "column": column, "reason": reason, "kind": kind}
                )
                return True
        return False

    def finish(self) -> None:
        if not self.makers or self._last_good is None:
            return
        guard = 0
        while len(self.records) < min(self.target, self.min_bad) and guard < 100:
            self._plant(self._last_good)
            guard += 1

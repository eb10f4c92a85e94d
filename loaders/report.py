"""The load report: per file rows read, loaded, rejected, excluded, timing; JSON on disk.

``rows_read == loaded + rejected + excluded + not_written`` holds for every file
(checked by :meth:`FileReport.reconciles`); ``not_written`` is 0 but for a file that
failed mid-way (the rows it had read and accepted that never reached the store).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# The statuses of a file that was not loaded as it should have been (the load failed).
FAILED_STATUSES = ("header_failed", "encoding_failed", "failed", "dependency_failed", "interrupted")


@dataclass
class FileReport:
    file: str
    # loaded | skipped (file absent) | header_failed | encoding_failed | failed (mid-way)
    # | dependency_failed (a file it depends on failed) | interrupted
    status: str = "loaded"
    path: str | None = None
    rows_read: int = 0
    loaded: int = 0
    rejected: int = 0
    excluded: int = 0
    # Rows read and accepted that were never written (the file failed mid-way).
    not_written: int = 0
    # Every accepted row up to this line is in the store (the last complete write).
    stored_through_line: int = 0
    # What the store holds from this file when it failed (None when it did not).
    store_holds: str | None = None
    excluded_reasons: dict[str, int] = field(default_factory=dict)
    reject_reasons: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rows_per_s: float = 0.0
    batches: int = 0
    message: str | None = None
    extra_columns: list[str] = field(default_factory=list)
    # Seconds per stage: read+transform, reference check, duplicate check, store writes.
    stages: dict[str, float] = field(default_factory=dict)

    def stage(self, name: str, seconds: float) -> None:
        self.stages[name] = round(self.stages.get(name, 0.0) + seconds, 3)

    @property
    def reject_rate(self) -> float:
        return self.rejected / self.rows_read if self.rows_read else 0.0

    @property
    def failed(self) -> bool:
        return self.status in FAILED_STATUSES

    def reconciles(self) -> bool:
        return self.rows_read == self.loaded + self.rejected + self.excluded + self.not_written

    def exclude(self, reason: str, n: int = 1) -> None:
        self.excluded += n
        self.excluded_reasons[reason] = self.excluded_reasons.get(reason, 0) + n

    def reject(self, kind: str) -> None:
        self.rejected += 1
        self.reject_reasons[kind] = self.reject_reasons.get(kind, 0) + 1


@dataclass
class LoadReport:
    run_id: str
    directory: str
    started_at: str
    finished_at: str | None = None
    seconds: float = 0.0
    files: list[FileReport] = field(default_factory=list)
    identity: dict[str, Any] | None = None
    resolutions: dict[str, Any] | None = None
    report_path: str | None = None
    rejects_path: str | None = None
    max_reject_rate: float | None = None
    # The agency the load was run for (the default originating agency of its rows).
    agency: str | None = None
    # Human-readable reasons the load did not fully succeed (non-zero exit).
    problems: list[str] = field(default_factory=list)
    counts: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def file(self, name: str) -> FileReport | None:
        return next((f for f in self.files if f.file == name), None)

    @property
    def failed_files(self) -> list[str]:
        return [f.file for f in self.files if f.failed]

    @property
    def totals(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for report in self.files:
            for key in ("rows_read", "loaded", "rejected", "excluded", "not_written"):
                total[key] += getattr(report, key)
        return dict(total)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        data["totals"] = self.totals
        data["failed_files"] = self.failed_files
        for entry, report in zip(data["files"], self.files):
            entry["reject_rate"] = round(report.reject_rate, 6)
            entry["reconciles"] = report.reconciles()
        return data

    def write(self, path: Path) -> None:
        """Write the report as JSON (to a temporary file renamed over ``path``, so an
        interrupted write never leaves half a report)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(self.to_dict(), indent=2, default=str) + "\n", encoding="utf-8")
        partial.replace(path)

"""Reading contract CSV files: BOM tolerated, physical line numbers, header check, chunks.

Files are streamed: :meth:`CsvSource.chunks` yields lists of at most ``size`` rows and
never holds the whole file, so a national-size ``calls.csv`` loads in bounded memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from loaders.contract import FileContract

csv.field_size_limit(1 << 24)


class HeaderError(ValueError):
    """The header lacks required columns: nothing is loaded from the file."""

    def __init__(self, file: str, missing: list[str], found: list[str]):
        self.file = file
        self.missing = missing
        self.found = found
        super().__init__(
            f"{file}: header is missing required column(s) {', '.join(missing)} "
            f"(found: {', '.join(found) or 'nothing'}); nothing was loaded from this file"
        )


@dataclass
class SourceRow:
    """One data row: its physical line number (1 = the header line) and cells by column."""

    line: int
    values: dict[str, str]
    # Set when the row has more or fewer cells than the header.
    width_problem: str | None = None


def normalise_header(cell: str) -> str:
    return cell.strip().lstrip("\ufeff").strip().lower()


class CsvSource:
    """One contract file, checked against its contract when opened."""

    def __init__(self, path: Path, contract: FileContract):
        self.path = Path(path)
        self.contract = contract
        self.name = contract.name
        with self.path.open("r", encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header: list[str] = []
            for cells in reader:
                if any(c.strip() for c in cells):
                    header = cells
                    break
            self.header_line = reader.line_num
        self.header = [normalise_header(c) for c in header]
        missing = [c for c in contract.required if c not in self.header]
        if missing:
            raise HeaderError(self.name, missing, self.header)
        self.extra_columns = [c for c in self.header if c and c not in contract.columns]

    def rows(self) -> Iterator[SourceRow]:
        """Every data row, blank lines skipped, with the physical line it starts on."""
        width = len(self.header)
        with self.path.open("r", encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            # Skip to the header line.
            while reader.line_num < self.header_line:
                next(reader)
            previous = reader.line_num
            header = self.header
            for cells in reader:
                start = previous + 1
                previous = reader.line_num
                joined = "".join(cells)
                if not joined or joined.isspace():
                    continue
                if len(cells) == width:
                    yield SourceRow(start, dict(zip(header, cells)))
                    continue
                values = {column: (cells[i] if i < len(cells) else "") for i, column in enumerate(header)}
                yield SourceRow(start, values, f"row has {len(cells)} fields, header has {width}")

    def chunks(self, size: int) -> Iterator[list[SourceRow]]:
        chunk: list[SourceRow] = []
        for row in self.rows():
            chunk.append(row)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

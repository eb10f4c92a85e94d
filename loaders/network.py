"""Generic networks (research data, other tools' exports) -> Actor nodes, CONNECTED_TO links.

Accepted layouts (UTF-8, a byte-order mark tolerated, blank lines skipped):

* an edge list ``src dst [weight]``, whitespace- or comma-separated, with or without a
  header row (a header is recognised by column names such as ``source``/``target``/
  ``weight`` or a non-numeric third column);
* a square adjacency matrix with a label row and a label column (the corner cell may
  be empty, ``""`` or any word such as ``players``); a cell is the weight of the link
  from the row's actor to the column's actor; zero or empty cells are no link.

Self-loops are skipped and counted. Undirected networks (the default) keep one link
per unordered pair: a pair listed in both directions, or more than once, merges into
one link whose weight is the **maximum** of the listed weights (see docs/loaders.md:
in the published edge lists both directions describe the same relation, so summing
would double count it). Directed networks keep one link per ordered pair (repeated
lines merge the same way).

Nodes are ``Actor`` with id ``net:<network>:<label>``; links carry ``network``,
``weight`` and ``directed``. Loading a network again under the same name replaces it.

Hostile input: the file is read in binary like the contract files
(:func:`loaders.csvsource.text_lines`): a UTF-16/UTF-32 or binary file fails as a whole;
a line that is not UTF-8, is over 1 MB, has an unclosed quote, a label over 256
characters or holding a control character, or a weight that is not a finite
non-negative number is reported as malformed (with its line) and skipped. A table whose
label row has 4 or more cells is an adjacency matrix, and fails as a whole with a clear
message when it is not square, its rows are not all as wide as its label row, a label is
repeated, or its row labels are not its column labels.
"""

from __future__ import annotations

import csv
import math
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from graph_service.grading import OFFICIAL_GRADING
from graph_service.store import GraphStore, LoadRun
from loaders.contract import BOUNDS
from loaders.csvsource import FileFormatError, text_lines

# The longest actor label (characters); a label holds no control character.
LABEL_MAX = BOUNDS["label"].max_length
_LABEL_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Weights written as whole numbers up to this are stored as integers (exact in a double).
_EXACT_INT = 2**53

HEADER_WORDS = {
    "source",
    "target",
    "src",
    "dst",
    "from",
    "to",
    "weight",
    "node1",
    "node2",
    "node_1",
    "node_2",
    "id1",
    "id2",
    "i",
    "j",
    "sender",
    "receiver",
    "actor1",
    "actor2",
    "value",
    "v1",
    "v2",
}
_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


class NetworkFormatError(ValueError):
    """The file is not an edge list nor an adjacency matrix."""


@dataclass
class NetworkReport:
    network: str
    file: str
    format: str = ""  # edgelist | matrix
    header: bool = False
    directed: bool = False
    rows_read: int = 0
    nodes: int = 0
    links: int = 0
    self_loops_skipped: int = 0
    zero_cells_skipped: int = 0
    blank_rows_skipped: int = 0
    merged_pairs: int = 0  # extra listings of a pair already seen (both directions or repeated)
    malformed: list[dict[str, Any]] = field(default_factory=list)
    weight_rule: str = "max"
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Malformed(ValueError):
    """A line (or cell) that cannot be read: the reason."""


def _split(line: str) -> list[str]:
    if "," in line:
        reader = csv.reader([line], strict=True)
        try:
            cells = next(reader, [])
        except csv.Error as error:
            raise _Malformed(f"cannot be split into fields ({error}): an unclosed quote?") from None
    else:
        cells = line.split()
    return [c.strip().strip('"').strip() for c in cells]


def _number(text: str) -> float | None:
    """A finite number, or ``None`` when ``text`` is not one (``NaN``, ``inf``, ``1e400``)."""
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return value


def _numeric(text: str) -> bool:
    """Whether ``text`` is written as a number (``NaN``, ``inf`` and ``1e400`` are: bad
    weights, not a header's column name)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _weight(text: str, what: str) -> float:
    """A weight: a finite, non-negative number."""
    value = _number(text)
    if value is None:
        raise _Malformed(f"{what} {text[:40]!r} is not a finite number")
    if value < 0:
        raise _Malformed(f"{what} {text[:40]!r} is negative")
    return value


def _label(text: str, what: str) -> str:
    if len(text) > LABEL_MAX:
        raise _Malformed(f"{what} of {len(text):,} characters; at most {LABEL_MAX} are allowed")
    control = _LABEL_CONTROL.search(text)
    if control:
        raise _Malformed(f"{what} holds the control character U+{ord(control.group()):04X}")
    return text


def _clean_weight(value: float) -> float | int:
    return int(value) if float(value).is_integer() and abs(value) <= _EXACT_INT else value


def parse_network(
    path: Path, *, directed: bool = False, header: bool | None = None, name: str = ""
) -> tuple[NetworkReport, list[str], dict[tuple[str, str], tuple[float, int]]]:
    """Read ``path``: the report, the actor labels (in order met) and the links
    ``(src, dst) -> (weight, line)`` after merging (undirected: ``src <= dst``).

    Raises :class:`NetworkFormatError` for a file that is not UTF-8 text, has no rows,
    or is a malformed adjacency matrix."""
    report = NetworkReport(name, str(path), directed=directed)
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, text_line, problem in text_lines(Path(path)):
            if text_line is None:
                report.malformed.append({"line": number, "reason": problem})
                continue
            if not text_line.strip().strip(",").strip():
                report.blank_rows_skipped += 1
                continue
            try:
                rows.append((number, _split(text_line)))
            except _Malformed as error:
                report.malformed.append({"line": number, "reason": str(error)})
    except FileFormatError as error:
        raise NetworkFormatError(f"{path}: {error.reason}") from None
    if not rows:
        raise NetworkFormatError(f"{path}: no rows")
    labels: dict[str, None] = {}
    links: dict[tuple[str, str], tuple[float, int]] = {}

    def add(src: str, dst: str, weight: float, line: int) -> None:
        labels.setdefault(src, None)
        labels.setdefault(dst, None)
        if src == dst:
            report.self_loops_skipped += 1
            return
        key = (src, dst) if directed or src <= dst else (dst, src)
        if key in links:
            report.merged_pairs += 1
            if weight > links[key][0]:
                links[key] = (weight, links[key][1])
        else:
            links[key] = (weight, line)

    _first_line, first = rows[0]
    width = len(first)
    body = rows[1:]
    is_matrix = (
        width >= 3
        and len(set(first[1:])) == width - 1
        and len(body) == width - 1
        and all(len(cells) == width for _, cells in body)
        and sorted(cells[0] for _, cells in body) == sorted(first[1:])
    )
    if not is_matrix and width >= 4 and sum(len(cells) >= 4 for _, cells in body) * 2 >= len(body):
        # An edge list has 2 or 3 fields: a wider table is a matrix that does not hold together.
        raise NetworkFormatError(f"{path}: {_matrix_problem(rows)}")
    if is_matrix:
        report.format, report.header = "matrix", True
        columns = first[1:]
        try:
            for label in columns:
                _label(label, "column label")
            for line, cells in body:
                _label(cells[0], f"row label (line {line})")
        except _Malformed as error:
            raise NetworkFormatError(f"{path}: an adjacency matrix with a bad label: {error}") from None
        for line, cells in body:
            report.rows_read += 1
            row_label = cells[0]
            labels.setdefault(row_label, None)
            for column, cell in zip(columns, cells[1:]):
                labels.setdefault(column, None)
                try:
                    value = _weight(cell, f"cell ({row_label},{column})") if cell else 0.0
                except _Malformed as error:
                    report.malformed.append({"line": line, "reason": str(error)})
                    continue
                if value == 0:
                    report.zero_cells_skipped += 1
                    continue
                add(row_label, column, value, line)
    else:
        report.format = "edgelist"
        if header is None:
            header = bool(first) and (
                any(c.lower() in HEADER_WORDS for c in first) or (width == 3 and not _numeric(first[2]))
            )
        report.header = header
        for line, cells in body if header else rows:
            report.rows_read += 1
            if len(cells) not in (2, 3) or not cells[0] or not cells[1]:
                report.malformed.append(
                    {"line": line, "reason": f"expected 'src dst [weight]', got {len(cells)} fields"}
                )
                continue
            try:
                src, dst = _label(cells[0], "source label"), _label(cells[1], "target label")
                weight = _weight(cells[2], "weight") if len(cells) == 3 and cells[2] != "" else 1.0
            except _Malformed as error:
                report.malformed.append({"line": line, "reason": str(error)})
                continue
            add(src, dst, weight, line)
    report.malformed.sort(key=lambda m: m["line"])
    report.nodes = len(labels)
    report.links = len(links)
    return report, list(labels), links


def _matrix_problem(rows: list[tuple[int, list[str]]]) -> str:
    """Why a table of 4 or more columns is not a usable adjacency matrix."""
    (first_line, first), body = rows[0], rows[1:]
    width = len(first)
    columns = first[1:]
    for line, cells in body:
        if len(cells) != width:
            return (
                f"not an adjacency matrix: line {line} has {len(cells)} cells, the label row (line {first_line}) "
                f"{width}; every row needs a label and one cell per column"
            )
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        return f"not an adjacency matrix: column label(s) repeated: {', '.join(map(repr, repeated[:5]))}"
    if len(body) != len(columns):
        return f"the adjacency matrix is not square: {len(columns)} column labels but {len(body)} rows"
    row_labels = [cells[0] for _, cells in body]
    only_rows = sorted(set(row_labels) - set(columns))
    only_columns = sorted(set(columns) - set(row_labels))
    if only_rows or only_columns or len(set(row_labels)) != len(row_labels):
        return (
            "the adjacency matrix's row labels are not its column labels: "
            f"only in rows {only_rows[:5]}, only in columns {only_columns[:5]}"
            + ("; a row label is repeated" if len(set(row_labels)) != len(row_labels) else "")
        )
    return "not an adjacency matrix"


def check_network_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"network name {name!r}: use 1-64 letters, digits, '_', '-' or '.'")
    return name


def load_network(
    store: GraphStore,
    path: Path,
    *,
    name: str,
    directed: bool = False,
    header: bool | None = None,
    run: LoadRun | None = None,
) -> NetworkReport:
    """Parse ``path`` and write it as network ``name`` (replacing a network of that name)."""
    check_network_name(name)
    started = time.perf_counter()
    run = run or LoadRun(f"network-{name}")
    report, labels, links = parse_network(path, directed=directed, header=header, name=name)
    source = Path(path).name
    store.record_run(run, rewrite=True)  # replaces the network: no delta can follow it
    store.write_internal("network-delete", {"name": name})
    nodes = [
        {"id": f"net:{name}:{label}", "props": {"network": name, "label": label, "source": source}} for label in labels
    ]
    store.upsert_nodes("Actor", nodes, run)
    rows = [
        {
            "src": f"net:{name}:{src}",
            "dst": f"net:{name}:{dst}",
            "key": {"network": name},
            "props": {
                "weight": _clean_weight(weight),
                "network": name,
                "directed": directed,
                "source": source,
                "source_ref": f"{source}:{line}",
                **OFFICIAL_GRADING,
            },
        }
        for (src, dst), (weight, line) in links.items()
    ]
    store.upsert_links("CONNECTED_TO", rows, run, "Actor", "Actor")
    store.record_run(run, rewrite=True)
    report.seconds = round(time.perf_counter() - started, 3)
    return report

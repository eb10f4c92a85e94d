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
"""

from __future__ import annotations

import csv
import io
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from graph_service.grading import OFFICIAL_GRADING
from graph_service.store import GraphStore, LoadRun

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


def _split(line: str) -> list[str]:
    if "," in line:
        cells = next(csv.reader(io.StringIO(line)))
    else:
        cells = line.split()
    return [c.strip().strip('"').strip() for c in cells]


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if value != value:
        return None
    return value


def _clean_weight(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def parse_network(
    path: Path, *, directed: bool = False, header: bool | None = None, name: str = ""
) -> tuple[NetworkReport, list[str], dict[tuple[str, str], tuple[float, int]]]:
    """Read ``path``: the report, the actor labels (in order met) and the links
    ``(src, dst) -> (weight, line)`` after merging (undirected: ``src <= dst``)."""
    report = NetworkReport(name, str(path), directed=directed)
    text = Path(path).read_text(encoding="utf-8-sig")
    rows: list[tuple[int, list[str]]] = []
    for number, text_line in enumerate(text.splitlines(), start=1):
        if not text_line.strip().strip(",").strip():
            report.blank_rows_skipped += 1
            continue
        rows.append((number, _split(text_line.lstrip("\ufeff"))))
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
        and len(body) == width - 1
        and all(len(cells) == width for _, cells in body)
        and sorted(cells[0] for _, cells in body) == sorted(first[1:])
    )
    if is_matrix:
        report.format, report.header = "matrix", True
        columns = first[1:]
        for line, cells in body:
            report.rows_read += 1
            row_label = cells[0]
            labels.setdefault(row_label, None)
            for column, cell in zip(columns, cells[1:]):
                labels.setdefault(column, None)
                value = _number(cell) if cell else 0.0
                if value is None:
                    report.malformed.append(
                        {"line": line, "reason": f"cell {cell!r} ({row_label},{column}) is not a number"}
                    )
                    continue
                if value == 0:
                    report.zero_cells_skipped += 1
                    continue
                add(row_label, column, value, line)
    else:
        report.format = "edgelist"
        if header is None:
            header = bool(first) and (
                any(c.lower() in HEADER_WORDS for c in first) or (width == 3 and _number(first[2]) is None)
            )
        report.header = header
        for line, cells in body if header else rows:
            report.rows_read += 1
            if len(cells) not in (2, 3) or not cells[0] or not cells[1]:
                report.malformed.append(
                    {"line": line, "reason": f"expected 'src dst [weight]', got {len(cells)} fields"}
                )
                continue
            weight = 1.0
            if len(cells) == 3 and cells[2] != "":
                parsed = _number(cells[2])
                if parsed is None:
                    report.malformed.append({"line": line, "reason": f"weight {cells[2]!r} is not a number"})
                    continue
                weight = parsed
            add(cells[0], cells[1], weight, line)
    report.nodes = len(labels)
    report.links = len(links)
    return report, list(labels), links


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
    report.seconds = round(time.perf_counter() - started, 3)
    return report

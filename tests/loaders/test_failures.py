"""One failing file never hides the others: failed files, their dependents, the report
written whatever happens (also interrupted), the exit status."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from loaderdata import bulk_world, small_world, write
from typer.testing import CliRunner

from graph_service.cli import app
from graph_service.settings import load_settings
from graph_service.store import open_store
from loaders import calls, prisoners, runner
from loaders.contract import DEPENDS_ON
from loaders.rejects import read_rejects
from loaders.runner import load_directory


def with_loader(monkeypatch, original, **changes):
    """Load with ``original`` (a file loader of runner.FILE_LOADERS) changed."""
    changed = replace(original, **changes)
    loaders = tuple((name, changed if loader is original else loader) for name, loader in runner.FILE_LOADERS)
    monkeypatch.setattr(runner, "FILE_LOADERS", loaders)


def failing_on(n: int, load, error: BaseException):
    """``load``, raising ``error`` on its ``n``-th call (the write of a store that refuses)."""
    calls_made = []

    def failing(store, prepared, run, ctx):
        calls_made.append(1)
        if len(calls_made) == n:
            raise error
        load(store, prepared, run, ctx)

    return failing


def dependents_of(name: str) -> set[str]:
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for other, needs in DEPENDS_ON.items():
            if other not in found and (name in needs or found & set(needs)):
                found.add(other)
                changed = True
    return found


def count(store, statement: str) -> int:
    return store.read_all(statement)[0]["n"]


def test_a_file_failing_mid_way_says_what_the_store_holds_and_its_dependents_are_skipped(store, tmp_path, monkeypatch):
    directory = bulk_world(tmp_path / "in")  # 100 prisoners, 600 visits, 1,500 calls
    store.batch_size = 30
    refused = RuntimeError("the store refused the write")
    with_loader(monkeypatch, prisoners.LOADER, load=failing_on(2, prisoners.load, refused))
    report = load_directory(store, directory, report_path=tmp_path / "out" / "report.json", progress=False)
    f = report.file("prisoners.csv")
    # chunk 1 (lines 2-31) written; chunk 2 refused, found out when chunk 3 was handed over
    assert (f.status, f.rows_read, f.loaded, f.rejected, f.not_written) == ("failed", 90, 30, 0, 60)
    assert f.stored_through_line == 31 and f.reconciles()
    assert "up to line 31 (30 rows)" in f.store_holds and "60 accepted rows after it were not written" in f.store_holds
    assert "RuntimeError: the store refused the write" in f.message and "line 31" in f.message
    assert count(store, "MATCH (n:Prisoner) RETURN count(n) AS n") == 30  # exactly the first chunk
    for name in ("visits.csv", "calls.csv"):
        other = report.file(name)
        assert other.status == "dependency_failed" and other.rows_read == 0, name
        assert "depends on failed file prisoners.csv (failed)" in other.message
    assert report.file("establishments.csv").status == "loaded"
    assert count(store, "MATCH ()-[r:CALLED|VISITED]->() RETURN count(r) AS n") == 0
    assert not report.ok and report.failed_files == ["prisoners.csv", "visits.csv", "calls.csv"]
    saved = json.loads((tmp_path / "out" / "report.json").read_text())
    assert saved["ok"] is False and saved["failed_files"] == report.failed_files
    entry = next(e for e in saved["files"] if e["file"] == "prisoners.csv")
    assert entry["status"] == "failed" and entry["reconciles"] and entry["stored_through_line"] == 31


def test_a_file_that_cannot_be_read_blocks_only_the_files_depending_on_it(store, tmp_path):
    directory = small_world(tmp_path / "in")
    text = (directory / "prisoners.csv").read_text(encoding="utf-8")
    (directory / "prisoners.csv").write_bytes(text.encode("utf-16"))
    report = load_directory(store, directory, report_path=tmp_path / "r.json", progress=False)
    assert report.file("prisoners.csv").status == "encoding_failed"
    assert "UTF-16" in report.file("prisoners.csv").message
    blocked = dependents_of("prisoners.csv")
    assert blocked == {"visits.csv", "phones.csv", "calls.csv", "ocg_members.csv", "links.csv", "resolutions.csv"}
    for f in report.files:
        if f.file == "resolutions.csv":  # not in the small world
            assert f.status == "skipped"
        elif f.file in blocked:
            assert f.status == "dependency_failed", f.file
        elif f.file != "prisoners.csv":
            assert f.status in ("loaded", "skipped"), f.file
    for name in blocked | {"prisoners.csv"}:
        assert count(store, f"MATCH (n) WHERE n.source = '{name}' RETURN count(n) AS n") == 0, name
        assert count(store, f"MATCH ()-[r]->() WHERE r.source = '{name}' RETURN count(r) AS n") == 0, name
    counts = store.counts()
    assert counts["nodes"]["Staff"] == 1 and counts["nodes"]["Nominal"] == 2 and counts["nodes"]["OCG"] == 1
    assert report.identity is not None  # identity resolution still ran
    assert all(f.reconciles() for f in report.files)
    assert json.loads((tmp_path / "r.json").read_text())["ok"] is False


def test_a_real_store_failure_still_leaves_a_report(tmp_path, monkeypatch):
    """The store itself goes away in the middle of calls.csv: every later write fails,
    the report is still written and says which files loaded and which did not."""
    directory = bulk_world(tmp_path / "in")
    store = open_store(load_settings(data_dir=tmp_path / "data"))
    store.batch_size = 100

    def shut_down(store_, prepared, run, ctx):
        store_.close()
        calls.load(store_, prepared, run, ctx)

    seen = []

    def second_write(store_, prepared, run, ctx):
        seen.append(1)
        (shut_down if len(seen) == 2 else calls.load)(store_, prepared, run, ctx)

    with_loader(monkeypatch, calls.LOADER, load=second_write)
    try:
        report = load_directory(store, directory, report_path=tmp_path / "out" / "r.json", progress=False)
    finally:
        store.close()
    saved = json.loads((tmp_path / "out" / "r.json").read_text())
    status = {e["file"]: e["status"] for e in saved["files"]}
    assert status["prisoners.csv"] == status["visits.csv"] == "loaded"
    assert status["calls.csv"] == "failed"
    entry = next(e for e in saved["files"] if e["file"] == "calls.csv")
    assert entry["loaded"] == 100 and entry["stored_through_line"] == 101 and entry["reconciles"]
    assert saved["ok"] is False and any("counts could not be read" in p for p in saved["problems"])
    assert report.counts is None


def test_an_interrupted_load_still_writes_its_report(store, tmp_path, monkeypatch):
    directory = bulk_world(tmp_path / "in")
    store.batch_size = 100
    with_loader(monkeypatch, calls.LOADER, load=failing_on(3, calls.load, KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        load_directory(store, directory, report_path=tmp_path / "r.json", progress=False)
    saved = json.loads((tmp_path / "r.json").read_text())
    status = {e["file"]: e["status"] for e in saved["files"]}
    assert status == {"establishments.csv": "loaded", "prisoners.csv": "loaded", "staff.csv": "skipped"} | {
        "persons.csv": "skipped",
        "visits.csv": "loaded",
        "phones.csv": "skipped",
        "ocgs.csv": "skipped",
        "ocg_members.csv": "skipped",
        "calls.csv": "interrupted",
    }
    entry = next(e for e in saved["files"] if e["file"] == "calls.csv")
    assert entry["reconciles"] and entry["loaded"] == 300 and "up to line" in entry["message"]
    assert saved["ok"] is False and "KeyboardInterrupt" in saved["problems"][-1]
    assert saved["finished_at"] and saved["counts"]["links"]["VISITED"] > 0


def test_a_bug_in_a_transform_rejects_the_row_not_the_file(store, tmp_path, monkeypatch):
    directory = small_world(tmp_path / "in")

    def transform(row):
        if row.line == 3:
            raise ZeroDivisionError("a bug")
        return calls.transform(row)

    with_loader(monkeypatch, calls.LOADER, transform=transform)
    report = load_directory(store, directory, report_path=tmp_path / "r.json", progress=False)
    f = report.file("calls.csv")
    assert (f.rows_read, f.loaded, f.rejected, f.reject_reasons) == (4, 2, 1, {"error": 1})
    (reject,) = read_rejects(tmp_path / "r.rejects.csv")
    assert (reject["line"], reject["value"]) == ("3", "") and "ZeroDivisionError" in reject["reason"]
    assert report.ok and report.file("links.csv").status == "loaded"


def test_load_command_exits_1_and_reports_a_failed_file(tmp_path):
    directory = small_world(tmp_path / "in")
    write(directory, "visits.csv", "visit_id,visit_date,visit_date,establishment_code\nV1,2024-01-01,,BXI\n")
    report = tmp_path / "out" / "load.json"
    result = CliRunner().invoke(
        app, ["load", str(directory), "--data-dir", str(tmp_path / "data"), "--report", str(report), "--no-resolve"]
    )
    assert result.exit_code == 1, result.output
    assert "visits.csv: the header repeats column(s) visit_date" in result.output
    assert "phones.csv: not loaded, it depends on failed file visits.csv (header_failed)" in result.output
    saved = json.loads(report.read_text())
    status = {e["file"]: e["status"] for e in saved["files"]}
    assert status["visits.csv"] == "header_failed" and status["phones.csv"] == "dependency_failed"
    assert status["calls.csv"] == status["prisoners.csv"] == "loaded"

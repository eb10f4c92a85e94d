"""Load a directory of partner exports: dependency order, checks, rejects, report.

:func:`load_directory` is the one entry point (``marsoc load`` calls it). For each
contract file present, chunk by chunk (``store.batch_size`` rows, ``MARSOC_BATCH_SIZE``):
read -> transform (pure; contract violations become rejects) -> reference check
(unknown identifiers become rejects) -> duplicate check (exact duplicates are excluded,
conflicting ones rejected) -> load (each write one ``UNWIND`` statement, atomic). After
the intelligence links come the identity candidates, then analysts' resolutions.

One failing file never hides the others: a file that cannot be read as a whole
(encoding, header) or fails mid-way (the store refused a write) is marked failed in the
report with the reason and what the store holds from it; the files depending on it
(:data:`loaders.contract.DEPENDS_ON`, directly or through another) are not loaded, the
others are; the report is always written, also when the load is interrupted.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph_service.gc_pause import paused_gc
from graph_service.grading import AGENCIES
from graph_service.store import GraphStore, LoadRun
from loaders import (
    calls,
    establishments,
    identity,
    links,
    ocg_members,
    ocgs,
    persons,
    phones,
    prisoners,
    resolutions,
    staff,
    visits,
)
from loaders.base import FileLoader
from loaders.cells import LOAD_AGENCY
from loaders.context import LoaderContext
from loaders.contract import DEPENDS_ON
from loaders.csvsource import CsvSource, FileFormatError, SourceRow
from loaders.duplicates import DuplicateIndex, conflict_column
from loaders.known import KnownNodes
from loaders.rejects import Reject, RejectWriter
from loaders.report import FileReport, LoadReport
from loaders.rows import Excluded, Ref, RowError, RowModel

log = logging.getLogger(__name__)

# The file loaders in dependency order.
LOAD_ORDER: tuple[FileLoader[Any, Any], ...] = (
    establishments.LOADER,
    prisoners.LOADER,
    staff.LOADER,
    persons.LOADER,
    visits.LOADER,
    phones.LOADER,
    ocgs.LOADER,
    ocg_members.LOADER,
    calls.LOADER,
    links.LOADER,
    resolutions.LOADER,
)
# Contract files in dependency order, each with its file loader.
FILE_LOADERS: tuple[tuple[str, FileLoader[Any, Any]], ...] = tuple(
    (loader.contract.name, loader) for loader in LOAD_ORDER
)

DEFINED_BY = {
    ("Person", "prisoner"): "prisoners.csv",
    ("Person", "visitor"): "visits.csv",
    ("Person", "staff"): "staff.csv",
    ("Person", "person"): "persons.csv",
    ("Establishment", "establishment"): "establishments.csv",
    ("OCG", "ocg"): "ocgs.csv",
}

# Most checked rows gathered for one write, whatever the chunk size (bounds memory).
GATHER_MAX_ROWS = 100_000

# progress callback: (event, file, info) with event "start" | "batch" | "done" | "skipped" | "failed" | "step"
ProgressFn = Callable[[str, str, dict[str, Any]], None]


def new_run_id() -> str:
    return datetime.now(UTC).strftime("load-%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]


def count_lines(path: Path) -> int:
    total = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            total += block.count(b"\n")
    return total


def _check_references[T: (RowModel, tuple[int, Excluded])](
    models: list[T], ctx: LoaderContext, file: str, rejects: RejectWriter, report: FileReport
) -> list[T]:
    """Models (or ``(line, Excluded)`` pairs) whose references all exist; the others rejected."""

    def refs_of(m: RowModel | tuple[int, Excluded]) -> Sequence[Ref]:
        return m[1].refs if isinstance(m, tuple) else m.refs()

    unknown = ctx.known.unknown(ref for m in models for ref in refs_of(m))
    if not unknown:
        return models
    kept = []
    for m in models:
        bad = next((r for r in refs_of(m) if (r.label, r.node_id) in unknown), None)
        if bad is None:
            kept.append(m)
            continue
        namespace = bad.node_id.split(":", 1)[0]
        origin = DEFINED_BY.get((bad.label, namespace), "its file")
        if isinstance(m, tuple):
            line, excluded = m
            if excluded.withheld:
                reject = Reject(
                    file, line, bad.column, "", f"unknown {bad.column} ({excluded.reason} call: value withheld)"
                )
            else:
                reject = Reject(
                    file,
                    line,
                    bad.column,
                    bad.value,
                    f"unknown {bad.column} {bad.value!r}: not in {origin} nor in the store",
                )
        else:
            reject = Reject(
                file,
                m.line,
                bad.column,
                bad.value,
                f"unknown {bad.column} {bad.value!r}: not in {origin} nor in the store",
            )
        rejects.add(reject)
        report.reject("unknown_reference")
    return kept


def _check_duplicates(
    models: list[RowModel], ctx: LoaderContext, file: str, rejects: RejectWriter, report: FileReport
) -> list[RowModel]:
    index = ctx.duplicates
    hashed = [[(index._hash(file, key), key, index.encode(key)) for key in m.keys()] for m in models]  # noqa: SIM118 (a row model, not a dict)
    existing = index.lookup([h for keys in hashed for h, _, _ in keys])
    local: dict[int, tuple[int, str]] = {}
    added: list[tuple[int, int, str]] = []
    kept = []
    for m, keys in zip(models, hashed):
        conflict = None
        duplicate_of = None
        for position, (h, key, encoded) in enumerate(keys):
            previous = local.get(h) or existing.get(h)
            if previous is None:
                continue
            line, prior = previous
            if prior != encoded:
                old, new = index.decode(key.name, prior), index.decode(key.name, encoded)
                if position > 0:
                    # An entity key (the same prisoner on another custody row): a value one
                    # row leaves empty is not a conflict, only two different values are.
                    old = {k: v for k, v in old.items() if v is not None and new.get(k) is not None}
                    new = {k: v for k, v in new.items() if k in old}
                column = conflict_column(old, new)
                if column:
                    conflict = (key, column, line, old, new)
                    break
                continue
            if position == 0:
                duplicate_of = line
        if conflict is not None:
            key, column, line, old, new = conflict
            ident = "/".join(str(k) for k in key.key)
            rejects.add(
                Reject(
                    file,
                    m.line,
                    column,
                    "" if new.get(column) is None else str(new.get(column)),
                    f"duplicate {key.name} {ident} with conflicting {column}: line {line} has "
                    f"{old.get(column)!r}, this row {new.get(column)!r}",
                )
            )
            report.reject("conflicting_duplicate")
            continue
        if duplicate_of is not None:
            report.exclude("duplicate")
            continue
        for h, _, encoded in keys:
            if h not in local and h not in existing:
                local[h] = (m.line, encoded)
                added.append((h, m.line, encoded))
        kept.append(m)
    index.add(added)
    return kept


class _ChunkWriter:
    """Writes chunks to the store on one background thread, in order, one at a time,
    while the next chunk is read and checked: the store's server works on one core
    while Python parses on the other. A write's error is raised in the loading thread
    at the next hand-over (or at :meth:`finish`), and nothing after it is written."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="marsoc-load-writer")
        self._pending: Future | None = None

    def submit(self, write: Callable[[], None]) -> float:
        """Wait for the previous write, then start ``write``; returns the seconds waited."""
        waited = self.wait()
        self._pending = self._pool.submit(write)
        return waited

    def wait(self) -> float:
        started = time.perf_counter()
        pending = self._pending
        if pending is not None:
            try:
                pending.result()  # raises the write's error
            finally:
                if pending.done():  # an interrupted wait leaves it pending for finish/abandon
                    self._pending = None
        return time.perf_counter() - started

    def finish(self) -> float:
        """Wait for the last write (raising its error) and stop the thread."""
        try:
            return self.wait()
        finally:
            self._pool.shutdown(wait=True)

    def abandon(self) -> None:
        """The load is failing already: let the write in flight end, log (not raise) its
        error so the first error is the one reported, and stop the thread."""
        try:
            self.wait()
        except Exception as error:
            log.error("a chunk write failed while the load was stopping: %s", error)
        finally:
            self._pool.shutdown(wait=True)


def load_file(
    store: GraphStore,
    path: Path,
    loader: FileLoader[Any, Any],
    ctx: LoaderContext,
    run: LoadRun,
    rejects: RejectWriter,
    report: FileReport,
    *,
    batch_size: int,
    progress: ProgressFn,
) -> None:
    """Load one contract file; raises :class:`~loaders.csvsource.FileFormatError` (a file
    that cannot be read, a header that fails its check) before loading anything.

    Any other error (a write the store refused) stops the file: the report then counts
    the accepted rows not written (``not_written``) and says what the store holds from
    the file (``store_holds``: every accepted row up to ``stored_through_line``, the
    last line of the last complete write) before the error is raised again.

    Chunk ``n + 1`` is read and checked while chunk ``n`` is written; its reference
    check already counts the nodes chunk ``n`` defines, since writes run in order.
    A loader with ``gather_chunks = k`` has its checked rows written up to ``k`` chunks
    at a time, at most :data:`GATHER_MAX_ROWS` rows unless one chunk is larger
    (aggregated links: one pair's calls in the window become one link update). The
    first write goes after one chunk and each later window doubles up to that size, so
    the store starts working while the first window would still be read.
    """
    source = CsvSource(path, loader.contract)
    report.extra_columns = list(source.extra_columns)
    ctx.duplicates.reset()
    ctx.known.new_file()
    file = loader.contract.name
    started = time.perf_counter()
    writer = _ChunkWriter()

    def hand_over(accepted: list[RowModel], through: int) -> None:
        """Prepare the rows here (the loader's ``prepare``, pure) and write them on the
        writer thread; ``through``: the last line of the chunks they come from."""
        begun = time.perf_counter()
        ready, rows = loader.prepare(accepted), len(accepted)
        report.stage("prepare", time.perf_counter() - begun)
        # (the write holds only what it writes: the row models are freed once prepared)
        report.stage("write_wait", writer.submit(lambda: write(ready, rows, through)))

    def write(ready: Any, rows: int, through: int) -> None:
        begun = time.perf_counter()
        loader.load(store, ready, run, ctx)
        report.loaded += rows
        report.stored_through_line = through
        report.stage("write", time.perf_counter() - begun)

    window = min(batch_size * loader.gather_chunks, max(batch_size, GATHER_MAX_ROWS))
    current = batch_size  # the first write starts after one chunk, later ones gather more
    gathered: list[RowModel] = []
    last_line = source.header_line
    try:
        for chunk in source.chunks(batch_size):
            with paused_gc():  # bulk allocation; cycles are collected between chunks
                accepted = _checked_chunk(chunk, loader, ctx, rejects, report)
                last_line = chunk[-1].line
                for m in accepted:
                    for label, node in m.defines():
                        ctx.known.ids[label].add(node)
                gathered.extend(accepted)
                if len(gathered) >= current:
                    hand_over(gathered, last_line)
                    gathered = []
                    current = min(current * 2, window)
                report.batches += 1
                rejects.flush()
                progress("batch", file, {"rows": report.rows_read, "batch": report.batches, "loaded": report.loaded})
        if gathered:
            hand_over(gathered, last_line)
        report.stage("write_wait", writer.finish())
    except BaseException as error:
        writer.abandon()
        _failed_midway(report, error, last_line)
        raise
    report.stored_through_line = last_line
    report.seconds = round(time.perf_counter() - started, 3)
    report.rows_per_s = round(report.rows_read / report.seconds, 1) if report.seconds else 0.0


def _failed_midway(report: FileReport, error: BaseException, last_read: int) -> None:
    """Account for a file that stopped mid-way: the rows read and accepted but not
    written, and what the store holds from it."""
    report.not_written = max(report.rows_read - report.loaded - report.rejected - report.excluded, 0)
    through = report.stored_through_line
    if report.loaded == 0 and through == 0:
        held = f"no row of {report.file} (nothing was written before the failure)"
    else:
        held = f"every row of {report.file} accepted up to line {through:,} ({report.loaded:,} rows)"
    if report.not_written:
        held += (
            f"; the {report.not_written:,} accepted rows after it were not written (the write in flight may be"
            " partly in the store: loading the file again completes it, loads are idempotent)"
        )
    report.store_holds = held + f"; lines after {last_read:,} were not read"


def _checked_chunk(
    chunk: Sequence[SourceRow],
    loader: FileLoader[Any, Any],
    ctx: LoaderContext,
    rejects: RejectWriter,
    report: FileReport,
) -> list[RowModel]:
    """Transform a chunk's rows, then check references and duplicates: the rows to write."""
    file = loader.contract.name
    clock = time.perf_counter()
    accepted: list[RowModel] = []
    excluded: list[tuple[int, Excluded]] = []
    for row in chunk:
        report.rows_read += 1
        if row.problem is not None:  # a line the reader could not read as a row
            problem = row.problem
            rejects.add(Reject(file, row.line, problem.column, problem.value, problem.reason))
            report.reject(problem.kind)
            continue
        try:
            model = loader.transform(row)
        except RowError as error:
            rejects.add(Reject(file, row.line, error.column, error.value, error.reason))
            report.reject(error.kind)
            continue
        except Exception as error:  # a bug must not stop the file: the row is refused, and logged
            log.exception("%s line %s: the transform failed", file, row.line)
            rejects.add(Reject(file, row.line, "", "", f"the loader failed on this row ({type(error).__name__})"))
            report.reject("error")
            continue
        if isinstance(model, Excluded):
            excluded.append((row.line, model))
            continue
        accepted.append(model)
    now = time.perf_counter()
    report.stage("read_transform", now - clock)
    clock = now
    for _, model in _check_references(excluded, ctx, file, rejects, report) if excluded else ():
        report.exclude(model.reason)
    accepted = _check_references(accepted, ctx, file, rejects, report)
    now = time.perf_counter()
    report.stage("references", now - clock)
    clock = now
    accepted = _check_duplicates(accepted, ctx, file, rejects, report)
    report.stage("duplicates", time.perf_counter() - clock)
    return accepted


def _rich_progress() -> tuple[ProgressFn, Callable[[], None]]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[note]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )
    tasks: dict[str, Any] = {}
    bar.start()

    def update(event: str, file: str, info: dict[str, Any]) -> None:
        if event == "start":
            tasks[file] = bar.add_task(file, total=info.get("total"), note="")
        elif event == "batch" and file in tasks:
            bar.update(tasks[file], completed=info["rows"], note=f"{info['loaded']} loaded")
        elif event == "done" and file in tasks:
            r: FileReport = info["report"]
            bar.update(
                tasks[file],
                total=r.rows_read,
                completed=r.rows_read,
                note=f"{r.loaded} loaded, {r.rejected} rejected, {r.excluded} excluded",
            )
        elif event in ("skipped", "failed", "step"):
            message = str(info.get("message", event))
            bar.console.print(message if message.startswith(f"{file}: ") else f"{file}: {message}")

    return update, bar.stop


def _resolve_progress(progress: bool | ProgressFn) -> tuple[ProgressFn, Callable[[], None]]:
    if callable(progress):
        return progress, lambda: None
    if progress:
        return _rich_progress()
    return (lambda event, file, info: None), lambda: None


def load_directory(
    store: GraphStore,
    directory: Path,
    *,
    report_path: Path | None = None,
    rejects_path: Path | None = None,
    max_reject_rate: float | None = None,
    progress: bool | ProgressFn = True,
    run_id: str | None = None,
    resolve: bool = True,
    files: Sequence[str] | None = None,
    agency: str | None = None,
) -> LoadReport:
    """Load every contract file found in ``directory`` in dependency order.

    Missing files are skipped (and reported so). A file that cannot be read as a whole
    loads nothing and is reported as ``encoding_failed`` (not UTF-8 text) or
    ``header_failed`` (its header lacks required columns, repeats one, ...); a file that
    fails mid-way (a write refused) is ``failed``, with what the store holds from it
    (``store_holds``). The files depending on a failed file are ``dependency_failed``
    and not loaded; the others are. Every failure is a problem (``report.ok`` is false).
    ``report_path``: where the JSON report goes (none written when ``None``), written
    whatever happens, also when the load is interrupted; ``rejects_path``: the rejects
    CSV (default: beside the report as ``<report stem>.rejects.csv``). With
    ``max_reject_rate``, a file rejecting a larger share of its rows is a problem
    (its valid rows are still loaded). ``resolve``: run identity resolution after the
    links. ``files``: restrict to these contract file names. ``agency``: the partner the
    load is for, the originating agency of every row that names none (a handling ``C``
    row with no agency from either is rejected).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory} is not a folder")
    if agency is not None and agency not in AGENCIES:
        raise ValueError(f"agency must be one of {', '.join(AGENCIES)}, got {agency!r}")
    run = LoadRun(run_id or new_run_id(), agency=agency)
    if rejects_path is None and report_path is not None:
        rejects_path = Path(report_path).with_name(Path(report_path).stem + ".rejects.csv")
    report = LoadReport(
        run_id=run.run_id,
        directory=str(directory),
        started_at=run.now,
        report_path=str(report_path) if report_path else None,
        rejects_path=str(rejects_path) if rejects_path else None,
        max_reject_rate=max_reject_rate,
        agency=agency,
    )
    started = time.perf_counter()
    rejects = RejectWriter(rejects_path, run.run_id)
    ctx = LoaderContext(store, KnownNodes(store), DuplicateIndex())
    notify, stop = _resolve_progress(progress)
    failed: dict[str, str] = {}  # file -> its status, for the files depending on it
    loading: FileReport | None = None  # the file being read (for an interruption)
    resolved = False
    agency_token = LOAD_AGENCY.set(agency)
    store.record_run(run)  # the store version moves on before the first write...
    try:
        for name, loader in FILE_LOADERS:
            if files is not None and name not in files:
                continue
            if name == "resolutions.csv" and resolve:
                resolved = True
                _resolve_identities(store, run, report, notify)
            path = directory / name
            file_report = FileReport(name, path=str(path))
            report.files.append(file_report)
            if not path.exists() and not path.is_symlink():
                file_report.status = "skipped"
                file_report.message = f"{name} not found in {directory}; skipped"
                notify("skipped", name, {"message": file_report.message})
                continue
            if not path.is_file():  # a directory, FIFO, device or dangling/looping link
                file_report.status = failed[name] = "failed"
                file_report.message = f"{name} exists but is not a regular file; nothing of it was loaded"
                file_report.store_holds = f"no row of {name} (not read)"
                report.problems.append(file_report.message)
                notify("failed", name, {"message": file_report.message})
                continue
            blocked = [f"{other} ({failed[other]})" for other in DEPENDS_ON[name] if other in failed]
            if blocked:
                file_report.status = failed[name] = "dependency_failed"
                file_report.store_holds = f"no row of {name} (not read)"
                file_report.message = (
                    f"{name}: not loaded, it depends on failed file {', '.join(blocked)}; nothing was loaded from it"
                )
                report.problems.append(file_report.message)
                notify("failed", name, {"message": file_report.message})
                continue
            loading = file_report
            try:
                notify("start", name, {"total": max(count_lines(path) - 1, 0)})
                load_file(
                    store, path, loader, ctx, run, rejects, file_report, batch_size=store.batch_size, progress=notify
                )
            except FileFormatError as error:
                loading = None
                file_report.status = failed[name] = error.status
                file_report.message = str(error)
                file_report.store_holds = f"no row of {name} (the file was refused before any row was read)"
                report.problems.append(str(error))
                notify("failed", name, {"message": str(error)})
                continue
            except Exception as error:
                loading = None
                log.exception("%s: the load failed", name)
                file_report.status = failed[name] = "failed"
                file_report.message = (
                    f"{name}: failed after {file_report.rows_read:,} rows: {type(error).__name__}: {error}; "
                    f"the store holds {file_report.store_holds}"
                )
                report.problems.append(file_report.message)
                notify("failed", name, {"message": file_report.message})
                continue
            loading = None
            if name == "resolutions.csv":
                report.resolutions = _step(
                    report, "applying the identity decisions", identity.apply_decisions, store, run
                )
            rate = file_report.reject_rate
            if max_reject_rate is not None and rate > max_reject_rate:
                message = (
                    f"{name}: reject rate {rate:.2%} ({file_report.rejected}/{file_report.rows_read}) exceeds "
                    f"the maximum {max_reject_rate:.2%}; its valid rows were still loaded"
                )
                file_report.message = message
                report.problems.append(message)
            notify("done", name, {"report": file_report})
        if resolve and not resolved:
            _resolve_identities(store, run, report, notify)
    except BaseException as error:
        # Interrupted (or an error outside any one file): the report still says where it stopped.
        if loading is not None:
            loading.status = "interrupted"
            loading.message = (
                f"{loading.file}: interrupted after {loading.rows_read:,} rows ({type(error).__name__}); "
                f"the store holds {loading.store_holds}"
            )
        report.problems.append(f"the load stopped: {type(error).__name__}: {error}".rstrip(": "))
        raise
    finally:
        LOAD_AGENCY.reset(agency_token)
        stop()
        rejects.close()
        ctx.duplicates.close()
        try:  # ...and after the last, so a warm copy read mid-load catches up
            store.record_run(run)
        except Exception as error:
            log.error("the end of the load run could not be recorded: %s", error)
            report.problems.append(f"the end of the load run could not be recorded: {type(error).__name__}: {error}")
        report.finished_at = datetime.now(UTC).isoformat(timespec="seconds")
        report.seconds = round(time.perf_counter() - started, 3)
        try:
            report.counts = store.counts()
        except Exception as error:
            log.error("the store's counts could not be read: %s", error)
            report.problems.append(f"the store's counts could not be read: {type(error).__name__}: {error}")
        if report_path is not None:
            report.write(Path(report_path))
    return report


def _step(report: LoadReport, what: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Run one step after the files (identity resolution, decisions): a failure is a
    problem of the report, not the end of the load."""
    try:
        return fn(*args)
    except Exception as error:
        log.exception("%s failed", what)
        report.problems.append(f"{what} failed: {type(error).__name__}: {error}")
        return None


def _resolve_identities(store: GraphStore, run: LoadRun, report: LoadReport, notify: ProgressFn) -> None:
    notify("step", "identity", {"message": "resolving identities"})
    report.identity = _step(report, "identity resolution", identity.resolve_identities, store, run)
    if report.identity is not None:
        notify("step", "identity", {"message": f"{report.identity['candidates']} candidate pairs"})

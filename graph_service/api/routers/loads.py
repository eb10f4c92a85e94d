"""Admins load partners' exports from the browser.

``GET /loads`` is the upload page; ``POST /api/v1/loads`` takes the contract files
(multipart, each named as the contract names it: ``prisoners.csv``, ``visits.csv``...)
and the agency, writes them into a folder of their own under the data folder, and loads
them in a background thread with the CLI's loader (every row accounted for, the
reconciled report and the rejects file), one load at a time (409 while one runs).
``GET /loads/{run}`` shows the progress per file, then the report;
``GET /api/v1/loads/{run}`` is the same as JSON; ``/loads/{run}/report`` and
``/loads/{run}/rejects`` download the report and the rejects file. Each load is
audited as a collection by the admin who ran it.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse

from graph_service.api.deps import SettingsDep, StoreDep, TemplatesDep
from graph_service.api.models import LoadStarted, LoadState
from graph_service.grading import AGENCIES

router = APIRouter(tags=["loads"])
RUN_ID = re.compile(r"^web-\d{8}T\d{6}Z-[0-9a-f]{6}$")
MAX_FILES = 16
CHUNK = 1 << 20


def contract_files() -> list[str]:
    from loaders.runner import FILE_LOADERS

    return [name for name, _ in FILE_LOADERS]


@dataclass
class FileProgress:
    status: str = "waiting"
    rows: int = 0
    total: int | None = None
    loaded: int = 0
    rejected: int = 0
    message: str | None = None


@dataclass
class LoadJob:
    run_id: str
    agency: str
    username: str
    folder: str
    files: dict[str, FileProgress]
    state: str = "running"  # running, done, failed
    step: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None
    ok: bool | None = None
    totals: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)

    def progress(self, event: str, name: str, info: dict[str, Any]) -> None:
        """The loader's progress callback (see ``loaders.runner.ProgressFn``)."""
        if event == "step":
            self.step = info.get("message")
            return
        entry = self.files.setdefault(name, FileProgress())
        if event == "start":
            entry.status, entry.total = "loading", info.get("total")
        elif event == "batch":
            entry.rows, entry.loaded = int(info.get("rows") or 0), int(info.get("loaded") or 0)
        elif event == "done":
            report = info["report"]
            entry.status, entry.rows = report.status, report.rows_read
            entry.loaded, entry.rejected, entry.message = report.loaded, report.rejected, report.message
        elif event in ("skipped", "failed"):
            entry.status, entry.message = event, info.get("message")

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "folder"}  # no path of this machine
        return {**data, "elapsed_s": round((self.finished or time.time()) - self.started, 1)}


def _jobs(request: Request) -> dict[str, LoadJob]:
    jobs: dict[str, LoadJob] = request.app.state.load_jobs
    return jobs


def _run(lock: threading.Lock, job: LoadJob, store: Any, settings: Any) -> None:
    """The load of ``job`` in its own thread; releases ``lock`` (the app's one-load lock)."""
    from graph_service.appdb import open_app_db
    from graph_service.appdb.audit import record_load
    from loaders.runner import load_directory

    folder = Path(job.folder)
    try:
        report = load_directory(
            store,
            folder,
            report_path=folder / "report.json",
            rejects_path=folder / "rejects.csv",
            progress=job.progress,
            run_id=job.run_id,
            agency=job.agency,
        )
        job.ok, job.totals, job.problems = report.ok, report.totals, list(report.problems)
        db = open_app_db(settings)
        try:
            record_load(db, report, endpoint="POST /api/v1/loads", username=job.username, role="admin")
        finally:
            db.close()
        job.state = "done"
    except Exception as error:  # the report says what was loaded; the page says it stopped
        job.state, job.ok = "failed", False
        job.problems.append(f"the load stopped: {type(error).__name__}: {error}")
    finally:
        job.finished = time.time()
        lock.release()


@router.get("/loads", response_class=HTMLResponse, summary="Load partners' exports (page)")
def loads_page(request: Request, templates: TemplatesDep) -> HTMLResponse:
    jobs = sorted(_jobs(request).values(), key=lambda j: j.started, reverse=True)[:20]
    return templates.TemplateResponse(
        request, "loads.html", {"files": contract_files(), "agencies": AGENCIES, "jobs": jobs, "max_files": MAX_FILES}
    )


@router.post(
    "/api/v1/loads",
    status_code=202,
    response_model=LoadStarted,
    summary="Upload contract files and load them (one load at a time)",
)
async def start_load(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    files: list[UploadFile],
    agency: Annotated[str, Form(pattern="^(" + "|".join(AGENCIES) + ")$")],
) -> dict[str, Any]:
    from fastapi.concurrency import run_in_threadpool

    from loaders.runner import new_run_id

    allowed_names = set(contract_files())
    names = [Path(f.filename or "").name for f in files]
    wrong = sorted({n for n in names if n not in allowed_names})
    if not files or len(files) > MAX_FILES:
        raise HTTPException(status_code=422, detail=f"send 1-{MAX_FILES} contract files")
    if wrong:
        raise HTTPException(
            status_code=422,
            detail=f"not a contract file name: {', '.join(wrong)}; expected {', '.join(sorted(allowed_names))}",
        )
    if len(set(names)) < len(names):
        raise HTTPException(status_code=422, detail="each contract file once")
    lock: threading.Lock = request.app.state.load_lock
    if not lock.acquire(blocking=False):
        raise HTTPException(status_code=409, detail="a load is running: wait for it to finish")
    try:
        run_id = "web-" + new_run_id().removeprefix("load-")
        folder = Path(settings.data_dir) / "uploads" / run_id
        folder.mkdir(parents=True, exist_ok=False)
        for upload, name in zip(files, names, strict=True):
            with (folder / name).open("wb") as out:
                while chunk := await upload.read(CHUNK):
                    await run_in_threadpool(out.write, chunk)
        principal = request.state.principal
        job = LoadJob(run_id, agency, principal.username, str(folder), {n: FileProgress() for n in names})
        _jobs(request)[run_id] = job
        threading.Thread(target=_run, args=(lock, job, store, settings), name=f"load-{run_id}", daemon=True).start()
    except BaseException:
        lock.release()
        raise
    return {"run_id": run_id, "url": f"/loads/{run_id}", "files": names}


def _job(request: Request, run_id: str) -> LoadJob:
    found = _jobs(request).get(run_id) if RUN_ID.fullmatch(run_id) else None
    if found is None:
        raise HTTPException(status_code=404, detail=f"no load {run_id!r} since the service started")
    return found


@router.get("/api/v1/loads/{run_id}", response_model=LoadState, summary="A load's progress per file, then its totals")
def load_state(run_id: str, request: Request) -> dict[str, Any]:
    return _job(request, run_id).to_json()


@router.get("/loads/{run_id}", response_class=HTMLResponse, summary="A load's progress (page)")
def load_page(run_id: str, request: Request, templates: TemplatesDep) -> HTMLResponse:
    job = _job(request, run_id)
    return templates.TemplateResponse(request, "load.html", {"job": job})


def _download(request: Request, run_id: str, name: str, media_type: str) -> FileResponse:
    job = _job(request, run_id)
    path = Path(job.folder) / name
    if job.state == "running" or not path.exists():
        raise HTTPException(status_code=404, detail=f"the {name} of {run_id} is not written yet")
    return FileResponse(path, media_type=media_type, filename=f"{run_id}-{name}")


@router.get("/loads/{run_id}/report", summary="A load's reconciled report (JSON)")
def load_report(run_id: str, request: Request) -> FileResponse:
    return _download(request, run_id, "report.json", "application/json")


@router.get("/loads/{run_id}/rejects", summary="A load's rejected rows, with line, column and reason (CSV)")
def load_rejects(run_id: str, request: Request) -> FileResponse:
    return _download(request, run_id, "rejects.csv", "text/csv")

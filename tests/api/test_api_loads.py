"""Admins load partners' exports from the browser's loads page: the upload, the load in
the background with its progress per file, the report and the rejects file, one load
at a time, audited as a collection by the admin; hostile uploads refused."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator

import pytest
from conftest import sign_in
from fastapi.testclient import TestClient
from sample_graph import build_data_dir

from graph_service.api.app import create_app

ESTABLISHMENTS = "establishment_code,name,region,category\nBXI,HMP Brixton,London,B\nWWI,HMP Wandsworth,London,B\n"
PRISONERS = (
    "prison_number,surname,forenames,dob,establishment_code,reception_date,release_date\n"
    "A1234BC,Smith,Jonathan,1985-03-12,BXI,2020-01-01,\n"
    "B2222BB,Okafor,Chinedu,1990-07-01,WWI,2024-01-01,\n"
    "BADNUMBER,Nobody,Quite,1990-13-45,BXI,2024-01-01,\n"
)


@pytest.fixture(scope="module")
def admin(tmp_path_factory) -> Iterator[TestClient]:
    settings = build_data_dir(tmp_path_factory.mktemp("loads-data"))
    with TestClient(create_app(settings)) as client:
        client.headers.update(sign_in(client, "admin.police"))
        yield client


def upload(client, files: dict[str, str], agency: str = "hmpps", headers=None):
    sent = [("files", (name, text.encode("utf-8"), "text/csv")) for name, text in files.items()]
    return client.post("/api/v1/loads", files=sent, data={"agency": agency}, headers=headers or {})


def wait(client, run_id: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = client.get(f"/api/v1/loads/{run_id}").json()
        if state["state"] != "running":
            return state
        time.sleep(0.1)
    raise AssertionError("the load did not finish")


def test_an_upload_is_loaded_with_every_row_accounted_for(admin):
    started = upload(admin, {"establishments.csv": ESTABLISHMENTS, "prisoners.csv": PRISONERS})
    assert started.status_code == 202, started.text
    run_id = started.json()["run_id"]
    page = admin.get(f"/loads/{run_id}", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'data-file="prisoners.csv"' in page.text
    state = wait(admin, run_id)
    assert state["state"] == "done" and state["ok"] is True
    prisoners = state["files"]["prisoners.csv"]
    assert (prisoners["status"], prisoners["rows"], prisoners["loaded"], prisoners["rejected"]) == ("loaded", 3, 2, 1)
    assert state["totals"]["rows_read"] == 5 and state["totals"]["rejected"] == 1
    report = admin.get(f"/loads/{run_id}/report")
    assert report.status_code == 200 and report.json()["run_id"] == run_id
    rejects = list(csv.DictReader(io.StringIO(admin.get(f"/loads/{run_id}/rejects").text)))
    assert len(rejects) == 1 and rejects[0]["file"] == "prisoners.csv" and rejects[0]["line"] == "4"
    found = admin.app.state.store.read_internal("node-by-id", {"id": "prisoner:B2222BB"}, label="Person")
    assert found and found[0]["props"]["load_run"] == run_id
    record = [e for e in admin.app.state.audit.entries(limit=100_000) if e.action == "collection"][-1]
    assert (record.username, record.endpoint, record.params["run_id"]) == ("admin.police", "POST /api/v1/loads", run_id)
    listing = admin.get("/loads", headers={"Accept": "text/html"}).text
    assert run_id in listing


def test_hostile_uploads_are_refused_and_nothing_is_written(admin):
    before = len(admin.app.state.load_jobs)
    wrong = upload(admin, {"../../etc/passwd": "x"})
    assert wrong.status_code == 422 and "not a contract file name" in wrong.json()["detail"]
    other = upload(admin, {"notes.txt": "x"})
    assert other.status_code == 422
    assert upload(admin, {"prisoners.csv": PRISONERS}, agency="mi5").status_code == 422
    assert admin.post("/api/v1/loads", data={"agency": "hmpps"}).status_code == 422  # no files
    assert len(admin.app.state.load_jobs) == before
    assert admin.get("/loads/../../etc/passwd").status_code == 404
    assert admin.get("/api/v1/loads/web-19990101T000000Z-abcdef").status_code == 404


def test_one_load_at_a_time(admin):
    lock = admin.app.state.load_lock
    assert lock.acquire(blocking=False)  # as if a load were running
    try:
        busy = upload(admin, {"establishments.csv": ESTABLISHMENTS})
        assert busy.status_code == 409 and "a load is running" in busy.json()["detail"]
    finally:
        lock.release()


def test_an_upload_larger_than_the_limit_is_refused(tmp_path):
    settings = build_data_dir(tmp_path)
    settings = settings.model_copy(update={"max_upload_bytes": 2048})
    with TestClient(create_app(settings)) as client:
        headers = sign_in(client, "admin.police")
        big = upload(client, {"prisoners.csv": PRISONERS * 40}, headers=headers)
        assert big.status_code == 413
        analyst = sign_in(client, "analyst.police")
        assert upload(client, {"prisoners.csv": PRISONERS}, headers=analyst).status_code == 403

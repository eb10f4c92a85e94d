"""The originating agency of every fact: from the row's column, else the load's
--agency; a handling C row with neither is rejected with the reason."""

from __future__ import annotations

import pytest
from loaderdata import LINKS, small_world, write

from loaders.rejects import read_rejects
from loaders.runner import load_directory

C_ROW = "staff,S10001,prisoner,B2222BB,CORRUPT_APPROACH,2024-03-10,IR-0002,3,C,C,hub only,"


def _links_without_agency(directory):
    header, *rows = [line for line in LINKS.strip().splitlines()]
    rows = [C_ROW if "CORRUPT_APPROACH" in r else r for r in rows]
    write(directory, "links.csv", "\n".join([header, *rows]) + "\n")


def _approach(store):
    rows = store.query(
        "MATCH (:Person {id: 'staff:S10001'})-[r:CORRUPT_APPROACH]-() RETURN r.originating_agency AS agency"
    ).rows
    return [r[0] for r in rows]


def test_a_c_row_with_no_agency_is_rejected_with_the_reason(store, tmp_path):
    directory = small_world(tmp_path / "in")
    _links_without_agency(directory)
    report = load_directory(store, directory, report_path=tmp_path / "r.json", progress=False, resolve=False)
    refused = [r for r in read_rejects(tmp_path / "r.rejects.csv") if r["file"] == "links.csv"]
    assert [(r["line"], r["column"]) for r in refused] == [("3", "originating_agency")]
    assert "needs its originating agency" in refused[0]["reason"] and "--agency" in refused[0]["reason"]
    assert _approach(store) == [] and report.agency is None


def test_the_load_agency_is_the_default_and_a_row_s_own_wins(store, tmp_path):
    directory = small_world(tmp_path / "in")
    _links_without_agency(directory)
    report = load_directory(
        store, directory, report_path=tmp_path / "r.json", progress=False, resolve=False, agency="probation"
    )
    assert _approach(store) == ["probation"] and report.agency == "probation"
    phone = store.query(
        "MATCH (:Person {id: 'person:P000001'})-[r:USES_PHONE]->() RETURN r.originating_agency AS a"
    ).rows
    assert phone == [["police"]]  # the row's own column (loaderdata's phones.csv) over --agency
    run = store.query("MATCH (r:LoadRun {id: $id}) RETURN r.agency", {"id": report.run_id}).rows
    assert run == [["probation"]]


def test_an_unknown_agency_is_refused(store, tmp_path):
    directory = small_world(tmp_path / "in")
    with pytest.raises(ValueError, match="agency must be one of"):
        load_directory(store, directory, progress=False, agency="mi6")
    header, *rows = LINKS.strip().splitlines()
    write(directory, "links.csv", "\n".join([header, rows[0][:-1] + ",MI6", *rows[1:]]) + "\n")
    load_directory(store, directory, report_path=tmp_path / "r.json", progress=False, resolve=False, agency="nca")
    refused = [r for r in read_rejects(tmp_path / "r.rejects.csv") if r["file"] == "links.csv"]
    assert [(r["line"], r["column"]) for r in refused] == [("2", "originating_agency")]

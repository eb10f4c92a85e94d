"""Extra columns never rewrite what the loaders own; odd files fail loudly; identity
resolution stays bounded on thousands of identical records."""

from __future__ import annotations

import os

from loaderdata import small_world

from loaders.cells import OWNED_PROPERTIES, extra_name
from loaders.identity import MAX_BLOCK, Record, find_candidates
from loaders.runner import load_directory


def _add_column(path, name, values):
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [f"{lines[0]},{name}"] + [f"{line},{values(i)}" for i, line in enumerate(lines[1:], 1) if line.strip()]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _ids(store, label):
    return sorted(r["id"] for r in store.read_internal("label-node-ids", label=label))


def test_an_extra_column_named_like_an_owned_property_is_kept_apart(store, tmp_path):
    clean = small_world(tmp_path / "clean")
    load_directory(store, clean, progress=False)
    expected = (_ids(store, "Person"), store.counts())
    store.delete_all()
    hostile = small_world(tmp_path / "hostile")
    _add_column(hostile / "prisoners.csv", "id", lambda i: f"prisoner:X{i}")
    _add_column(hostile / "staff.csv", "canonical_id", lambda i: "prisoner:A0000AA")
    _add_column(hostile / "persons.csv", "namespace", lambda i: "evil")
    report = load_directory(store, hostile, progress=False)
    assert all(f.status in ("loaded", "skipped") for f in report.files), [(f.file, f.status) for f in report.files]
    assert (_ids(store, "Person"), store.counts()) == expected
    props = store.read_internal("node-by-id", {"id": _ids(store, "Prisoner")[0]}, label="Person")[0]["props"]
    assert props["extra_id"].startswith("prisoner:X") and props["id"] != props["extra_id"]
    staff = store.read_internal("node-by-id", {"id": _ids(store, "Staff")[0]}, label="Person")[0]["props"]
    assert staff["canonical_id"] == staff["id"] and staff["extra_canonical_id"] == "prisoner:A0000AA"


def test_extra_names():
    assert {"id", "canonical_id", "namespace", "source", "count", "event_ids", "valid_from"} <= OWNED_PROPERTIES
    assert extra_name("Officer notes") == "officer_notes" and extra_name("source_ref") == "extra_source_ref"
    assert extra_name("a b", ["a_b"]) == "a_b_2"


def test_a_contract_file_that_is_not_a_regular_file_fails(store, tmp_path):
    world = small_world(tmp_path / "w")
    (world / "calls.csv").unlink()
    os.mkfifo(world / "calls.csv")
    report = load_directory(store, world, progress=False)
    calls = next(f for f in report.files if f.file == "calls.csv")
    assert calls.status == "failed" and "not a regular file" in calls.message
    assert not report.ok
    assert next(f for f in report.files if f.file == "prisoners.csv").status == "loaded"


def test_identity_resolution_skips_blocks_too_large_to_compare():
    same = [
        Record.of(
            {
                "id": f"person:Q{i}",
                "namespace": "person",
                "forenames": "John",
                "surname": "Smith",
                "dob": "1990-01-01",
                "postcode": "SE1 7PB",
                "pnc_id": None,
            }
        )
        for i in range(MAX_BLOCK * 3)
    ]
    other = [
        Record.of(
            {
                "id": f"person:R{i}",
                "namespace": "person",
                "forenames": "Ann",
                "surname": "Jones",
                "dob": "1980-02-02",
                "postcode": f"N{i} 1AA",
                "pnc_id": None,
            }
        )
        for i in range(2)
    ]
    oversized: list = []
    found, compared = find_candidates(same + other, oversized=oversized)
    assert compared <= 1 and all(not a.startswith("person:Q") for a, _ in found)
    assert oversized and all(b["records"] > MAX_BLOCK for b in oversized)

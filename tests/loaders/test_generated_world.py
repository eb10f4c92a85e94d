"""Integration: load a generated demo world and check it against its ground truth."""

from __future__ import annotations

import json

import pytest

from graph_service.synthetic.generator import generate_world
from loaders.rejects import read_rejects
from loaders.runner import load_directory


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-world")
    generate_world("demo", 1, out)
    return out


def test_demo_world_rejects_match_the_planted_bad_rows(store, world, tmp_path):
    truth = json.loads((world / "ground_truth.json").read_text())
    report = load_directory(store, world, report_path=tmp_path / "report.json", progress=False, agency="hmpps")
    assert all(f.reconciles() for f in report.files)
    rejects = read_rejects(tmp_path / "report.rejects.csv")
    got = {(r["file"], int(r["line"])): r["column"] for r in rejects}
    planted = {(b["file"], int(b["line"])): b["column"] for b in truth["bad_rows"]}
    conflicting = {(d["file"], int(d["line"])) for d in truth["duplicates"] if d["kind"] == "conflicting"}
    assert set(got) == set(planted) | conflicting
    assert all(got[k] == column for k, column in planted.items())
    exact = [d for d in truth["duplicates"] if d["kind"] == "exact"]
    duplicates = sum(f.excluded_reasons.get("duplicate", 0) for f in report.files)
    assert duplicates == len(exact)
    for name, rows in truth["counts"].items():
        assert report.file(name).rows_read == rows, name
    # privileged numbers never reach the graph
    for decoy in truth["decoys"]["privileged_numbers"]:
        assert store.read_all("MATCH (n {id: $id}) RETURN n.id", {"id": decoy["id"]}) == []
    # planted identities are found: on the demo world recall and precision are both 1.0
    # (README: identity candidates, London / demo)
    candidates = {
        tuple(sorted((r["a"], r["b"])))
        for r in store.read_all(
            "MATCH (a)-[r:POSSIBLY_SAME_AS]->(b) WHERE r.score IS NOT NULL RETURN a.id AS a, b.id AS b"
        )
    }
    planted_same = {tuple(sorted(x["ids"])) for x in truth["same_person"]}
    assert len(planted_same) == 10
    assert planted_same - candidates == set()  # recall 1.0
    assert candidates - planted_same == set()  # precision 1.0
    assert not {tuple(sorted(x["ids"])) for x in truth["not_same"]} & candidates  # no look-alike
    # resolutions: every planted 'same' decision gives one canonical id
    for record in truth["same_person"]:
        if record.get("resolved"):
            ids = record["ids"]
            found = store.read_all(
                "MATCH (n:Person) WHERE n.id IN $ids RETURN DISTINCT n.canonical_id AS c", {"ids": ids}
            )
            decided = store.read_all(
                "MATCH (a)-[r:POSSIBLY_SAME_AS]-(b) WHERE a.id = $a AND b.id = $b RETURN r.decision AS d",
                {"a": ids[0], "b": ids[1]},
            )
            if decided and decided[0]["d"] == "same":
                assert len(found) == 1 and found[0]["c"] == min(ids)

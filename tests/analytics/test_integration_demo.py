"""A generated demo world loaded through the real loaders into the real embedded store."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graph_service.analytics.bridges import corruption_bridges
from graph_service.analytics.evidence import links_in, missing_links
from graph_service.analytics.hubs import custody_hubs
from graph_service.analytics.projection import person_graph
from graph_service.analytics.scoping import Scope, extract
from graph_service.settings import load_settings

generator = pytest.importorskip("graph_service.synthetic.generator", reason="synthetic generator not present")
runner_module = pytest.importorskip("loaders.runner", reason="loaders not present")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from graph_service.store import open_store

    world = tmp_path_factory.mktemp("demo-world")
    data = tmp_path_factory.mktemp("demo-store")
    generator.generate_world("demo", 1, world)
    state = {
        "store": open_store(load_settings(data_dir=data)),
        "data_dir": data,
        "truth": json.loads((world / "ground_truth.json").read_text()),
    }
    try:
        runner_module.load_directory(state["store"], world)
        state["graph"] = extract(state["store"], Scope())
        yield state
    finally:
        state["store"].close()  # the store open now (the CLI test reopens it)


def test_planted_corrupt_staff_rank_high_with_evidence_in_store(demo):
    people = person_graph(demo["graph"])
    ranked = corruption_bridges(people)
    planted = {c["id"] for c in demo["truth"]["corrupt_staff"]}
    top = [r["id"] for r in ranked[: len(planted) + 2]]
    assert len(planted & set(top)) >= len(planted) - 1, (planted, top)
    decoys = {
        d["id"]
        for kind in ("staff_family_in_custody", "busy_staff", "false_allegations")
        for d in demo["truth"]["decoys"].get(kind, [])
        if isinstance(d, dict)
    }
    assert not decoys & set(r["id"] for r in ranked[: len(planted)])
    cited = links_in(ranked[:5])
    assert cited and missing_links(demo["store"], cited) == []


def test_hub_evidence_exists_in_store(demo):
    graph = demo["graph"]
    hubs = custody_hubs(graph, person_graph(graph), top=5)
    planted = {h["id"] for h in demo["truth"]["hubs"]}
    assert planted & {h["id"] for h in hubs}
    assert missing_links(demo["store"], links_in(hubs)) == []


def test_cli_json_outputs(demo):
    from graph_service.cli import app

    demo["store"].close()  # the CLI opens its own store on the same folder
    try:
        cli = CliRunner()
        args = ["--data-dir", str(demo["data_dir"]), "--json"]
        bridges = cli.invoke(app, ["bridges", "--top", "3", *args])
        assert bridges.exit_code == 0, bridges.output
        assert len(json.loads(bridges.stdout)["results"]) <= 3
        disrupt = cli.invoke(app, ["disrupt", "--strategy", "degree", "--mode", "block", "--steps", "2", *args])
        assert disrupt.exit_code == 0, disrupt.output
        curve = json.loads(disrupt.stdout)["curve"]
        assert [len(s["removed"]) for s in curve] == [0, 1, 1]
        assert {"lcc_fraction", "fragmentation", "efficiency"} <= set(curve[1])
        bad = cli.invoke(app, ["bridges", "--as-of", "2024-99-01", *args])
        assert bad.exit_code == 2
    finally:
        from graph_service.store import open_store

        demo["store"] = open_store(load_settings(data_dir=demo["data_dir"]))

"""The warm analysis graph on the real embedded store: a load applied as a delta gives
exactly what a fresh extraction gives, and every analysis agrees with one run cold."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import networkx as nx
import pytest

from graph_service.analytics.bridges import WeightCache
from graph_service.analytics.projection import person_graph
from graph_service.analytics.results import to_json
from graph_service.analytics.scoping import Scope, extract
from graph_service.analytics.suite import SECTIONS, analyse
from graph_service.analytics.workspace import DROPPED_PROPERTIES, Workspace, compact
from graph_service.settings import load_settings
from graph_service.store import open_store
from graph_service.synthetic.generator import generate_world
from loaders.network import load_network
from loaders.runner import load_directory

pytestmark = pytest.mark.slow

SCOPES = [Scope(), Scope(as_of="2024-06-01"), Scope(min_intel_eval="C", establishments=("HMP-HWK",))]


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _split(world: Path, base: Path, day: Path) -> str:
    """``base``: the world without the last fifth of its calls and visits; ``day``: those
    calls and visits, one prisoner's transfer and two new intelligence reports on a pair
    already linked. Returns the prisoner transferred."""
    shutil.copytree(world, base)
    day.mkdir()
    for name in ("calls.csv", "visits.csv"):
        header, rows = _rows(world / name)
        cut = len(rows) * 4 // 5
        _write(base / name, header, rows[:cut])
        _write(day / name, header, rows[cut:])
    header, rows = _rows(world / "prisoners.csv")
    at = {name: i for i, name in enumerate(header)}
    sites = sorted({r[at["establishment_code"]] for r in rows} - {""})
    row = next(
        r
        for r in rows
        if r[at["establishment_code"]] and not r[at["release_date"]] and r[at["reception_date"]] < "2024-06-01"
    )
    moved = list(row)
    row_closed = list(row)
    row_closed[at["release_date"]] = moved[at["reception_date"]] = "2024-06-02"
    moved[at["establishment_code"]] = next(s for s in sites if s != row[at["establishment_code"]])
    moved[at["cell_location"]] = "T-1-01"
    _write(day / "prisoners.csv", header, [row_closed, moved])
    header, rows = _rows(world / "links.csv")  # two more reports of a pair already linked
    ref = header.index("source_ref")
    _write(day / "links.csv", header, [[*r[:ref], f"IR-DAY-{n}", *r[ref + 1 :]] for n, r in enumerate(rows[:1] * 2)])
    return f"prisoner:{row[at['prison_number']]}"


def _shape(graph: nx.MultiDiGraph) -> tuple[list, list]:
    """Nodes and links with their data, links without their keys (numbering may differ)."""
    nodes = sorted((str(n), sorted(map(str, d.items()))) for n, d in graph.nodes(data=True))
    links = sorted((str(u), str(v), sorted(map(str, d.items()))) for u, v, d in graph.edges(data=True))
    return nodes, links


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("workspace")
    generate_world("demo", 2, root / "world")
    moved = _split(root / "world", root / "base", root / "day")
    store = open_store(load_settings(data_dir=root / "data"))
    try:
        load_directory(store, root / "base", progress=False, agency="hmpps")
        ws = Workspace(store)
        first = ws.refresh()
        base_nodes = len(store.subgraph())
        cold = {name: to_json(s.value) for name, s in analyse(ws)[0].items()}
        report = load_directory(store, root / "day", progress=False, agency="hmpps")
        yield {
            "store": store,
            "ws": ws,
            "first": first,
            "cold": cold,
            "report": report,
            "moved": moved,
            "base_nodes": base_nodes,
        }
    finally:
        store.close()


def test_a_load_is_applied_as_a_delta_and_equals_a_fresh_extraction(loaded):
    store, ws = loaded["store"], loaded["ws"]
    assert loaded["first"].kind == "full" and loaded["first"].nodes == loaded["base_nodes"]
    refresh = ws.refresh()
    assert refresh.kind == "delta" and refresh.runs == (loaded["report"].run_id,)
    assert 0 < refresh.links < store.subgraph().number_of_edges() / 2  # only what the day wrote was read
    fresh = compact(store.subgraph())
    assert _shape(ws._base) == _shape(fresh)
    assert ws.refresh().kind == "unchanged"
    for scope in SCOPES:
        assert _shape(ws.graph(scope)) == _shape(compact(extract(store, scope))), scope


def test_the_transfer_and_the_new_calls_are_in_the_warm_graph(loaded):
    ws, moved = loaded["ws"], loaded["moved"]
    assert {f.file: (f.loaded, f.rejected) for f in loaded["report"].files}["prisoners.csv"] == (2, 0)
    graph = ws.graph()
    periods = [d for _, _, d in graph.out_edges(moved, data=True) if d["type"] == "HELD_AT"]
    assert any(d.get("valid_to") == "2024-06-02" for d in periods)
    assert any(d.get("valid_from") == "2024-06-02" and not d.get("valid_to") for d in periods)
    node = graph.nodes[moved]
    moved_to = next(v for _, v, d in graph.out_edges(moved, data=True) if d.get("valid_from") == "2024-06-02")
    assert node["in_custody"] is True and f"establishment:{node['establishment']}" == moved_to
    assert not any(name in node for name in DROPPED_PROPERTIES)


def test_the_person_graph_is_brought_up_to_date_and_equals_one_built_again(loaded):
    ws = loaded["ws"]
    people = ws.people()
    assert ws.last_people == "delta"  # from the graph before the day's load
    built = person_graph(ws.graph())
    assert list(people.nodes(data=True)) == list(built.nodes(data=True))
    assert all(list(people.adj[n].items()) == list(nbrs.items()) for n, nbrs in built.adj.items())
    assert people.graph == built.graph and people.number_of_edges() > 0
    assert ws.people() is people


def test_every_analysis_on_the_warm_graph_agrees_with_a_cold_run(loaded):
    store, ws = loaded["store"], loaded["ws"]
    warm, timings = analyse(ws)
    assert set(warm) == set(SECTIONS) and not any(s.cached for s in warm.values())
    cold = Workspace(store)
    expected = {name: to_json(s.value) for name, s in analyse(cold)[0].items()}
    assert {name: to_json(s.value) for name, s in warm.items()} == expected
    assert expected != loaded["cold"]  # the day's load changed what the analyses say
    kept = ws.kept(Scope(), "bridges", WeightCache)  # the links the day left were not weighed again
    assert 0 < kept.reused < len(kept) == ws.people().number_of_edges()
    again, _ = analyse(ws)
    assert all(s.cached for s in again.values()) and timings["total_s"] > 0


def test_a_rewrite_or_an_emptied_store_is_read_again_in_full(loaded, tmp_path):
    store, ws = loaded["store"], loaded["ws"]
    ws.refresh()
    net = tmp_path / "net.txt"
    net.write_text("a b\nb c\n", encoding="utf-8")
    load_network(store, net, name="ws-test")
    assert ws.refresh().kind == "full"
    assert "net:ws-test:a" in ws._base
    seq = ws.version.seq
    store.delete_all()
    load_network(store, net, name="ws-test")  # a store emptied and loaded again
    assert store.version().seq < seq and ws.refresh().kind == "full"
    assert ws._base.number_of_nodes() == 3

"""Map exports for hub meetings: GraphML and GEXF read back with positions and colours,
the i2 CSV, PNG and PDF drawn by Chromium, the map page's download in each format and
``marsoc export map``; each respects the exporter's visibility and is a disclosure."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import networkx as nx
import pytest
from conftest import sign_in
from sample_graph import build_data_dir
from typer.testing import CliRunner

from graph_service.cli import app as cli
from graph_service.settings import Settings
from graph_service.store import SubgraphFilter, open_store
from viz import exports, network_map

CHROMIUM = Path(os.environ.get("MARSOC_CHROMIUM") or exports.DEFAULT_CHROMIUM)


@pytest.fixture(scope="module")
def graph(sample_settings: Settings) -> nx.MultiDiGraph:
    with open_store(sample_settings) as store:
        return store.subgraph(SubgraphFilter(node_ids=("prisoner:A0001AA",), hops=2, max_nodes=100, agency="police"))


def test_graphml_and_gexf_read_back_with_positions_colours_and_the_marking(graph):
    layout = network_map.server_layout(graph)
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        back = read(io.BytesIO(exports.export_map(graph, fmt, marking="OFFICIAL-SENSITIVE")))
        assert set(back.nodes) == {str(n) for n in graph.nodes}
        assert back.number_of_edges() == graph.number_of_edges()
        assert back.graph["description"] == "OFFICIAL-SENSITIVE; handling: Not for onward disclosure"
        for node, attrs in back.nodes(data=True):
            style = network_map.style_for(graph.nodes[node].get("labels") or [])
            colour = attrs["viz"]["color"] if fmt == "gexf" else attrs
            position = attrs["viz"]["position"] if fmt == "gexf" else attrs
            assert f"#{colour['r']:02x}{colour['g']:02x}{colour['b']:02x}" == style.colour.lower()
            assert (position["x"], -position["y"]) == pytest.approx(layout[node])
            assert attrs["label"] == network_map.display_name(node, graph.nodes[node])
        types = sorted(d["link_type"] for *_, d in back.edges(data=True))
        assert types == sorted(d["type"] for *_, d in graph.edges(data=True))


def test_the_i2_csv_has_one_row_per_link_with_both_ends_and_the_grading(graph):
    text = exports.export_map(graph, "csv").decode("utf-8")
    marking, body = text.split("\n", 1)
    assert marking == "# OFFICIAL-SENSITIVE; handling: Not for onward disclosure"
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == list(exports.I2_COLUMNS)
    assert len(rows) == graph.number_of_edges() + sum(1 for n in graph if graph.degree(n) == 0)
    police = next(r for r in rows if r["source_ref"] == "IR-2024-000001")
    assert (police["from_id"], police["from_type"], police["from_label"]) == (
        "prisoner:A0001AA",
        "Prisoner",
        "Ronald HARVEY",
    )
    assert (police["to_id"], police["link_type"], police["originating_agency"]) == (
        "person:P000001",
        "ASSOCIATE_OF",
        "police",
    )
    assert police["grading"] and police["handling_conditions"] == "Not for onward disclosure"


def test_unknown_formats_are_refused(graph):
    with pytest.raises(ValueError, match="format must be one of"):
        exports.export_map(graph, "svg")


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"PNG and PDF exports need Chromium at {CHROMIUM}")
def test_png_and_pdf_are_drawn_by_chromium(graph):
    png = exports.export_map(graph, "png", title="Map")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a drawn picture, not a blank page
    pdf = exports.export_map(graph, "pdf", title="Map")
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10_000


def test_without_chromium_png_says_why(graph, monkeypatch):
    monkeypatch.setenv("MARSOC_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(exports.ExportError, match="MARSOC_CHROMIUM"):
        exports.export_map(graph, "png")
    assert exports.export_map(graph, "csv")  # the others need nothing


def test_the_map_page_downloads_each_format_as_a_disclosure(client):
    for fmt in ("graphml", "gexf", "csv"):
        found = client.get("/map/prisoner:A0001AA", params={"download": "true", "recipients": "hub", "format": fmt})
        assert found.status_code == 200
        assert found.headers["content-disposition"] == f'attachment; filename="map-prisoner_A0001AA-2hops.{fmt}"'
        assert found.headers["content-type"].startswith(exports.MEDIA_TYPES[fmt].split(";")[0])
        record = client.app.state.audit.entries(username="analyst.police", limit=100_000)[-1]
        assert record.action == "disclosure" and record.recipients == ["hub"]
    bad = client.get("/map/prisoner:A0001AA", params={"download": "true", "recipients": "hub", "format": "svg"})
    assert bad.status_code == 422
    page = client.get("/map/prisoner:A0001AA", headers={"Accept": "text/html"}).text
    assert '<option value="gexf">' in page


def test_a_capped_map_exports_what_it_left_out(client):
    query = {"download": "true", "recipients": "hub", "hops": 1, "max_nodes": 10}
    csv_text = client.get("/map/prisoner:A0003CC", params={**query, "format": "csv"}).text
    assert "cut by the node limit: 21 more at hop 1 not included (21 visitor)" in csv_text.splitlines()[0]
    html = client.get("/map/prisoner:A0003CC", params={**query, "format": "html"}).text
    assert "21 more: visitor" in html and "Map cut at 10 nodes" in html


def test_another_agency_exports_without_the_facts_it_may_not_see(client):
    hmpps = sign_in(client, "analyst.hmpps")
    found = client.get(
        "/map/prisoner:A0001AA", params={"download": "true", "recipients": "hub", "format": "csv"}, headers=hmpps
    )
    assert found.status_code == 200
    assert "IR-2024-000001" not in found.text and "person:P000001" not in found.text
    assert found.text.startswith("# OFFICIAL-SENSITIVE\n")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    settings = build_data_dir(tmp_path_factory.mktemp("export-cli"))
    return Path(settings.data_dir)


def run_export(data_dir: Path, out: Path, user: str, *extra: str):
    args = ["export", "map", "--entity", "prisoner:A0001AA", "--out", str(out), "--user", user]
    args += [
        "--purpose",
        "Op TESTBED hub meeting",
        "--recipients",
        "Op TESTBED hub, DS Khan",
        "--data-dir",
        str(data_dir),
    ]
    return CliRunner().invoke(cli, [*args, *extra])


def test_marsoc_export_map_writes_the_file_and_records_the_disclosure(data_dir, tmp_path):
    from graph_service.appdb import open_app_db
    from graph_service.appdb.audit import AuditLog
    from graph_service.settings import load_settings

    out = tmp_path / "hub" / "map.gexf"
    done = run_export(data_dir, out, "analyst.police", "--format", "gexf", "--hops", "1")
    assert done.exit_code == 0, done.output
    back = nx.read_gexf(out)
    assert "prisoner:A0001AA" in back and "person:P000001" in back
    db = open_app_db(load_settings(data_dir=data_dir))
    try:
        record = AuditLog(db).entries(limit=100_000)[-1]
    finally:
        db.close()
    assert (record.action, record.username, record.endpoint) == ("disclosure", "analyst.police", "marsoc export map")
    assert record.recipients == ["Op TESTBED hub", "DS Khan"] and record.justification == "Op TESTBED hub meeting"
    assert set(record.entity_ids) == set(back.nodes)
    hmpps = tmp_path / "hmpps.csv"
    assert run_export(data_dir, hmpps, "analyst.hmpps", "--format", "csv").exit_code == 0
    assert "IR-2024-000001" not in hmpps.read_text()


def test_marsoc_export_map_refuses_what_it_should(data_dir, tmp_path):
    out = tmp_path / "x.html"
    viewer = run_export(data_dir, out, "viewer.police")
    assert viewer.exit_code != 0 and "may not export" in viewer.output
    nobody = run_export(data_dir, out, "nobody")
    assert nobody.exit_code != 0 and "no enabled user" in nobody.output
    bad = run_export(data_dir, out, "analyst.police", "--format", "svg")
    assert bad.exit_code != 0 and "choose one of" in bad.output
    done = CliRunner().invoke(
        cli,
        [
            *("export", "map", "--entity", "prisoner:NOPE", "--out", str(out), "--user", "analyst.police"),
            *("--purpose", "Op TESTBED", "--recipients", "hub", "--data-dir", str(data_dir)),
        ],
    )
    assert done.exit_code == 1 and "no node with id" in done.output
    assert not out.exists()

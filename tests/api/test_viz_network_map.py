"""viz.network_map: styling, tooltips, JSON and the standalone offline document."""

from __future__ import annotations

import re

import networkx as nx
from pyvis.network import Network

from viz import network_map


def sample() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(
        "prisoner:A1",
        labels=["Person", "Prisoner"],
        name="Ronald HARVEY",
        source="prisoners.csv",
        source_ref="prisoners.csv:2",
        firstseen="2025-01-01",
        lastupdated="2025-01-02",
        name_key="ronald harvey",
    )
    g.add_node("staff:S1", labels=["Person", "Staff"], name="Paul BENT")
    g.add_node("phone:+447700900001", labels=["Phone"], number="+447700900001")
    g.add_node("phone:+447700900002", labels=["Phone"], number="+447700900002")
    g.add_node("ocg:O1", labels=["OCG"], name="Eastside Crew")
    g.add_edge(
        "phone:+447700900001",
        "phone:+447700900002",
        key="CALLED",
        type="CALLED",
        count=40,
        event_ids=[f"C{n}" for n in range(40)],
        source="calls.csv",
        source_ref="calls.csv:9",
        source_eval="1",
        intel_eval="A",
        handling="P",
    )
    g.add_edge(
        "prisoner:A1",
        "staff:S1",
        key="CORRUPT_APPROACH",
        type="CORRUPT_APPROACH",
        source_eval="3",
        intel_eval="C",
        handling="C",
        handling_conditions="Not for staff",
        source="links.csv",
        source_ref="IR-1",
    )
    g.add_edge("prisoner:A1", "phone:+447700900001", key="USES_PHONE", type="USES_PHONE")
    g.graph["capped"] = False
    return g


def test_styles_follow_labels():
    assert network_map.style_for(["Person", "Prisoner", "Nominal"]).label == "Prisoner"
    assert network_map.style_for(["Person", "Staff"]).shape == "triangle"
    assert network_map.style_for(["Phone"]).label == "Phone"
    assert network_map.style_for(["Something"]).label == "Node"
    shapes = {(s.colour, s.shape) for s in network_map.LABEL_STYLES}
    assert len(shapes) == len(network_map.LABEL_STYLES)


def test_build_network_gives_a_styled_pyvis_network():
    net = network_map.build_network(sample(), focus="prisoner:A1")
    assert isinstance(net, Network)
    nodes = {n["id"]: n for n in net.nodes}
    assert nodes["prisoner:A1"]["shape"] == "square" and nodes["prisoner:A1"]["focus"] is True
    assert nodes["prisoner:A1"]["size"] > nodes["staff:S1"]["size"]
    assert nodes["phone:+447700900001"]["label"] == "+447700900001"
    edges = {e["link_type"]: e for e in net.edges}
    assert edges["CALLED"]["label"] == "CALLED ×40"
    assert edges["CALLED"]["width"] > edges["USES_PHONE"]["width"]
    tooltip = edges["CORRUPT_APPROACH"]["title"]
    assert "3x5x2 grading: 3/C/C" in tooltip and "handling_conditions: Not for staff" in tooltip
    assert "source_ref: IR-1" in tooltip
    called = dict(edges["CALLED"]["details"])
    assert called["event_ids"] == "40 ids"
    person = dict(nodes["prisoner:A1"]["details"])
    assert person["source"] == "prisoners.csv" and person["firstseen"] == "2025-01-01"
    assert "name_key" not in person


def test_detail_rows_put_grading_then_provenance_last():
    rows = network_map.detail_rows(
        {
            "count": 2,
            "source": "calls.csv",
            "handling": "P",
            "source_eval": "1",
            "intel_eval": "A",
            "firstseen": "x",
            "first": "2024",
        }
    )
    names = [r[0] for r in rows]
    assert names == ["count", "first", "3x5x2 grading", "source_eval", "intel_eval", "handling", "source", "firstseen"]


def test_network_json():
    body = network_map.network_json(sample())
    assert body["node_count"] == 5 and body["link_count"] == 3 and body["capped"] is False
    link = next(l for l in body["links"] if l["type"] == "CORRUPT_APPROACH")
    assert link["grading"] == "3/C/C" and link["source"] == "prisoner:A1"


def test_standalone_html_is_offline_and_complete(tmp_path):
    text = network_map.standalone_html(sample(), title="Test <map>", focus="prisoner:A1", note="cut at 5")
    assert re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text, re.IGNORECASE) is None
    assert "<script src" not in text and '<link rel="stylesheet' not in text
    assert network_map.vis_assets().js[:2000] in text
    assert "Test &lt;map&gt;" in text and "cut at 5" in text
    assert text.count("</script>") == 3  # data, vis-network, the map script
    path = network_map.write_standalone_html(sample(), tmp_path / "out" / "map.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_vis_network_comes_from_pyvis_own_copy():
    assets = network_map.vis_assets()
    assert assets.version == "9.1.2"
    assert "vis-network" in assets.js[:300]
    assert "</script" not in assets.js.lower()
    assert ".vis-network" in assets.css


def test_script_json_cannot_close_the_script():
    assert "</script>" not in network_map.script_json({"x": "</script><script>alert(1)</script>"})


def test_a_large_map_is_laid_out_on_the_server_the_same_way_twice():
    import networkx as nx

    from viz.network_map import PHYSICS_MAX_NODES, build_network, map_payload

    graph = nx.MultiDiGraph()
    for n in range(PHYSICS_MAX_NODES + 50):
        graph.add_node(f"prisoner:A{n:04d}", labels=["Person", "Prisoner"], name=f"P {n}")
        if n:
            graph.add_edge(f"prisoner:A{n:04d}", f"prisoner:A{n // 3:04d}", key="ASSOCIATE_OF", type="ASSOCIATE_OF")
    first, again = map_payload(build_network(graph)), map_payload(build_network(graph))
    assert first["options"]["physics"] == {"enabled": False}
    assert [(n["id"], n["x"], n["y"]) for n in first["nodes"]] == [(n["id"], n["x"], n["y"]) for n in again["nodes"]]
    assert len({(n["x"], n["y"]) for n in first["nodes"]}) == graph.number_of_nodes()  # no two on one spot
    assert not any("title" in n for n in first["nodes"]) and not any("title" in e for e in first["edges"])
    small = map_payload(build_network(graph.subgraph(list(graph)[:10]).copy()))
    assert small["options"]["physics"]["enabled"] is True and "x" not in small["nodes"][0]

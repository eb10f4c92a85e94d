"""Generic networks: edge lists and adjacency matrices, real datasets checked with networkx."""

from __future__ import annotations

import csv

import networkx as nx
import pytest
from loaderdata import DATASETS

from graph_service.analytics.stats import network_stats
from graph_service.store import SubgraphFilter
from loaders.network import NetworkFormatError, load_network, parse_network


def need(name: str):
    path = DATASETS / name
    if not path.exists():
        pytest.skip(f"dataset {path} not present (the shared folder is a sibling of the repository)")
    return path


def stored(store, name):
    return store.subgraph(SubgraphFilter(network=name))


def reference_edgelist(path) -> tuple[nx.Graph, dict]:
    """networkx reading the same file; weights kept as the max over both directions."""
    graph = nx.Graph()
    weights: dict = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if not line.strip():
            continue
        a, b, w = line.split()
        graph.add_edge(a, b)
        key = frozenset((a, b))
        weights[key] = max(weights.get(key, 0), float(w))
    return graph, weights


@pytest.mark.parametrize("file", ["montagna_meetings.txt", "montagna_phonecalls.txt"])
def test_montagna_edge_lists_match_networkx(store, file):
    path = need(file)
    reference, weights = reference_edgelist(path)
    assert nx.number_of_selfloops(reference) == 0
    report = load_network(store, path, name="montagna")
    assert (report.format, report.header, report.directed) == ("edgelist", False, False)
    graph = stored(store, "montagna")
    assert graph.number_of_nodes() == reference.number_of_nodes() == report.nodes
    assert graph.number_of_edges() == reference.number_of_edges() == report.links
    lines = sum(1 for line in path.read_text().splitlines() if line.strip())
    assert report.merged_pairs == lines - reference.number_of_edges() > 0  # pairs listed in both directions
    for u, v, data in graph.edges(data=True):
        assert data["type"] == "CONNECTED_TO" and data["network"] == "montagna" and data["directed"] is False
        a, b = graph.nodes[u]["label"], graph.nodes[v]["label"]
        assert data["weight"] == weights[frozenset((a, b))]  # weight rule: max


def test_montagna_both_direction_pair_keeps_the_max(store):
    path = need("montagna_phonecalls.txt")
    load_network(store, path, name="calls")
    graph = stored(store, "calls")
    data = graph.get_edge_data("net:calls:18", "net:calls:19") or graph.get_edge_data("net:calls:19", "net:calls:18")
    assert data["CONNECTED_TO"]["weight"] == 6  # listed as 18->19 (5) and 19->18 (6)


def matrix_cells(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    labels = rows[0][1:]
    cells = {}
    for row in rows[1:]:
        for column, value in zip(labels, row[1:]):
            if value.strip() and float(value) != 0 and row[0] != column:
                cells[(row[0], column)] = float(value)
    return labels, cells


def test_caviar_matrix_with_bom_directed_and_undirected(store):
    path = need("caviar_full_110.csv")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    labels, cells = matrix_cells(path)
    report = load_network(store, path, name="caviar", directed=True)
    assert (report.format, report.nodes, report.links) == ("matrix", 110, len(cells))
    graph = stored(store, "caviar")
    assert graph.number_of_nodes() == len(labels) == 110
    assert graph.number_of_edges() == len(cells)
    assert {(graph.nodes[u]["label"], graph.nodes[v]["label"]) for u, v in graph.edges()} == set(cells)
    undirected = load_network(store, path, name="caviar_u")
    pairs = {frozenset(k) for k in cells}
    assert undirected.links == len(pairs) and undirected.merged_pairs == len(cells) - len(pairs)
    u = stored(store, "caviar_u")
    for a, b, data in u.edges(data=True):
        la, lb = u.nodes[a]["label"], u.nodes[b]["label"]
        assert data["weight"] == max(cells.get((la, lb), 0), cells.get((lb, la), 0))
    # both networks live side by side
    assert stored(store, "caviar").number_of_edges() == len(cells)


def test_caviar_phases_with_players_header(store):
    folder = need("caviar_phases")
    for n in range(1, 12):
        path = folder / f"phase{n}.csv"
        labels, cells = matrix_cells(path)
        report = load_network(store, path, name=f"phase{n}", directed=True)
        assert (report.format, report.nodes, report.links) == ("matrix", len(labels), len(cells)), n
    assert stored(store, "phase7").number_of_nodes() == 36  # the inconsistent public copy: 36 labels


def test_edge_list_formats(store, tmp_path):
    path = tmp_path / "net.csv"
    path.write_text("\ufeffsource,target,weight\n\na,b,2\nb,a,5\n\nb,c,1\na,a,9\nc,d\n,\n", encoding="utf-8")
    report, labels, links = parse_network(path)
    assert report.header and report.format == "edgelist"
    assert report.blank_rows_skipped == 3 and report.self_loops_skipped == 1 and report.merged_pairs == 1
    assert links == {("a", "b"): (5.0, 3), ("b", "c"): (1.0, 6), ("c", "d"): (1.0, 8)}
    assert labels == ["a", "b", "c", "d"]
    _directed, _, dlinks = parse_network(path, directed=True)
    assert set(dlinks) == {("a", "b"), ("b", "a"), ("b", "c"), ("c", "d")}
    plain = tmp_path / "plain.txt"
    plain.write_text("1 2\n2   3 4.5\n3\t1\n", encoding="utf-8")
    report, _, links = parse_network(plain)
    assert not report.header and report.links == 3 and links[("2", "3")][0] == 4.5
    headed = tmp_path / "headed.txt"
    headed.write_text("from to\n1 2\n", encoding="utf-8")
    assert parse_network(headed)[0].header and parse_network(headed, header=False)[0].links == 2
    bad = tmp_path / "bad.txt"
    bad.write_text("1 2 x\n1 2 3\n1 2 3 4\n", encoding="utf-8")
    report, _, _ = parse_network(bad, header=False)
    assert [m["line"] for m in report.malformed] == [1, 3] and report.links == 1


def test_adjacency_matrix_with_empty_corner_and_zero_cells(store, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text('"","x","y","z"\n"x",0,2,0\n"y",3,1,0\n"z",0,0,0\n', encoding="utf-8")
    report = load_network(store, path, name="m")
    assert (report.format, report.nodes, report.links, report.self_loops_skipped) == ("matrix", 3, 1, 1)
    assert report.zero_cells_skipped == 6
    graph = stored(store, "m")
    assert graph.number_of_nodes() == 3  # z has no links but is an actor
    ((_u, _v, data),) = graph.edges(data=True)
    assert data["weight"] == 3 and data["directed"] is False
    # loading again under the same name replaces the network
    path.write_text('"","x","y"\n"x",0,1\n"y",0,0\n', encoding="utf-8")
    load_network(store, path, name="m", directed=True)
    graph = stored(store, "m")
    assert graph.number_of_nodes() == 2 and graph.number_of_edges() == 1


def test_stats_from_the_store_match_networkx(store):
    path = need("montagna_meetings.txt")
    load_network(store, path, name="meet")
    stats = network_stats(stored(store, "meet"))
    reference, _ = reference_edgelist(path)
    assert stats["nodes"] == reference.number_of_nodes()
    assert stats["links"] == reference.number_of_edges()
    assert stats["density"] == round(nx.density(reference), 6)
    assert stats["components"] == nx.number_connected_components(reference)
    assert stats["largest_component"] == max(len(c) for c in nx.connected_components(reference))
    assert stats["average_clustering"] == round(nx.average_clustering(reference), 6)


def test_weights_that_are_not_finite_non_negative_numbers_are_malformed_lines(store, tmp_path):
    path = tmp_path / "net.txt"
    path.write_text("a b NaN\na c inf\na d 1e400\na e -2\na f -inf\na g 3\na h 1e300\n", encoding="utf-8")
    report = load_network(store, path, name="w")
    assert [m["line"] for m in report.malformed] == [1, 2, 3, 4, 5]
    assert "not a finite number" in report.malformed[0]["reason"] and "negative" in report.malformed[3]["reason"]
    assert report.links == 2
    weights = {d["weight"] for _, _, d in stored(store, "w").edges(data=True)}
    assert weights == {3, 1e300}  # 1e300 kept as a float, not a 301-digit integer


def test_oversized_and_control_character_labels_are_malformed_lines(store, tmp_path):
    path = tmp_path / "net.csv"
    with path.open("wb") as handle:
        handle.write(b"a,b,1\n")
        handle.write(b"x" * 300 + b",b,1\n")  # over the 256-character label bound
        handle.write(b"c," + b"y" * (10 * 1024 * 1024) + b",1\n")  # a 10 MB label: a line over 1 MB
        handle.write(b"d\x07,b,1\n")
        handle.write(b"e,\xe9,1\n")  # not UTF-8
        handle.write(b'f,"g,1\n')  # an unclosed quote
        handle.write(b"c,d,2\n")
    report = load_network(store, path, name="labels")
    assert [m["line"] for m in report.malformed] == [2, 3, 4, 5, 6]
    reasons = [m["reason"] for m in report.malformed]
    assert "300 characters" in reasons[0] and "bytes" in reasons[1] and "U+0007" in reasons[2]
    assert "UTF-8" in reasons[3] and "unclosed quote" in reasons[4]
    graph = stored(store, "labels")
    assert {graph.nodes[n]["label"] for n in graph} == {"a", "b", "c", "d"}
    assert store.counts()["nodes"]["Actor"] == 4  # the store is alive and holds the good lines


@pytest.mark.parametrize(
    "text, words",
    [
        ('"",x,y,z\nx,0,1,0\ny,1,0,0\n', "not square: 3 column labels but 2 rows"),
        ('"",x,y,z\nx,0,1,0\ny,1,0,0\nw,0,0,0\n', "only in rows ['w'], only in columns ['z']"),
        ('"",x,y,z\nx,0,1\ny,1,0,0\nz,0,0,0\n', "line 2 has 3 cells"),
        ('"",x,x,z\nx,0,1,0\nx,1,0,0\nz,0,0,0\n', "repeated: 'x'"),
    ],
    ids=["not-square", "labels-differ", "ragged", "repeated-label"],
)
def test_a_matrix_that_does_not_hold_together_fails_with_a_clear_message(tmp_path, text, words):
    path = tmp_path / "m.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NetworkFormatError) as error:
        parse_network(path)
    assert words in str(error.value)


def test_a_matrix_with_a_bad_cell_keeps_the_rest(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text('"",x,y,z\nx,0,inf,2\ny,1,0,-1\nz,0,NaN,0\n', encoding="utf-8")
    report, labels, links = parse_network(path, directed=True)
    assert report.format == "matrix" and [m["line"] for m in report.malformed] == [2, 3, 4]
    assert links == {("x", "z"): (2.0, 2), ("y", "x"): (1.0, 3)} and labels == ["x", "y", "z"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_network_in_another_encoding_fails_as_a_whole(tmp_path, encoding):
    path = tmp_path / "net.txt"
    path.write_bytes("a b 1\nb c 2\n".encode(encoding))
    with pytest.raises(NetworkFormatError, match="UTF-"):
        parse_network(path)


@pytest.mark.slow
def test_load_network_command_exits_1_for_a_broken_matrix(tmp_path):
    from typer.testing import CliRunner

    from graph_service.cli import app

    path = tmp_path / "m.csv"
    path.write_text('"",x,y,z\nx,0,1,0\ny,1,0,0\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["load-network", str(path), "--name", "m", "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 1 and "not square" in result.output
    path.write_text("a b inf\nb c 2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["load-network", str(path), "--name", "m", "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 0 and "line 1: weight 'inf' is not a finite number" in result.output

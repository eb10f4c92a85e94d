"""Offline interactive network maps (pyvis / vis-network) of extracted graphs.

:func:`build_network` turns a NetworkX ``MultiDiGraph`` from
:meth:`GraphStore.subgraph` into a pyvis :class:`~pyvis.network.Network`, styled per
label (colour *and* shape, so the legend also reads in greyscale and for colour-blind
users), with link labels and widths from aggregated counts, and tooltips showing the
properties, provenance and 3x5x2 grading of every node and link.

:func:`standalone_html` writes a complete HTML document that works with no network
connection: vis-network's JavaScript and CSS are read from pyvis's own package copy
(``pyvis/templates/lib/vis-9.1.2``) and inlined, so the document has no ``http(s)``
``src`` or ``href`` at all. The web service's map page uses the same pieces
(:func:`vis_assets`, :func:`map_payload`, :data:`MAP_SCRIPT`).

:func:`network_json` gives the same graph as plain nodes/links JSON for the API.
"""

from __future__ import annotations

import html
import importlib.util
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from graph_service import grading as gr
from graph_service.schema import EVENT_IDS, PROVENANCE_PROPERTIES

if TYPE_CHECKING:  # pyvis imports IPython (about a second): only when a map is drawn
    from pyvis.network import Network

VIS_VERSION_DIR = "vis-9.1.2"

# Link and node properties that are internal bookkeeping: long event id lists are
# summarised ("38 ids"), folded keys are hidden.
SUMMARISED_LISTS = frozenset({EVENT_IDS})
HIDDEN_PROPERTIES = frozenset({"name_key", "labels", "type"})
PROVENANCE = PROVENANCE_PROPERTIES
GRADING = gr.GRADING_PROPERTIES


@dataclass(frozen=True)
class LabelStyle:
    label: str
    colour: str
    shape: str
    size: int
    description: str
    font_colour: str = "#111111"


# Order matters: a node is styled by the first of these labels it carries, so a
# prisoner who is also an OCG nominal is drawn as a prisoner.
LABEL_STYLES: tuple[LabelStyle, ...] = (
    LabelStyle("Prisoner", "#c0392b", "square", 18, "Person held in custody"),
    LabelStyle("Staff", "#1f4e9c", "triangle", 20, "Member of prison staff"),
    LabelStyle("Visitor", "#2e8b57", "dot", 16, "Social visitor"),
    LabelStyle("Nominal", "#7d3c98", "diamond", 18, "Police / NCA nominal"),
    LabelStyle("Person", "#7f8c8d", "dot", 16, "Person (no role recorded)"),
    LabelStyle("Phone", "#d35400", "hexagon", 14, "Telephone number"),
    LabelStyle("OCG", "#111111", "star", 24, "Organised crime group"),
    LabelStyle("Establishment", "#34495e", "box", 18, "Prison establishment", "#ffffff"),
    LabelStyle("Postcode", "#8d6e63", "triangleDown", 12, "Postcode"),
    LabelStyle("Actor", "#138d90", "dot", 16, "Member of a generic network"),
)
STYLE_BY_LABEL: dict[str, LabelStyle] = {s.label: s for s in LABEL_STYLES}
DEFAULT_STYLE = LabelStyle("Node", "#95a5a6", "dot", 14, "Other")
# A group of nodes the node limit left out (``GraphStore._fold``), drawn as one node.
FOLDED_STYLE = LabelStyle("Folded", "#f4f1de", "ellipse", 22, "Nodes not drawn, grouped (the map's limit)")
FOLD_BY = {"ocg": "organised crime group", "establishment": "establishment", "kind": "kind", "other": "other groups"}

# vis-network options: readable on a projector, keyboard navigation, a short physics
# run that is switched off once the layout has settled (see MAP_SCRIPT).
MAP_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "nodes": {"font": {"size": 18, "face": "system-ui, sans-serif"}, "borderWidth": 2},
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        "font": {"size": 13, "align": "middle", "strokeWidth": 4, "strokeColor": "#ffffff"},
        "color": {"color": "#6b6b6b", "highlight": "#000000", "hover": "#000000"},
        "smooth": {"enabled": True, "type": "dynamic"},
        "selectionWidth": 2,
    },
    "interaction": {
        "hover": True,
        "tooltipDelay": 150,
        "navigationButtons": True,
        "keyboard": {"enabled": True, "bindToWindow": False},
        "multiselect": False,
    },
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {"gravitationalConstant": -9000, "springLength": 140, "springConstant": 0.03, "avoidOverlap": 0.3},
        "stabilization": {"enabled": True, "iterations": 300, "fit": True},
    },
}


# -- vis-network assets ---------------------------------------------------------------
@dataclass(frozen=True)
class VisAssets:
    """vis-network's JavaScript and CSS, safe to place inside ``<script>``/``<style>``."""

    js: str
    css: str
    version: str


def _pyvis_lib() -> Path:
    spec = importlib.util.find_spec("pyvis")  # located without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed: it provides vis-network for the maps")
    return Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / VIS_VERSION_DIR


@lru_cache(maxsize=1)
def vis_assets() -> VisAssets:
    """Read vis-network from pyvis's own package copy (never from the internet)."""
    lib = _pyvis_lib()
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # A literal "</script" or "</style" would end the inline element early.
    js = js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    css = css.replace("</style", "<\\/style")
    return VisAssets(js=js, css=css, version=VIS_VERSION_DIR.removeprefix("vis-"))


ASSETS_DIR = Path(__file__).resolve().parent / "assets"


@lru_cache(maxsize=8)
def _asset(name: str) -> str:
    return (ASSETS_DIR / name).read_text(encoding="utf-8")


def map_script() -> str:
    """The page script that draws ``#map-data`` into ``#map-canvas`` (see assets/map.js)."""
    return _asset("map.js")


def map_css() -> str:
    return _asset("map.css")


def warm_up() -> None:
    """Import pyvis and read the assets ahead of the first map (call in a background thread)."""
    from pyvis.network import Network  # noqa: F401

    vis_assets()
    map_script()
    map_css()


# -- styling --------------------------------------------------------------------------
def style_for(labels: Iterable[str]) -> LabelStyle:
    present = set(labels)
    for style in LABEL_STYLES:
        if style.label in present:
            return style
    return DEFAULT_STYLE


NAME_KEYS = ("name", "number", "postcode", "label", "code")  # the first one set names a node
# What the WebGL view draws from: names, and the links' handling conditions for the
# banner (a node's other facts are read when it is clicked).
LIGHT_LINK_PROPERTIES = ("handling", "handling_conditions")


def display_name(node_id: str, attrs: Mapping[str, Any]) -> str:
    """The short label drawn on the map."""
    for key in NAME_KEYS:
        value = attrs.get(key)
        if value not in (None, ""):
            return str(value)
    return node_id


def _format_value(key: str, value: Any) -> str:
    if key in SUMMARISED_LISTS and isinstance(value, list):
        return f"{len(value)} ids"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "(none)"
    if isinstance(value, dict):
        return json.dumps(value, default=str, sort_keys=True)
    return str(value)


def grading_text(attrs: Mapping[str, Any]) -> str | None:
    """3x5x2 grading as ``1/A/P``, or None when the item carries none (see
    :func:`graph_service.grading.grading_text`)."""
    return gr.grading_text(attrs)


def detail_rows(attrs: Mapping[str, Any]) -> list[list[str]]:
    """``[[name, value], ...]``: own properties first, then grading, then provenance."""
    own, grading, provenance = [], [], []
    for key in sorted(attrs):
        value = attrs[key]
        if key in HIDDEN_PROPERTIES or value is None or value == "":
            continue
        row = [key, _format_value(key, value)]
        if key in GRADING:
            grading.append(row)
        elif key in PROVENANCE:
            provenance.append(row)
        else:
            own.append(row)
    grade = grading_text(attrs)
    if grade:
        grading.insert(0, [gr.TEXT_LABEL, grade])
    order = (gr.TEXT_LABEL, *GRADING)
    grading.sort(key=lambda r: order.index(r[0]) if r[0] in order else 99)
    provenance.sort(key=lambda r: PROVENANCE.index(r[0]))
    return own + grading + provenance


def _tooltip(heading: str, rows: list[list[str]]) -> str:
    """Plain-text tooltip (the page script renders it as text, never as HTML)."""
    wanted = [r for r in rows if r[0] not in ("id", "namespace", "source_id", "load_run")][:16]
    return "\n".join([heading] + [f"{name}: {value}" for name, value in wanted])


def link_label(attrs: Mapping[str, Any]) -> str:
    kind = str(attrs.get("type", ""))
    count = attrs.get("count")
    if isinstance(count, (int, float)) and count > 1:
        return f"{kind} ×{int(count)}"
    return kind


WEAK_SOURCE = "3"  # untested or unreliable sources (3x5x2) are drawn dashed
WEAK_INTELLIGENCE = ("D", "E")  # not known, or suspected to be false
DASHED_TYPES = ("POSSIBLY_SAME_AS",)  # a candidate, not a fact


def link_facets(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """What the map script filters a link on (grading, dates) and whether it is drawn
    dashed: an identity candidate, or a weakly graded fact.

    Examples
    --------
    >>> link_facets({"type": "ASSOCIATE_OF", "source_eval": "2", "intel_eval": "D", "valid_from": "2024-03-01"})
    {'source_eval': '2', 'intel_eval': 'D', 'start': '2024-03-01', 'end': '2024-03-01', 'dashes': True}
    >>> link_facets({"type": "CALLED", "first": "2024-01-02T10:00:00", "last": "2024-05-01T10:00:00"})["dashes"]
    False
    """
    source_eval, intel_eval, _ = gr.grading_codes(attrs)
    start = attrs.get("valid_from") or attrs.get("first") or attrs.get("date") or attrs.get("since")
    end = attrs.get("valid_to") or attrs.get("last") or attrs.get("last_seen") or start
    weak = source_eval == WEAK_SOURCE or intel_eval in WEAK_INTELLIGENCE
    return {
        "source_eval": source_eval,
        "intel_eval": intel_eval,
        "start": str(start)[:10] if start else None,
        "end": str(end)[:10] if end else None,
        "dashes": bool(weak or attrs.get("type") in DASHED_TYPES),
    }


def link_width(attrs: Mapping[str, Any]) -> float:
    count = attrs.get("count")
    if not isinstance(count, (int, float)) or count <= 1:
        return 1.5
    return round(min(1.5 + 1.5 * math.log2(count), 12.0), 2)


# -- building -------------------------------------------------------------------------
# Above this many nodes the layout is computed here (igraph, seeded) and the browser's
# physics is off: vis-network's own layout of 1,500 nodes took 21 s to settle.
def folded_groups(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The groups of nodes the node limit left out (``graph.graph["folded"]["groups"]``)."""
    return list((graph.graph.get("folded") or {}).get("groups") or [])


def fold_label(group: Mapping[str, Any]) -> str:
    """``"21 more: Eastside Crew"`` (the count and what groups them)."""
    return f"{group['count']:,} more: {group['name']}"


def _counted(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def kinds_text(by_kind: dict[str, int]) -> str:
    """How many of each kind, as a note says it.

    Examples
    --------
    >>> kinds_text({"prisoner": 1000, "visitor": 240})
    '1,000 prisoner, 240 visitor'
    """
    return ", ".join(f"{n:,} {kind}" for kind, n in by_kind.items())


def fold_details(group: Mapping[str, Any], folded: Mapping[str, Any]) -> list[list[str]]:
    """What a group node says it stands for, exactly (``folded``: the map's
    ``graph.graph["folded"]``, which says the hop the limit stopped at and the hops asked for).

    Examples
    --------
    >>> group = {"count": 1, "by_kind": {"person": 1}, "by": "ocg", "key": "ocg:O1", "name": "Crew",
    ...          "reached_from": 1, "links": [["prisoner:A1", 1]]}
    >>> [row[1] for row in fold_details(group, {"hop": 1, "hops": 1})]
    ['1 node (1 person), reached at hop 1', 'organised crime group: Crew (ocg:O1)', '1 drawn node']
    """
    kinds = kinds_text(group["by_kind"])
    hop = int(folded.get("hop") or 0)
    beyond = "; the hops beyond were not followed" if hop < int(folded.get("hops") or hop) else ""
    grouped = FOLD_BY.get(group["by"], group["by"])
    if group["by"] not in ("kind", "other"):
        grouped += f": {group['name']} ({group['key']})"
    reached = _counted(group["reached_from"], "drawn node")
    if len(group["links"]) < group["reached_from"]:
        reached += f" (linked to the {len(group['links'])} with most)"
    return [
        ["not drawn", f"{_counted(group['count'], 'node')} ({kinds}), reached at hop {hop}{beyond}"],
        ["grouped by", grouped],
        ["reached from", reached],
    ]


def fold_positions(
    graph: nx.MultiDiGraph, positions: Mapping[Any, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """A place for each group node: beyond the drawn node most of its members hang from,
    away from the map's centre."""
    if not positions:
        return {}
    cx = sum(x for x, _ in positions.values()) / len(positions)
    cy = sum(y for _, y in positions.values()) / len(positions)
    placed = {}
    for number, group in enumerate(folded_groups(graph)):
        parent = group["links"][0][0] if group["links"] else None
        x, y = positions.get(parent, (cx, cy))
        angle = math.atan2(y - cy, x - cx) + 0.35 * (number % 5 - 2)
        far = LAYOUT_SPACING * 1.5
        placed[group["id"]] = (round(x + far * math.cos(angle), 1), round(y + far * math.sin(angle), 1))
    return placed


PHYSICS_MAX_NODES = 150
LAYOUT_SPACING = 90.0  # canvas units between neighbours, about a node's label apart


def server_layout(graph: nx.MultiDiGraph) -> dict[Any, tuple[float, float]]:
    """Positions of every node: the compiled kernels' seeded force-directed layout
    (:meth:`graph_service.analytics.kernels.IGraphKernels.layout`) of the nodes in id
    order, scaled so neighbours sit about ``LAYOUT_SPACING`` apart.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> server_layout(g) == server_layout(g), sorted(server_layout(g))
    (True, ['a', 'b', 'c'])
    """
    from graph_service.analytics.kernels import resolve

    simple: nx.Graph = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes, key=str))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    coords = resolve("igraph").layout(simple, seed=0)
    reach = max((max(abs(x), abs(y)) for x, y in coords.values()), default=1.0) or 1.0
    scale = LAYOUT_SPACING * math.sqrt(max(len(coords), 1)) / reach
    return {node: (round(x * scale, 1), round(y * scale, 1)) for node, (x, y) in coords.items()}


SCORE_SIZE = 26  # added to the top-ranked node's size when the map is sized by a score
SCORE_BORDER = "#d4a000"  # ranked nodes get a gold border


def build_network(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    height: str = "70vh",
    fixed: bool = False,
    scores: Mapping[str, tuple[float, int]] | None = None,
    score_name: str = "score",
) -> Network:
    """A styled pyvis Network of ``graph`` (node keys are node ids). Above
    ``PHYSICS_MAX_NODES`` nodes the positions come from :func:`server_layout`, physics
    is off, links are drawn straight and hover texts are left out (the details panel
    shows the same on a click). ``fixed``: the server's layout whatever the size (an
    export, the same picture in every format). ``scores``: node id (or its
    ``canonical_id``) -> (score, rank) of the active ranking (bridges, hubs, cohort):
    ranked nodes are drawn larger in proportion and with a gold border."""
    from pyvis.network import Network

    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    large = graph.number_of_nodes() > PHYSICS_MAX_NODES
    fixed = fixed or large
    positions = server_layout(graph) if fixed else {}
    for node_id, attrs in graph.nodes(data=True):
        labels = list(attrs.get("labels") or [])
        style = style_for(labels)
        name = display_name(node_id, attrs)
        rows = detail_rows(attrs)
        roles = [l for l in labels if l != "Person"] or labels
        options: dict[str, Any] = {
            "label": name,
            "shape": style.shape,
            "color": {
                "background": style.colour,
                "border": "#000000" if node_id == focus else style.colour,
                "highlight": {"background": style.colour, "border": "#000000"},
                "hover": {"background": style.colour, "border": "#000000"},
            },
            "size": style.size + (10 if node_id == focus else 0),
            "borderWidth": 5 if node_id == focus else 2,
            "title": _tooltip(f"{name} ({', '.join(roles)})", rows),
            "group_label": style.label,
            "labels": labels,
            "details": [["id", str(node_id)], ["labels", ", ".join(labels)]] + [r for r in rows if r[0] != "id"],
            "focus": node_id == focus,
        }
        if style.shape == "box":
            options["font"] = {"color": style.font_colour}
        ranked = _ranked(scores, node_id, attrs)
        if ranked is not None:
            value, rank = ranked
            options["size"] += round(SCORE_SIZE * value / max(max(v for v, _ in scores.values()), 1e-9))  # type: ignore[union-attr]
            options["borderWidth"] = 5
            options["color"]["border"] = SCORE_BORDER
            options["details"].insert(2, [f"{score_name} score", f"{value:.3f} (rank {rank})"])
            options["score"] = value
        if large:
            del options["title"]
        if fixed:
            options["x"], options["y"] = positions[node_id]
        net.add_node(str(node_id), **options)
    for src, dst, key, attrs in graph.edges(keys=True, data=True):
        rows = detail_rows(attrs)
        label = link_label(attrs)
        extra: dict[str, Any] = {}
        if not large:
            heading = f"{label}: {display_name(src, graph.nodes[src])} → {display_name(dst, graph.nodes[dst])}"
            extra["title"] = _tooltip(heading, rows)
        net.add_edge(
            str(src),
            str(dst),
            id=f"{src}|{dst}|{key}",  # stable: a link added by an expansion is known again
            label=label,
            width=link_width(attrs),
            link_type=str(attrs.get("type", key)),
            **link_facets(attrs),
            details=[["type", str(attrs.get("type", key))], ["from", str(src)], ["to", str(dst)], *rows],
            **extra,
        )
    _add_folded(net, graph, positions if fixed else None)
    options = json.loads(json.dumps(MAP_OPTIONS))
    if fixed:
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = {"enabled": False}
    if large:
        options["interaction"]["hideEdgesOnDrag"] = True
    net.options = options
    return net


def _add_folded(net: Network, graph: nx.MultiDiGraph, positions: Mapping[Any, tuple[float, float]] | None) -> None:
    """The groups the node limit left out, each one node linked (dashed) to the drawn
    nodes its members were reached from."""
    folded = graph.graph.get("folded") or {}
    places = fold_positions(graph, positions) if positions is not None else {}
    for group in folded_groups(graph):
        options: dict[str, Any] = {
            "label": fold_label(group),
            "shape": FOLDED_STYLE.shape,
            "color": {"background": FOLDED_STYLE.colour, "border": "#5c5c5c"},
            "shapeProperties": {"borderDashes": [6, 4]},
            "borderWidth": 2,
            "group_label": FOLDED_STYLE.label,
            "labels": [FOLDED_STYLE.label],
            "folded": True,
            "anchor": group["key"] if group["by"] in ("ocg", "establishment") else None,
            "details": [["id", group["id"]], *fold_details(group, folded)],
        }
        if group["id"] in places:
            options["x"], options["y"] = places[group["id"]]
        net.add_node(group["id"], **options)
        for parent, n in group["links"]:
            if str(parent) in net.node_ids:
                net.add_edge(
                    str(parent),
                    group["id"],
                    id=f"{parent}|{group['id']}",
                    label=f"{n:,}",
                    dashes=True,
                    width=1,
                    link_type="FOLDED",
                    details=[["type", "folded"], ["from", str(parent)], ["members reached", f"{n:,}"]],
                )


def _ranked(
    scores: Mapping[str, tuple[float, int]] | None, node_id: Any, attrs: Mapping[str, Any]
) -> tuple[float, int] | None:
    if not scores:
        return None
    return scores.get(str(node_id)) or scores.get(str(attrs.get("canonical_id") or ""))


def compact_payload(graph: nx.MultiDiGraph, *, focus: str | None = None) -> dict[str, Any]:
    """A large map's data for the WebGL view: the server's layout, no per-node text.

    ``nodes`` are ``[id, label, style, x, y]`` (``style`` indexes ``styles``), ``links``
    ``[from, to, type]`` (node and type indexes); a node's details are read when it is
    clicked. About 60 bytes a node, against about 2 kB in the vis-network data.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("prisoner:A1", labels=["Person", "Prisoner"], name="Ann")
    >>> _ = g.add_edge("prisoner:A1", "phone:+1", type="USES_PHONE")
    >>> data = compact_payload(g)
    >>> [n[:3] for n in data["nodes"]], data["links"], data["types"]
    ([['prisoner:A1', 'Ann', 0], ['phone:+1', 'phone:+1', 10]], [[0, 1, 0]], ['USES_PHONE'])
    """
    positions = server_layout(graph)
    styles = [*LABEL_STYLES, DEFAULT_STYLE]
    style_index = {s.label: i for i, s in enumerate(styles)}
    index = {node: i for i, node in enumerate(graph.nodes)}
    nodes = []
    for node, attrs in graph.nodes(data=True):
        x, y = positions[node]
        style = style_for(attrs.get("labels") or [])
        nodes.append([str(node), display_name(str(node), attrs), style_index.get(style.label, len(styles) - 1), x, y])
    types: dict[str, int] = {}
    links = []
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        kind = str(attrs.get("type", key))
        links.append([index[u], index[v], types.setdefault(kind, len(types))])
    folded = graph.graph.get("folded") or {}
    places = fold_positions(graph, positions)
    groups = {}
    for group in folded_groups(graph):
        index[group["id"]] = len(nodes)
        nodes.append([group["id"], fold_label(group), len(styles), *places[group["id"]]])
        groups[group["id"]] = {
            "details": fold_details(group, folded),
            "anchor": group["key"] if group["by"] in ("ocg", "establishment") else None,
        }
        for parent, _n in group["links"]:
            if parent in index:
                links.append([index[parent], index[group["id"]], types.setdefault("FOLDED", len(types))])
    return {
        "styles": [{"label": s.label, "colour": s.colour, "size": s.size} for s in (*styles, FOLDED_STYLE)],
        "types": list(types),
        "nodes": nodes,
        "links": links,
        "groups": groups,
        "focus": focus,
    }


def map_payload(net: Network) -> dict[str, Any]:
    """The data the page script draws: ``{"nodes", "edges", "options"}``."""
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {"nodes": nodes, "edges": edges, "options": json.loads(options) if isinstance(options, str) else options}


def page_context(graph: nx.MultiDiGraph, payload: dict[str, Any]) -> dict[str, Any]:
    """What a page drawing ``graph`` needs (templates' ``_map_canvas.html``): the map data,
    vis-network and the map script inlined, the legend and the handling conditions."""
    assets = vis_assets()
    return {
        "node_count": graph.number_of_nodes(),
        "link_count": graph.number_of_edges(),
        "legend": legend(graph),
        "shape_glyph": shape_glyph,
        "data_json": script_json(payload),
        "vis_js": assets.js,
        "vis_css": assets.css,
        "map_js": map_script(),
        "map_css": map_css(),
        "handling_conditions": handling_conditions(graph),
    }


def script_json(value: Any) -> str:
    """JSON safe to embed in ``<script type="application/json">`` (no ``</script>``)."""
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def legend(graph: nx.MultiDiGraph | None = None) -> list[LabelStyle]:
    """The label styles to explain: those present in ``graph`` (all when None)."""
    if graph is None:
        return list(LABEL_STYLES)
    present = {style_for(attrs.get("labels") or []).label for _, attrs in graph.nodes(data=True)}
    found = [s for s in LABEL_STYLES if s.label in present] + (
        [DEFAULT_STYLE] if DEFAULT_STYLE.label in present else []
    )
    return found + ([FOLDED_STYLE] if folded_groups(graph) else [])


_SHAPE_GLYPHS = {
    "ellipse": "⬭",
    "square": "■",
    "triangle": "▲",
    "dot": "●",
    "diamond": "◆",
    "hexagon": "⬢",
    "star": "★",
    "box": "▬",
    "triangleDown": "▼",
}


def shape_glyph(shape: str) -> str:
    return _SHAPE_GLYPHS.get(shape, "●")


def legend_html(styles: Iterable[LabelStyle]) -> str:
    items = "".join(
        f'<li><span class="map-swatch" style="color:{s.colour}" aria-hidden="true">{shape_glyph(s.shape)}</span> '
        f'<strong>{html.escape(s.label)}</strong> <span class="map-legend-note">{html.escape(s.description)}</span></li>'
        for s in styles
    )
    return f'<ul class="map-legend" aria-label="Legend">{items}</ul>'


def network_json(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Nodes and links as plain JSON (the API's ``/api/network`` answer)."""
    nodes = []
    for node_id, attrs in graph.nodes(data=True):
        props = {k: v for k, v in attrs.items() if k != "labels"}
        nodes.append(
            {
                "id": node_id,
                "labels": list(attrs.get("labels") or []),
                "label": display_name(node_id, attrs),
                "style": style_for(attrs.get("labels") or []).label,
                "properties": props,
            }
        )
    links = []
    for src, dst, key, attrs in graph.edges(keys=True, data=True):
        props = {k: v for k, v in attrs.items() if k != "type"}
        links.append(
            {
                "source": src,
                "target": dst,
                "key": key,
                "type": attrs.get("type", key),
                "label": link_label(attrs),
                "grading": grading_text(attrs),
                "properties": props,
            }
        )
    return {
        "nodes": nodes,
        "links": links,
        "node_count": len(nodes),
        "link_count": len(links),
        "capped": bool(graph.graph.get("capped", False)),
    }


STANDALONE_TEMPLATE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>{vis_css}</style>
<style>{map_css}
body {{ font-family: system-ui, sans-serif; font-size: 18px; margin: 1rem 1.5rem; color: #111; }}
.marking {{ text-align: center; font-weight: 700; border: 2px solid #111; padding: .2rem .5rem; margin: .5rem 0; }}
.marking .conditions {{ display: block; font-weight: 400; font-size: .9em; }}
@media print {{ .marking {{ position: running(marking); }} }}
</style>
</head>
<body>
{banner}
<h1>{title}</h1>
{note}
<p class="map-help">Drag to move, scroll to zoom, click a node or link for its details.
The canvas takes arrow keys and +/- when focused; the table below lists every node.</p>
<div class="map-layout">
  <div id="map-canvas" class="map-canvas" tabindex="0" role="application" aria-label="Network map of {node_count} nodes and {link_count} links"></div>
  <aside class="map-side">
    <section id="map-details" class="map-details" aria-live="polite" aria-label="Details of the selected node or link">
      <p>Select a node or link to see its properties, grading and provenance.</p>
    </section>
    <h2>Legend</h2>
    {legend}
  </aside>
</div>
<h2>Nodes in this map</h2>
<div id="map-node-list"></div>
<script type="application/json" id="map-data">{data}</script>
<script>{vis_js}</script>
<script>{map_js}</script>
{banner}
</body>
</html>
"""


DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


def handling_conditions(graph: nx.MultiDiGraph) -> list[str]:
    """The handling conditions of the facts (links) of ``graph``, each once, in order.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", handling="C", handling_conditions="Police only")
    >>> _ = g.add_edge("b", "c", handling="P")
    >>> handling_conditions(g)
    ['Police only']
    """
    found = {
        " ".join(str(d["handling_conditions"]).split())
        for *_, d in graph.edges(data=True)
        if str(d.get("handling") or "").upper() == "C" and d.get("handling_conditions")
    }
    return sorted(found)


def marking_banner(marking: str, conditions: list[str]) -> str:
    """The protective marking banner (top and bottom of every page and export)."""
    shown = "".join(f'<span class="conditions">Handling: {html.escape(c)}</span>' for c in conditions)
    return f'<div class="marking" role="note" aria-label="Protective marking">{html.escape(marking)}{shown}</div>'


def standalone_html(
    graph: nx.MultiDiGraph,
    *,
    title: str = "Network map",
    focus: str | None = None,
    note: str | None = None,
    marking: str = DEFAULT_MARKING,
    fixed: bool = False,
) -> str:
    """A complete, offline HTML document of the map (vis-network inlined, no URLs fetched),
    with the protective marking and the handling conditions of its facts at top and bottom
    (``fixed``: the server's layout, see :func:`build_network`)."""
    net = build_network(graph, focus=focus, fixed=fixed)
    assets = vis_assets()
    payload = map_payload(net)
    payload["standalone"] = True
    note_html = f'<p class="map-note" role="status">{html.escape(note)}</p>' if note else ""
    return STANDALONE_TEMPLATE.format(
        banner=marking_banner(marking, handling_conditions(graph)),
        title=html.escape(title),
        vis_css=assets.css,
        map_css=map_css(),
        note=note_html,
        node_count=graph.number_of_nodes(),
        link_count=graph.number_of_edges(),
        legend=legend_html(legend(graph)),
        data=script_json(payload),
        vis_js=assets.js,
        map_js=map_script(),
    )


def write_standalone_html(graph: nx.MultiDiGraph, path: Path, **kwargs: Any) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(standalone_html(graph, **kwargs), encoding="utf-8")
    return path


__all__ = [
    "LABEL_STYLES",
    "LabelStyle",
    "VisAssets",
    "build_network",
    "detail_rows",
    "legend",
    "legend_html",
    "map_payload",
    "map_script",
    "network_json",
    "script_json",
    "standalone_html",
    "style_for",
    "vis_assets",
    "write_standalone_html",
]

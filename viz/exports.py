"""A map for a hub meeting, in the formats analysts take elsewhere.

Every format shows the same picture: the server's seeded layout
(:func:`viz.network_map.server_layout`) and the styles of :mod:`viz.network_map`.

``html``
    The offline map (vis-network inlined), with the marking banner.
``png``, ``pdf``
    That page drawn by headless Chromium (``MARSOC_CHROMIUM``, default
    ``/usr/bin/chromium``) with every request off the page refused; the banner is in
    the picture.
``graphml``, ``gexf``
    For Gephi and other tools: each node's label, kind, colour, size and position
    (GEXF's ``viz`` elements; GraphML ``x``, ``y``, ``r``, ``g``, ``b``, ``size``), each
    link's type (``link_type``), dates, grading and provenance; the marking and handling conditions as
    the file's metadata (GraphML graph data, GEXF ``description``).
``csv``
    One row per link, shaped for i2 Analyst's Notebook's tabular import: both ends'
    id, type and label, the link type, dates, count, grading and provenance; an
    entity with no link gets a row of its own. The first line states the marking.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import networkx as nx

from viz import network_map

FORMATS: tuple[str, ...] = ("html", "png", "pdf", "graphml", "gexf", "csv")
MEDIA_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "png": "image/png",
    "pdf": "application/pdf",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "csv": "text/csv; charset=utf-8",
}
DEFAULT_CHROMIUM = "/usr/bin/chromium"
RENDER_TIMEOUT_MS = 60_000
LINK_FIELDS = ("type", "valid_from", "valid_to", "first", "last", "count", "source_eval", "intel_eval", "handling")
PROVENANCE = ("handling_conditions", "originating_agency", "source", "source_ref")
I2_COLUMNS = (
    "from_id",
    "from_type",
    "from_label",
    "to_id",
    "to_type",
    "to_label",
    "link_type",
    "date_from",
    "date_to",
    "count",
    "grading",
    "handling_conditions",
    "originating_agency",
    "source",
    "source_ref",
)


class ExportError(RuntimeError):
    """An export that cannot be made here (no Chromium for PNG/PDF), with the reason."""


def metadata(graph: nx.MultiDiGraph, marking: str) -> str:
    """The marking line of a file: the marking, the handling conditions of its facts and
    what the node limit left out.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", handling="C", handling_conditions="Police only")
    >>> metadata(g, "OFFICIAL-SENSITIVE")
    'OFFICIAL-SENSITIVE; handling: Police only'
    >>> g.graph["folded"] = {"hop": 2, "count": 21, "by_kind": {"visitor": 21}}
    >>> metadata(g, "OFFICIAL-SENSITIVE")
    'OFFICIAL-SENSITIVE; handling: Police only; cut by the node limit: 21 more at hop 2 not included (21 visitor)'
    """
    conditions = network_map.handling_conditions(graph)
    line = marking + ("; handling: " + "; ".join(conditions) if conditions else "")
    folded = graph.graph.get("folded")
    if folded:
        kinds = network_map.kinds_text(folded["by_kind"])
        line += f"; cut by the node limit: {folded['count']:,} more at hop {folded['hop']} not included ({kinds})"
    return line


def _kind(attrs: dict[str, Any]) -> str:
    return network_map.style_for(attrs.get("labels") or []).label


def _text(value: Any) -> str:
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _rgb(colour: str) -> tuple[int, int, int]:
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _grading(attrs: dict[str, Any]) -> str:
    return network_map.grading_text(attrs) or ""


def styled(graph: nx.MultiDiGraph, marking: str) -> nx.MultiDiGraph:
    """A copy of ``graph`` with plain values only (lists joined), each node's label, kind,
    colour, size and position, each link's type, dates, grading and provenance."""
    positions = network_map.server_layout(graph)
    out: nx.MultiDiGraph = nx.MultiDiGraph(marking=metadata(graph, marking), description=metadata(graph, marking))
    for node, attrs in graph.nodes(data=True):
        style = network_map.style_for(attrs.get("labels") or [])
        r, g, b = _rgb(style.colour)
        x, y = positions[node]
        out.add_node(
            str(node),
            label=network_map.display_name(str(node), attrs),
            kind=style.label,
            labels=_text(attrs.get("labels")),
            r=r,
            g=g,
            b=b,
            x=float(x),
            y=float(-y),  # screen y grows downwards, Gephi's upwards
            size=float(style.size),
        )
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        fields = {f: _text(attrs.get(f)) for f in (*LINK_FIELDS, *PROVENANCE) if attrs.get(f) not in (None, "")}
        fields["link_type"] = fields.pop("type", str(key))  # GEXF keeps `type` for directed/undirected
        out.add_edge(str(u), str(v), key=str(key), grading=_grading(attrs), **fields)
    return out


def to_graphml(graph: nx.MultiDiGraph, marking: str) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(styled(graph, marking), buffer)
    return buffer.getvalue()


def to_gexf(graph: nx.MultiDiGraph, marking: str) -> bytes:
    shown = styled(graph, marking)
    for _, attrs in shown.nodes(data=True):
        attrs["viz"] = {
            "color": {"r": attrs.pop("r"), "g": attrs.pop("g"), "b": attrs.pop("b"), "a": 1.0},
            "position": {"x": attrs.pop("x"), "y": attrs.pop("y"), "z": 0.0},
            "size": attrs.pop("size"),
        }
    shown.graph = {"description": shown.graph["description"], "mode": "static"}
    buffer = io.BytesIO()
    nx.write_gexf(shown, buffer)
    return buffer.getvalue()


def to_i2_csv(graph: nx.MultiDiGraph, marking: str) -> bytes:
    """One row per link (both ends), then one per entity without a link."""
    buffer = io.StringIO()
    buffer.write(f"# {metadata(graph, marking)}\n")
    writer = csv.writer(buffer)
    writer.writerow(I2_COLUMNS)

    def end(node: Any) -> list[str]:
        attrs = graph.nodes[node]
        return [str(node), _kind(attrs), network_map.display_name(str(node), attrs)]

    for u, v, key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        writer.writerow(
            [
                *end(u),
                *end(v),
                _text(attrs.get("type", key)),
                _text(attrs.get("valid_from") or attrs.get("first")),
                _text(attrs.get("valid_to") or attrs.get("last")),
                _text(attrs.get("count")),
                _grading(attrs),
                *(_text(attrs.get(f)) for f in PROVENANCE),
            ]
        )
    for node in sorted((n for n in graph.nodes if graph.degree(n) == 0), key=str):
        writer.writerow([*end(node), *([""] * (len(I2_COLUMNS) - 3))])
    return buffer.getvalue().encode("utf-8")


def chromium_path() -> Path:
    path = Path(os.environ.get("MARSOC_CHROMIUM") or DEFAULT_CHROMIUM)
    if not path.exists():
        raise ExportError(
            f"PNG and PDF exports draw the map in Chromium, and there is none at {path} "
            "(install Debian's chromium, or set MARSOC_CHROMIUM); HTML, GraphML, GEXF and CSV need nothing"
        )
    return path


def render(document: str, fmt: str) -> bytes:
    """``document`` (an offline map page) as PNG or PDF, drawn by headless Chromium with
    every request off the page refused."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable),
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route("**/*", lambda route: route.abort())  # nothing leaves the page
            page.set_content(document, wait_until="load", timeout=RENDER_TIMEOUT_MS)
            page.locator("body[data-map-ready='true']").wait_for(state="attached", timeout=RENDER_TIMEOUT_MS)
            if fmt == "png":
                return page.screenshot(full_page=True, type="png")
            page.emulate_media(media="print")
            return page.pdf(format="A4", landscape=True, print_background=True)
        finally:
            browser.close()


def export_map(
    graph: nx.MultiDiGraph,
    fmt: str,
    *,
    title: str = "Network map",
    focus: str | None = None,
    note: str | None = None,
    marking: str = network_map.DEFAULT_MARKING,
) -> bytes:
    """``graph`` as one file of format ``fmt`` (see the module docstring)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if fmt == "graphml":
        return to_graphml(graph, marking)
    if fmt == "gexf":
        return to_gexf(graph, marking)
    if fmt == "csv":
        return to_i2_csv(graph, marking)
    document = network_map.standalone_html(graph, title=title, focus=focus, note=note, marking=marking, fixed=True)
    if fmt == "html":
        return document.encode("utf-8")
    return render(document, fmt)


__all__ = ["FORMATS", "MEDIA_TYPES", "ExportError", "export_map", "metadata", "styled"]

"""The hub meeting's briefing pack: one self-contained HTML file.

:func:`briefing_pack` builds it from the warm analysis graph on the exporting user's
visible graph: a cover (marking, date, exporting user, purpose, recipients); what
changed since the last meeting; the top bridges, hubs and cohort, each with an
interactive map (vis-network inlined once; no URL fetched) and its evidence; numbered
provenance footnotes giving the source, reference, grading and handling of every fact
cited; a print stylesheet, so it prints to PDF cleanly. ``<body>`` gets
``data-map-ready="true"`` once every map is drawn and ``data-map-nodes`` with the
number of nodes drawn in all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape

from graph_service.analytics.changes import CHANGES_DAYS
from graph_service.analytics.results import to_json
from graph_service.schema import label_for_id
from graph_service.visibility import visible
from viz import network_map

ASSETS = network_map.ASSETS_DIR
MAP_MAX_NODES = 60  # a hub's or a person's map in the pack: their nearest, legible on paper
PLACE_TYPES = ("HELD_AT", "EMPLOYED_AT", "LIVES_IN")
MAX_LINKS = 2000  # the links of one cited entity read for its footnotes


@dataclass
class Footnotes:
    """Every fact cited, numbered once, with its provenance read from the store (the warm
    graph keeps no references) as ``agency`` may see it."""

    store: Any
    agency: str | None
    notes: list[dict[str, Any]] = field(default_factory=list)
    index: dict[tuple[str, str, str], int] = field(default_factory=dict)
    links_of: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def cite(self, link: dict[str, Any]) -> int:
        key = (str(link["src"]), str(link["dst"]), str(link.get("type")))
        if key not in self.index:
            self.index[key] = len(self.notes) + 1
            self.notes.append({"n": self.index[key], "link": link, "facts": self._facts(*key)})
        return self.index[key]

    def _links(self, node: str) -> list[dict[str, Any]]:
        if node not in self.links_of:
            label = label_for_id(node)
            rows = (
                self.store.read_internal("entity-links", {"id": node, "limit": MAX_LINKS}, label=label) if label else []
            )
            self.links_of[node] = [r for r in rows if visible(r, self.agency)]
        return self.links_of[node]

    def _facts(self, src: str, dst: str, kind: str) -> list[dict[str, Any]]:
        return [
            {**row, "grading": network_map.grading_text(row) or ""}
            for row in self._links(src)
            if row["other"] == dst and row["type"] == kind
        ]


def neighbourhood(graph: nx.MultiDiGraph, centre: Any, keep: set[Any] | None = None) -> nx.MultiDiGraph:
    """``centre``, ``keep`` and their nearest neighbours (no custody, posts or addresses),
    at most ``MAP_MAX_NODES`` nodes."""
    wanted = [centre, *sorted(keep or (), key=str)]
    seen = set(wanted)
    for node in list(wanted):
        if node not in graph:
            continue
        for _, other, data in graph.edges(node, data=True):
            if data.get("type") not in PLACE_TYPES and other not in seen and len(seen) < MAP_MAX_NODES:
                seen.add(other)
        for other, _, data in graph.in_edges(node, data=True):
            if data.get("type") not in PLACE_TYPES and other not in seen and len(seen) < MAP_MAX_NODES:
                seen.add(other)
    return graph.subgraph(n for n in seen if n in graph).copy()


def evidence_graph(graph: nx.MultiDiGraph, bridge: dict[str, Any]) -> nx.MultiDiGraph:
    """The nodes and links a bridge's evidence names (its paths, their steps' links),
    with their attributes from the scoped graph."""
    nodes: set[Any] = {bridge["id"]}
    wanted: set[tuple[Any, Any, Any]] = set()
    for link in evidence_links(bridge):
        nodes.update((link["src"], link["dst"]))
        wanted.add((link["src"], link["dst"], link["type"]))
    for path in bridge["paths"]:
        nodes.update(path["nodes"])
        nodes.add(path["ocg"])
    shown: nx.MultiDiGraph = nx.MultiDiGraph()
    shown.add_nodes_from((n, graph.nodes[n]) for n in nodes if n in graph)
    for u, v, key, data in graph.subgraph(shown.nodes).edges(keys=True, data=True):
        if (u, v, data.get("type")) in wanted or (v, u, data.get("type")) in wanted:
            shown.add_edge(u, v, key=key, **data)
    return shown


def evidence_links(bridge: dict[str, Any]) -> list[dict[str, Any]]:
    """Every link a bridge's evidence cites (memberships and each step's links), in order."""
    found = []
    for path in bridge["paths"]:
        membership = path.get("membership") or {}
        if membership.get("link"):
            found.append(membership["link"])
        for step in path["steps"]:
            for item in step["evidence"]:
                found.extend(item.get("links") or ())
    return found


def _map(graph: nx.MultiDiGraph, focus: Any, label: str) -> dict[str, Any]:
    payload = network_map.map_payload(network_map.build_network(graph, focus=str(focus), height="420px", fixed=True))
    payload["standalone"] = True
    return {
        "label": label,
        "nodes": graph.number_of_nodes(),
        "links": graph.number_of_edges(),
        "data": network_map.script_json(payload),
    }


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(ASSETS)), autoescape=select_autoescape(["html"]))


def meeting_period(since: str | None, until: str | None) -> tuple[str, str]:
    """The period of "what changed": ``since`` to ``until`` (default the 28 days before
    today); ``ValueError`` with the reason for a date that is not one, or the wrong way round.

    Examples
    --------
    >>> meeting_period("2024-01-01", "2024-02-01")
    ('2024-01-01', '2024-02-01')
    >>> meeting_period(None, "2024-03-29")
    ('2024-03-01', '2024-03-29')
    >>> meeting_period("2024-05-01", "2024-04-01")
    Traceback (most recent call last):
    ...
    ValueError: since (2024-05-01) is after until (2024-04-01)
    """
    try:
        end = date.fromisoformat(until) if until else date.today()
        start = date.fromisoformat(since) if since else end - timedelta(days=CHANGES_DAYS)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"dates are YYYY-MM-DD ({error})") from None
    if start > end:
        raise ValueError(f"since ({start}) is after until ({end})")
    return start.isoformat(), end.isoformat()


@dataclass(frozen=True)
class Briefing:
    """The pack's HTML and the entities it names (the disclosure's entities)."""

    html: str
    entities: list[str]


def briefing_pack(
    ws: Any,
    scope: Any,
    *,
    user: str,
    agency: str,
    purpose: str,
    recipients: list[str],
    since: str,
    until: str,
    top: int = 5,
    marking: str = network_map.DEFAULT_MARKING,
    cohort_weights: Any = None,
) -> Briefing:
    """The briefing pack of the meeting (see the module docstring)."""
    from graph_service.analytics.changes import changes_between
    from graph_service.analytics.suite import Options, section

    options = Options(top=top, cohort_weights=cohort_weights)
    graph = ws.graph(scope)
    bridges = to_json(section(ws, "bridges", scope, options).value)["results"]
    hubs = to_json(section(ws, "hubs", scope, options).value)
    cohort = to_json(section(ws, "cohort", scope, options).value)
    changes = to_json(changes_between(ws.base(), since, until, scope=scope, cohort_weights=cohort_weights, top=top))
    notes = Footnotes(ws.store, scope.agency)
    maps: list[dict[str, Any]] = []
    shown: set[str] = set()

    def name_of(node: Any) -> str:
        return network_map.display_name(str(node), graph.nodes.get(node, {}))

    for bridge in bridges:
        drawn = evidence_graph(graph, bridge)
        bridge["map"] = len(maps)
        maps.append(_map(drawn, bridge["id"], f"Evidence paths of {name_of(bridge['id'])}"))
        bridge["cites"] = [notes.cite(link) for link in evidence_links(bridge)]
        shown.update(map(str, drawn.nodes))
    for hub in hubs:
        drawn = neighbourhood(graph, hub["id"], set(hub["users"]))
        hub["map"] = len(maps)
        maps.append(_map(drawn, hub["id"], f"Network of {name_of(hub['id'])}"))
        shown.update(map(str, drawn.nodes))
    for person in cohort:
        drawn = neighbourhood(graph, person["id"])
        person["map"] = len(maps)
        maps.append(_map(drawn, person["id"], f"Network of {name_of(person['id'])}"))
        shown.update(map(str, drawn.nodes))
    conditions = sorted(
        {c for note in notes.notes for f in note["facts"] if (c := f.get("handling_conditions"))}
        | set(network_map.handling_conditions(graph.subgraph(shown)))
    )
    assets = network_map.vis_assets()
    document = (
        _environment()
        .get_template("briefing.html")
        .render(
            marking=marking,
            conditions=conditions,
            made_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            user=user,
            agency=agency,
            purpose=purpose,
            recipients=recipients,
            scope=scope.to_dict(),
            changes=changes,
            bridges=bridges,
            hubs=hubs,
            cohort=cohort,
            notes=notes.notes,
            maps=maps,
            name_of=name_of,
            legend=network_map.legend_html(network_map.legend(graph.subgraph(shown))),
            vis_css=assets.css,
            vis_js=assets.js,
            map_css=network_map.map_css(),
            script=(ASSETS / "briefing.js").read_text(encoding="utf-8"),
        )
    )
    entities = sorted(shown | {str(m["id"]) for m in changes["new_ocg_members"]})
    return Briefing(document, entities)


__all__ = [
    "Briefing",
    "Footnotes",
    "briefing_pack",
    "evidence_graph",
    "evidence_links",
    "meeting_period",
    "neighbourhood",
]

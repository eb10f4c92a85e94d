"""Engine values to plain Python, the same shape from every adapter.

Nodes become ``{"labels": [...], "properties": {...}, "element_id": ...}``, links
``{"type": ..., "properties": {...}, "start": ..., "end": ...}`` (``start``/``end`` the
``element_id`` of their nodes: the engine's own ids, for drawing a result as a graph),
paths ``{"nodes": [...], "links": [...]}``; dates and times become ISO strings; maps
become dicts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    iso = getattr(value, "iso_format", None)  # neo4j.time types
    if callable(iso):
        return iso()
    converter = _CONVERTERS.get(type(value).__module__.split(".")[0])
    if converter is not None:
        return converter(value)
    return str(value)


def _falkordb(value: Any) -> Any:
    from falkordb.edge import Edge
    from falkordb.node import Node
    from falkordb.path import Path

    if isinstance(value, Node):
        return {
            "labels": sorted(value.labels or []),
            "properties": plain(dict(value.properties)),
            "element_id": _fid(value),
        }
    if isinstance(value, Edge):
        return {
            "type": value.relation,
            "properties": plain(dict(value.properties)),
            "start": _fid(value.src_node),
            "end": _fid(value.dest_node),
        }
    if isinstance(value, Path):
        return {"nodes": [_falkordb(n) for n in value.nodes()], "links": [_falkordb(e) for e in value.edges()]}
    return str(value)


def _fid(node: Any) -> str | None:
    """FalkorDB's internal id of a node (an edge's ends are ids or nodes)."""
    found = getattr(node, "id", node)
    return None if found is None else str(found)


def _neo4j(value: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": plain(dict(value)), "element_id": value.element_id}
    if isinstance(value, Relationship):
        ends = (value.start_node, value.end_node)
        return {
            "type": value.type,
            "properties": plain(dict(value)),
            "start": ends[0].element_id if ends[0] is not None else None,
            "end": ends[1].element_id if ends[1] is not None else None,
        }
    if isinstance(value, Path):
        return {"nodes": [_neo4j(n) for n in value.nodes], "links": [_neo4j(r) for r in value.relationships]}
    return str(value)


_CONVERTERS = {"falkordb": _falkordb, "neo4j": _neo4j}

"""Evidence checks: every stored link a result cites, and whether the store has it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph_service.schema import link_type


def links_in(result: Any) -> list[dict]:
    """Every stored-link reference (``{"src", "dst", "type", ...}``) inside a result.

    Examples
    --------
    >>> links_in({"paths": [{"steps": [{"evidence": [{"links": [{"src": "a", "dst": "b", "type": "CALLED"}]}]}]}]})
    [{'src': 'a', 'dst': 'b', 'type': 'CALLED'}]
    """
    found: list[dict] = []
    stack = [result]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if {"src", "dst", "type"} <= set(item) and isinstance(item.get("type"), str):
                found.append({"src": item["src"], "dst": item["dst"], "type": item["type"]})
                continue
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, (list, tuple)):
            stack.extend(reversed(list(item)))
    return found


def missing_links(store: Any, links: Iterable[dict]) -> list[dict]:
    """The cited links the store does not hold (checked one query per distinct link)."""
    missing = []
    seen = set()
    for link in links:
        key = (link["src"], link["dst"], link["type"])
        if key in seen:
            continue
        seen.add(key)
        name = link_type(link["type"]).type  # only schema names reach the query text
        rows = store.read_all(
            f"MATCH (a {{id: $src}})-[r:{name}]->(b {{id: $dst}}) RETURN count(r) AS n",
            {"src": link["src"], "dst": link["dst"]},
        )
        if not rows or int(rows[0]["n"] or 0) == 0:
            missing.append(link)
    return missing


__all__ = ["links_in", "missing_links"]

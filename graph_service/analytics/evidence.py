"""Evidence checks: every stored link a result cites, and whether the store has it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from graph_service.analytics.results import to_json
from graph_service.schema import label_for_id


def links_in(result: Any) -> list[dict]:
    """Every stored-link reference (``{"src", "dst", "type", ...}``) inside a result.

    ``result`` is a result (or a list of results) or its JSON data; the links are
    read from its :func:`~graph_service.analytics.results.to_json` form.

    Examples
    --------
    >>> links_in({"paths": [{"steps": [{"evidence": [{"links": [{"src": "a", "dst": "b", "type": "CALLED"}]}]}]}]})
    [{'src': 'a', 'dst': 'b', 'type': 'CALLED'}]
    >>> from graph_service.analytics.results import LinkStep
    >>> links_in([LinkStep(from_="a", to="b", links=({"src": "a", "dst": "b", "type": "CALLED", "grading": "1A P"},))])
    [{'src': 'a', 'dst': 'b', 'type': 'CALLED'}]
    """
    found: list[dict] = []
    stack = [to_json(result)]
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
    """The cited links the store does not hold, each distinct link once, in the order cited.

    One query per (endpoint labels, link type), both ends found through their labelled
    id index; a link whose ids imply no label cannot be in the store.
    """
    distinct = list(dict.fromkeys((link["src"], link["dst"], link["type"]) for link in links))
    groups: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for src, dst, kind in distinct:
        from_label, to_label = label_for_id(src), label_for_id(dst)
        if from_label and to_label:
            groups[(from_label, kind, to_label)].append({"src": src, "dst": dst})
    found: set[tuple[str, str, str]] = set()
    for (from_label, kind, to_label), pairs in groups.items():
        for start in range(0, len(pairs), CHECK_BATCH):
            rows = store.read_internal(
                "links-present",
                {"links": pairs[start : start + CHECK_BATCH]},
                from_label=from_label,
                type=kind,
                to_label=to_label,
            )
            found.update((r["src"], r["dst"], kind) for r in rows if int(r["n"] or 0) > 0)
    return [{"src": s, "dst": d, "type": k} for s, d, k in distinct if (s, d, k) not in found]


CHECK_BATCH = 5000


__all__ = ["links_in", "missing_links"]

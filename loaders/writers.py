"""Writes several file loaders share: Person, Phone and Postcode merges, LIVES_IN links
and the refresh of properties computed from every period in the store.

Each write goes through the store port, one ``UNWIND`` statement per call (atomic).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graph_service.grading import OFFICIAL_GRADING
from graph_service.schema import PERSON_NAMESPACES
from graph_service.store import GraphStore, LoadRun
from graph_service.visibility import only_for
from loaders.props import link_props


def merge_row(rows: dict[str, dict[str, Any]], node_id: str, props: Mapping[str, Any]) -> None:
    """Collect one node's properties over the rows of a batch: a later row's values win,
    a value a later row leaves empty is kept from an earlier one."""
    entry = rows.get(node_id)
    if entry is None:
        rows[node_id] = {"id": node_id, "props": dict(props)}
    else:
        entry["props"].update(props)


def merged_persons(people: Iterable[tuple[str, Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Person rows, given as ``(id, props)`` per source row, combined per person
    (see :func:`merge_row`): the rows :func:`write_persons` takes."""
    merged: dict[str, dict[str, Any]] = {}
    for node_id, props in people:
        merge_row(merged, node_id, props)
    return list(merged.values())


def write_persons(store: GraphStore, namespace: str, rows: Sequence[Mapping[str, Any]], run: LoadRun) -> int:
    """Merge Person nodes (rows from :func:`merged_persons`) with their role label.

    ``canonical_id`` is set to the id only when the node has none (an analyst's
    ``same`` decision is never overwritten)."""
    if not rows:
        return 0
    records = store.write_internal(
        "persons-upsert", {"rows": list(rows), "now": run.now, "run": run.run_id}, role=PERSON_NAMESPACES[namespace]
    )
    return int(records[0]["written"]) if records else 0


def upsert_persons(
    store: GraphStore, namespace: str, people: Iterable[tuple[str, Mapping[str, Any]]], run: LoadRun
) -> int:
    """Merge Person nodes, given as ``(id, props)`` per source row, with their role label."""
    return write_persons(store, namespace, merged_persons(people), run)


# Most Phone ids a load remembers as written (national call records hold millions of numbers).
KNOWN_PHONES_MAX = 200_000


def upsert_phones(
    store: GraphStore,
    numbers: Iterable[str],
    source: str,
    run: LoadRun,
    known: set[str] | None = None,
    restricted: Mapping[str, Sequence[str]] | None = None,
) -> int:
    """Merge Phone nodes; ``known`` (node ids already written by this load) are skipped
    and the new ones added to it (call records repeat the same numbers batch after batch).

    ``restricted``: numbers this chunk names only in handling ``C`` facts, with the
    agencies that may see them (:func:`restricted_numbers`); the others are open to all."""
    restricted = restricted or {}
    unique = sorted({n for n in numbers if n in restricted or known is None or f"phone:{n}" not in known})
    if not unique:
        return 0
    rows: list[dict[str, Any]] = [
        {
            "id": f"phone:{n}",
            "props": {"number": n, "source": source},
            "only": restricted.get(n) and list(restricted[n]),
        }
        for n in unique
    ]
    written = store.upsert_nodes("Phone", rows, run)
    if known is not None:
        if len(known) > KNOWN_PHONES_MAX:
            known.clear()  # bounded memory: forgetting only costs a repeated MERGE
        known.update(row["id"] for row in rows if not row["only"])
    return written


def restricted_numbers(uses: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, list[str]]:
    """(number, grading) pairs -> the numbers named only by handling ``C`` facts, with
    the agencies of those facts (``graph_service.visibility.only_for``).

    Examples
    --------
    >>> C = {"handling": "C", "originating_agency": "police"}
    >>> restricted_numbers([("1", C), ("2", C), ("2", {"handling": "P"}), ("1", {**C, "originating_agency": "nca"})])
    {'1': ['nca', 'police']}
    """
    found: dict[str, set[str]] = {}
    opened: set[str] = set()
    for number, grading in uses:
        only = only_for(grading)
        if only is None:
            opened.add(number)
        else:
            found.setdefault(number, set()).update(only)
    return {n: sorted(a) for n, a in found.items() if n not in opened}


def upsert_postcodes(
    store: GraphStore, pairs: Iterable[tuple[str, str, str]], source: str, run: LoadRun, known: set[str] | None = None
) -> None:
    """``pairs`` are (person id, postcode, source_ref): Postcode nodes and LIVES_IN links.

    ``known``: Postcode node ids already written by this load (skipped, then updated)."""
    pairs = list(pairs)
    if not pairs:
        return
    codes = sorted({p for _, p, _ in pairs if known is None or f"postcode:{p}" not in known})
    if codes:
        store.upsert_nodes(
            "Postcode", [{"id": f"postcode:{c}", "props": {"postcode": c, "source": source}} for c in codes], run
        )
        if known is not None:
            known.update(f"postcode:{c}" for c in codes)
    seen: dict[tuple[str, str], str] = {}
    for person, code, ref in pairs:
        seen.setdefault((person, code), ref)
    rows = [
        {
            "src": person,
            "dst": f"postcode:{code}",
            "key": {},
            "props": link_props(source, ref, OFFICIAL_GRADING, None, None),
        }
        for (person, code), ref in seen.items()
    ]
    store.upsert_links("LIVES_IN", rows, run, "Person", "Postcode")


def refresh_prisoners(store: GraphStore, ids: Iterable[str], run: LoadRun) -> None:
    """``in_custody`` (an open custody period) and ``establishment`` (of the latest period)
    computed from every HELD_AT period in the store, so later exports update them."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), 5000):
        store.write_internal("prisoners-refresh", {"ids": ids[start : start + 5000], "run": run.run_id})


def refresh_staff(store: GraphStore, ids: Iterable[str], run: LoadRun) -> None:
    """``role`` and ``establishment`` of a member of staff from the latest post
    (an open post first)."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), 5000):
        store.write_internal("staff-refresh", {"ids": ids[start : start + 5000], "run": run.run_id})

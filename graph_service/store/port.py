"""The store port: the one interface loaders, analytics and the API use.

Adapters implement four primitives (:meth:`GraphStore._write`,
:meth:`GraphStore._read`, :meth:`GraphStore._schema_statements`,
:meth:`GraphStore.close`); everything else (schema, batched upserts, the query
runner, subgraph extraction, counts) is written once here on top of them, so every
adapter behaves and answers the same way.
"""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from sys import intern
from typing import Any

import networkx as nx

from graph_service.cypher_library import CypherLibrary, load_library
from graph_service.gc_pause import paused_gc
from graph_service.grading import AGENCIES
from graph_service.multigraph import add_link
from graph_service.schema import (
    ALL_LABELS,
    EVENT_IDS,
    LINK_TYPES,
    NODE_TYPES,
    PERSON_ROLE_LABELS,
    RUN_LABEL,
    SchemaError,
    check_label,
    label_for_id,
    link_key,
    link_type,
)
from graph_service.store import cypher_gen
from graph_service.visibility import node_visible

_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESERVED_COLUMNS = frozenset({"id", "labels", "props", "src", "dst", "type"})
# A neighbourhood's links are read from their source nodes; up to this many drawn nodes
# the engine also checks the far end against the list (``b.id IN $ids``), above it the
# far ends are checked here: FalkorDB tests IN item by item (1 s of 4 for 10,000 ids).
FAR_END_CHECK_MAX = 4000
# What a capped neighbourhood left out is drawn as groups (``GraphStore._fold``): the
# people among the first FOLD_LOOKUP_MAX are grouped by OCG or establishment (one read
# by the id index), the rest by kind; at most FOLD_GROUPS_MAX groups.
FOLD_LOOKUP_MAX = 20_000
FOLD_GROUPS_MAX = 40
FOLD_LINKS_MAX = 20  # a group is linked to the drawn nodes most of its members hang from
FOLD_PREFIX = "folded:"


MAX_SHARED = 40  # text values up to this length are shared (ids, codes, dates, times)


def share(value: Any) -> Any:
    """``value`` with one copy of each short text (a list's items too): each decoded row
    brings its own copies of ids, codes and dates, millions of them on a national graph.

    Examples
    --------
    >>> share(["1A P", "x" * 50])[0] is share("1A P")
    True
    """
    if type(value) is str:
        return intern(value) if len(value) <= MAX_SHARED else value
    if type(value) is list:
        return [intern(x) if type(x) is str and len(x) <= MAX_SHARED else x for x in value]
    return value


def _columns(var: str, names: tuple[str, ...] | None) -> str:
    """The RETURN columns of ``var``'s properties: all as ``props``, or the named ones."""
    if names is None:
        return f"properties({var}) AS props"
    return ", ".join(f"{var}.`{name}` AS `{name}`" for name in names) or "null AS props"


def _props(
    record: Mapping[str, Any], names: tuple[str, ...] | None, unread: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """A record's properties, names and short values shared (see :func:`share`): its
    ``props`` map without the ``unread`` names, or its named columns that are set."""
    if names is None:
        found = record.get("props") or {}
        return {intern(name): share(value) for name, value in found.items() if name not in unread}
    return {name: share(record[name]) for name in names if record.get(name) is not None}


def _home_rank(today: str) -> Any:
    """Sort key of a person's custody, posts and memberships, the one to group by last:
    a current membership of an OCG, else a current custody or post, else the one that
    ended latest; then the latest to begin."""

    def rank(row: Mapping[str, Any]) -> tuple[Any, ...]:
        until = str(row["until"]) if row["until"] is not None else None
        current = until is None or until[:10] >= today
        ocg = "OCG" in row["labels"]
        return (current, current and ocg, until or "9999", str(row["since"] or ""), str(row["key"]))

    return rank


def _kind(node: str) -> str:
    """The namespace of a node id (``prisoner``, ``phone``, ...; ``other`` when none)."""
    return node.partition(":")[0] or "other"


def _kinds(ids: Iterable[str]) -> dict[str, int]:
    """How many ids of each namespace."""
    kinds: dict[str, int] = {}
    for node in ids:
        kind = _kind(node)
        kinds[kind] = kinds.get(kind, 0) + 1
    return dict(sorted(kinds.items()))


def by_label(ids: Iterable[Any]) -> dict[str | None, list[Any]]:
    """Node ids grouped by the label their namespace implies (None: none known), so a
    read of them can be anchored on that label's id index.

    Examples
    --------
    >>> by_label(["prisoner:A1", "phone:+44", "visitor:V1", "x:1"])
    {'Person': ['prisoner:A1', 'visitor:V1'], 'Phone': ['phone:+44'], None: ['x:1']}
    """
    groups: dict[str | None, list[Any]] = {}
    for node in ids:
        groups.setdefault(label_for_id(str(node)), []).append(node)
    return groups


class StoreError(RuntimeError):
    """A store operation failed; the message says what and why."""


class BadParameter(StoreError):
    """A parameter the engine cannot carry (a bad map key, a NUL character): the
    caller's input, a 4xx for a request."""


class ReadOnlyViolation(StoreError):
    """The engine refused a write in a read-only query."""


class QueryTimeout(StoreError):
    """A read query ran past its time limit."""


@dataclass(frozen=True)
class LoadRun:
    """Provenance stamped on every write of one load."""

    run_id: str
    now: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    # The agency the load is for: the originating agency of its rows that name none.
    agency: str | None = None


@dataclass(frozen=True)
class StoreVersion:
    """Where the store is: the sequence number and id of the latest load run recorded
    (``0``/``None`` for a store nothing was loaded into)."""

    seq: int = 0
    run: str | None = None


@dataclass
class QueryResult:
    """Rows of a read query as plain Python values, the same from every adapter."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False
    elapsed_ms: float = 0.0

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


@dataclass(frozen=True)
class SubgraphFilter:
    """What part of the graph to extract.

    ``labels``: keep nodes with any of these labels (None: all). ``link_types``:
    keep links of these types (None: all). ``since``/``until``: ISO dates; keep
    links whose period (``valid_from``..``valid_to``) overlaps the window; links with
    no period are kept. ``node_ids`` with ``hops``: the neighbourhood of these nodes
    within ``hops`` links (through the allowed types). ``network``: only nodes and
    links of this generic network. ``max_nodes``: stop expanding past this many.
    ``event_ids``: also read the event id lists of aggregated links (calls, visits);
    left out by default, since analyses use the counts and the lists are most of the
    data read. ``runs``: only the nodes and links last written by these load runs
    (``load_run``), and the other ends of those links as bare nodes (no attributes):
    what a load changed, for :meth:`GraphStore.subgraph` to hand to a warm copy.
    ``agency``: only what a user of that agency may see (``graph_service.visibility``:
    a handling ``C`` link only for its originating agency), the neighbourhood expanded
    through visible links only. ``node_properties``, ``link_properties``: read only
    these properties of nodes, of links (besides ids, labels and types); None: every
    property. A large map needs a few (names, handling conditions), and reading a
    link's whole property map costs the engine twice its named columns. ``unread``:
    properties left in the store (the warm analysis graph leaves out provenance it
    never reads); a link keeps those its type's declared key names, which tell it apart
    from another link of its type between the same ends.
    """

    labels: tuple[str, ...] | None = None
    link_types: tuple[str, ...] | None = None
    since: str | None = None
    until: str | None = None
    node_ids: tuple[str, ...] | None = None
    hops: int = 0
    network: str | None = None
    max_nodes: int | None = None
    event_ids: bool = False
    runs: tuple[str, ...] | None = None
    agency: str | None = None
    node_properties: tuple[str, ...] | None = None
    link_properties: tuple[str, ...] | None = None
    unread: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for label in self.labels or ():
            check_label(label)
        for name in (*(self.node_properties or ()), *(self.link_properties or ())):
            if not _PLAIN_NAME.fullmatch(name) or name in _RESERVED_COLUMNS:
                raise ValueError(f"not a property name that can be read: {name!r}")
        if self.agency is not None and self.agency not in AGENCIES:
            raise SchemaError(f"unknown agency {self.agency!r}; known: {', '.join(AGENCIES)}")
        for name in self.link_types or ():
            link_type(name)
        if self.hops < 0:
            raise ValueError("hops must be >= 0")


def _is_type_name(name: str) -> bool:
    try:
        link_type(name)
    except SchemaError:
        return False
    return True


# What each kind of ``// template:`` placeholder may hold, checked against the schema.
_LABEL_PLACEHOLDERS = ("label", "from_label", "to_label")


def schema_name(placeholder: str, value: str) -> str:
    """``value`` if the schema declares it for this kind of placeholder, else SchemaError.

    ``label``/``from_label``/``to_label``: a node or role label; ``role``: a person role
    label; ``type``: a link type (declared, or an intelligence type's UPPER_SNAKE name).
    """
    if placeholder in _LABEL_PLACEHOLDERS:
        return check_label(value)
    if placeholder == "role":
        if value not in PERSON_ROLE_LABELS:
            raise SchemaError(f"unknown role label {value!r}; known: {list(PERSON_ROLE_LABELS)}")
        return value
    if placeholder == "type":
        return link_type(value).type
    raise SchemaError(f"no schema name may fill a {{{placeholder}}} placeholder")


def _type_pattern(types: Sequence[str] | None) -> str:
    if not types:
        return ""
    return ":" + "|".join(link_type(t).type for t in types)


def is_night(at: Any) -> bool:
    """Whether an event time ``YYYY-MM-DDTHH:MM:SS`` starts between 00:00 and 05:59.

    The hour is read from the text (characters 11-12), as the accumulate statements
    read it (:data:`graph_service.store.cypher_gen.NIGHT_HOURS`); a date without a
    time, or no time, is not night.

    Examples
    --------
    >>> [is_night(t) for t in ("2024-01-02T00:10:00", "2024-01-02T05:59:59", "2024-01-02T06:00:00", "2024-01-02")]
    [True, True, False, False]
    """
    return isinstance(at, str) and at[11:13] in cypher_gen.NIGHT_HOURS


def event_summary(row: Mapping[str, Any]) -> dict[str, Any]:
    """An :meth:`GraphStore.accumulate_links` row with its events summed: ids, count,
    night count (events started 00:00-05:59, see :func:`is_night`), seconds, first and
    last time, and the sources and places in order of appearance."""
    events = row["events"]
    times = [e["at"] for e in events if e.get("at") is not None]
    return {
        "src": row["src"],
        "dst": row["dst"],
        "props": row["props"],
        "ids": [e["id"] for e in events],
        "n": len(events),
        "night": sum(1 for e in events if is_night(e.get("at"))),
        "seconds": sum(e.get("seconds") or 0 for e in events),
        "first": min(times) if times else None,
        "last": max(times) if times else None,
        "sources": list(dict.fromkeys(e["source"] for e in events if e.get("source") is not None)),
        "places": list(dict.fromkeys(e["place"] for e in events if e.get("place") is not None)),
    }


class GraphStore(ABC):
    """A graph store behind one interface; see the module docstring."""

    engine: str = "abstract"

    def __init__(self, *, query_timeout_s: float = 30.0, row_cap: int = 5000, batch_size: int = 5000):
        self.query_timeout_s = query_timeout_s
        self.row_cap = row_cap
        self.batch_size = batch_size
        # The analysts' named queries (replaceable, e.g. by a test's own library) and the
        # product's own statements (always the shipped cypher/internal).
        self.library: CypherLibrary = load_library()
        self.statements: CypherLibrary = load_library()

    # -- primitives every adapter provides -------------------------------------------
    @abstractmethod
    def _write(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one write statement in its own transaction; return records."""

    @abstractmethod
    def _read(
        self, cypher: str, params: Mapping[str, Any] | None, *, timeout_s: float, limit: int | None
    ) -> tuple[list[str], list[list[Any]], bool]:
        """Run a statement read-only (enforced by the engine): columns, rows, truncated."""

    @abstractmethod
    def _schema_statements(self) -> list[str]:
        """Engine-specific index/constraint statements derived from the schema."""

    def _wait_for_schema(self) -> None:
        """Block until indexes are usable (engines that build them asynchronously)."""
        return None

    @abstractmethod
    def close(self) -> None:
        """Release connections and stop any server this store started."""

    # -- schema -----------------------------------------------------------------------
    def ensure_schema(self) -> None:
        for statement in self._schema_statements():
            self._write(statement)
        self._wait_for_schema()

    # -- writes -----------------------------------------------------------------------
    def _batches(self, rows: Sequence[Any]) -> Iterable[Sequence[Any]]:
        for start in range(0, len(rows), self.batch_size):
            yield rows[start : start + self.batch_size]

    def _write_each(self, cypher: str, params: Iterable[Mapping[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        """Run ``cypher`` once per parameter set, in order, each its own transaction;
        yields each statement's records. ``params`` may be lazy: adapters may build
        the next parameter set while a statement runs."""
        for given in params:
            yield self._write(cypher, given)

    def _sum_written(self, cypher: str, rows: Sequence[Mapping[str, Any]], run: LoadRun, key: str) -> int:
        total = 0
        batches = ({"rows": list(batch), "now": run.now, "run": run.run_id} for batch in self._batches(rows))
        for records in self._write_each(cypher, batches):
            total += int(records[0][key] or 0) if records else 0
        return total

    def upsert_nodes(
        self, label: str, rows: Sequence[Mapping[str, Any]], run: LoadRun, extra_labels: tuple[str, ...] = ()
    ) -> int:
        """Merge nodes by id. Rows are ``{"id": ..., "props": {...}}``. Returns rows written.

        Each batch is one transaction: it is written whole or not at all.
        """
        return self._sum_written(cypher_gen.upsert_nodes(label, extra_labels), rows, run, "written")

    def upsert_links(
        self, type_name: str, rows: Sequence[Mapping[str, Any]], run: LoadRun, from_label: str, to_label: str
    ) -> int:
        """Merge links. Rows are ``{"src", "dst", "key": {...}, "props": {...}}``.

        Returns the links written; rows whose endpoints are missing are not written.
        """
        return self._sum_written(cypher_gen.upsert_links(type_name, from_label, to_label), rows, run, "written")

    def accumulate_links(
        self, type_name: str, rows: Sequence[Mapping[str, Any]], run: LoadRun, from_label: str, to_label: str
    ) -> int:
        """Add events (calls, visits) to aggregated links, each event id counted once.

        Rows are ``{"src", "dst", "props", "events": [{"id", "at", "seconds", "source",
        "place"}]}``. Returns the number of events newly counted.

        Each batch is first written with its events summed per row (one statement);
        rows with an event the link has already counted (an overlapping export) are
        then written event by event (a second statement). Every event is counted once
        whichever statement counts it, so a load stopped between the two is completed
        by running it again.
        """
        summaries = cypher_gen.accumulate_summaries(type_name, from_label, to_label)
        batches = list(self._batches(rows))
        params = (
            {"rows": [event_summary(row) for row in batch], "now": run.now, "run": run.run_id} for batch in batches
        )
        counted = 0
        overlapping: list[Mapping[str, Any]] = []
        for batch, records in zip(batches, self._write_each(summaries, params)):
            record = records[0] if records else {}
            counted += int(record.get("new_events") or 0)
            if int(record.get("written") or 0) < len(batch):
                overlapping.extend(batch)
        if overlapping:
            events = cypher_gen.accumulate_links(type_name, from_label, to_label)
            counted += self._sum_written(events, overlapping, run, "new_events")
        return counted

    # -- the store version (load runs) -------------------------------------------------
    def record_run(self, run: LoadRun, *, rewrite: bool = False) -> int:
        """Record ``run`` (at its start and at its end) and move the store version on;
        ``rewrite``: the run deleted or replaced data. Returns the new sequence number."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        params = {"run": run.run_id, "now": now, "rewrite": rewrite, "agency": run.agency}
        rows = self.write_internal("load-run-record", params)
        return int(rows[0]["seq"])

    def version(self) -> StoreVersion:
        """The store version (one indexed-free read of the few load-run records)."""
        rows = self.read_internal("store-version")
        return StoreVersion(int(rows[0]["seq"]), rows[0]["run"]) if rows else StoreVersion()

    def runs_since(self, version: StoreVersion) -> list[dict[str, Any]]:
        """The load runs recorded after ``version`` (and the run it names, if still there)."""
        return self.read_internal("load-runs-since", {"seq": version.seq, "run": version.run or ""})

    def delete_all(self) -> None:
        """Delete every node and link, keeping the schema (tests and ``marsoc reset``)."""
        self.write_internal("delete-all")

    def execute_write(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one write statement given as text (tests and benchmarks; the product's
        own writes go through :meth:`write_internal` or :mod:`cypher_gen`)."""
        return self._write(cypher, params)

    # -- the product's own statements (cypher/internal) -------------------------------
    def _internal_statement(
        self, name: str, mode: str, params: Mapping[str, Any] | None, placeholders: Mapping[str, str]
    ) -> tuple[str, dict[str, Any]]:
        named = self.statements.get_internal(name)
        if named.mode != mode:
            raise StoreError(f"internal statement {name!r} is a {named.mode} statement, not a {mode}")
        given = {**named.defaults, **(params or {})}
        named.check_params(given)
        return named.render(**{key: schema_name(key, value) for key, value in placeholders.items()}), given

    def read_internal(
        self, name: str, params: Mapping[str, Any] | None = None, **placeholders: str
    ) -> list[dict[str, Any]]:
        """Every row of a read statement of ``cypher/internal`` as records (no row cap).

        ``placeholders`` fill the file's ``// template:`` names (``label``, ``role``,
        ``type``...), each checked against the schema first.
        """
        text, given = self._internal_statement(name, "read", params, placeholders)
        return self.read_all(text, given)

    def write_internal(
        self, name: str, params: Mapping[str, Any] | None = None, **placeholders: str
    ) -> list[dict[str, Any]]:
        """Run a write statement of ``cypher/internal`` in its own transaction."""
        text, given = self._internal_statement(name, "write", params, placeholders)
        return self._write(text, given)

    # -- reads ------------------------------------------------------------------------
    def query(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        row_cap: int | None = None,
        timeout_s: float | None = None,
    ) -> QueryResult:
        """Run ad-hoc Cypher read-only, with a row cap and a time limit."""
        cap = row_cap if row_cap is not None else self.row_cap
        started = time.perf_counter()
        columns, rows, truncated = self._read(
            cypher, params or {}, timeout_s=timeout_s or self.query_timeout_s, limit=cap
        )
        elapsed = (time.perf_counter() - started) * 1000
        return QueryResult(columns, rows, truncated, round(elapsed, 2))

    def cautions(self, cypher: str) -> list[str]:
        """What an analyst should know about this engine's answer to ``cypher`` (engine
        faults the statement may meet); none by default."""
        return []

    def run_named(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        row_cap: int | None = None,
        timeout_s: float | None = None,
    ) -> QueryResult:
        """Run a query of the ``cypher/`` library by name, read-only."""
        named = self.library.get(name)
        given = dict(named.defaults)
        given.update(params or {})
        named.check_params(given)
        return self.query(named.text, given, row_cap=row_cap, timeout_s=timeout_s)

    def read_all(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every row of a read query as records (internal use: no row cap)."""
        columns, rows, _ = self._read(cypher, params or {}, timeout_s=max(self.query_timeout_s, 600), limit=None)
        return [dict(zip(columns, row)) for row in rows]

    # -- counts -----------------------------------------------------------------------
    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per label (a multi-label node counts under each) and links per type.

        The labels and types come from the engine's catalogue, and each count is one
        ``count()`` of a label or type, which both engines answer from their own counts
        without scanning (a whole-graph scan took 0.4 s for 300,000 links here, and
        grows with the graph). Only labels and types the schema allows are counted;
        those with no node or link left are left out.
        """
        present = self._present()
        nodes = {
            label: int(self.read_internal("label-node-count", label=label)[0]["n"] or 0) for label in present["labels"]
        }
        return {"nodes": {k: v for k, v in nodes.items() if v}, "links": self._link_counts(present["types"])}

    def link_counts(self) -> dict[str, int]:
        """Links per type, as :meth:`counts` gives them, without counting the labels."""
        return self._link_counts(self._types_present())

    def _link_counts(self, types: list[str]) -> dict[str, int]:
        links = {name: int(self.read_internal("link-count-by-type", type=name)[0]["n"] or 0) for name in types}
        return {k: v for k, v in links.items() if v}

    def _present(self) -> dict[str, list[str]]:
        """The schema's labels and the link types that the engine's catalogue holds (no scan)."""
        labels = sorted({r["label"] for r in self.read_internal("labels-present")} & set(ALL_LABELS))
        return {"labels": labels, "types": self._types_present()}

    def _types_present(self) -> list[str]:
        return sorted(t for t in {r["type"] for r in self.read_internal("link-types-present")} if _is_type_name(t))

    def node(self, node_id: str, agency: str | None = None) -> dict[str, Any] | None:
        """One node by id as a user of ``agency`` may see it: ``{"id", "labels" (sorted),
        "properties"}``, or None when it is absent, its id names no label of the schema,
        or it is restricted to other agencies (one answer for all three: nothing leaks).
        The one place the routers read a node by id."""
        label = label_for_id(node_id)
        rows = self.read_internal("node-by-id", {"id": node_id}, label=label) if label else []
        props = dict(rows[0]["props"] or {}) if rows else {}
        if not rows or not node_visible(props, agency):
            return None
        return {"id": node_id, "labels": sorted(rows[0]["labels"]), "properties": props}

    def ping(self) -> bool:
        """Whether the store answers a statement (touches no data)."""
        return self.read_internal("store-ping") == [{"ok": 1}]

    # -- subgraph extraction ----------------------------------------------------------
    def _link_conditions(self, flt: SubgraphFilter) -> str:
        parts = []
        if flt.since:
            parts.append("(r.valid_to IS NULL OR r.valid_to >= $since)")
        if flt.until:
            parts.append("(r.valid_from IS NULL OR r.valid_from <= $until)")
        if flt.network:
            parts.append("r.network = $network")
        if flt.runs is not None:
            parts.append("r.load_run IN $runs")
        if flt.agency is not None:
            parts.append("(toUpper(coalesce(r.handling, 'P')) <> 'C' OR r.originating_agency = $agency)")
        return " AND ".join(parts)

    def _node_condition(self, var: str, flt: SubgraphFilter) -> str:
        parts = [f"NOT {var}:{RUN_LABEL}"]
        if flt.labels:
            parts.append("(" + " OR ".join(f"{var}:{check_label(x)}" for x in flt.labels) + ")")
        if flt.network:
            parts.append(f"{var}.network = $network")
        if flt.agency is not None:
            parts.append(f"({var}.restricted_to IS NULL OR $agency IN {var}.restricted_to)")
        return " AND ".join(parts)

    def _expand(self, flt: SubgraphFilter, params: dict[str, Any]) -> tuple[list[str], dict[str, Any] | None]:
        """Breadth-first neighbourhood of ``flt.node_ids``: the ids, and when ``max_nodes``
        cut it, what was left out at the hop it stopped (``{"hop", "count", "by_kind"}``,
        counted by the ids' namespaces; further hops were not followed)."""
        seen: list[str] = []
        known: set[str] = set()
        start = self.read_all("MATCH (n) WHERE n.id IN $ids RETURN n.id AS id", {"ids": list(flt.node_ids or ())})
        frontier = [r["id"] for r in start]
        for node in frontier:
            known.add(node)
            seen.append(node)
        conditions = [c for c in (self._link_conditions(flt), self._node_condition("b", flt)) if c]
        where = " AND ".join(["a.id IN $frontier", *conditions])
        pattern = _type_pattern(flt.link_types)
        capped = False
        folded: dict[str, Any] | None = None
        for hop in range(1, flt.hops + 1):
            if not frontier:
                break
            # Anchored on each frontier node's label, so the engine finds them by its
            # id index (unlabelled, it scans every link of the types: 5 s on London).
            parents: dict[str, set[str]] = {}  # a node reached -> the frontier nodes it was reached from
            for label, ids in by_label(frontier).items():
                anchor = f"a:{check_label(label)}" if label else "a"
                cypher = f"MATCH ({anchor})-[r{pattern}]-(b) WHERE {where} RETURN DISTINCT a.id AS src, b.id AS id"
                for record in self.read_all(cypher, {**params, "frontier": ids}):
                    if record["id"] is not None and record["id"] not in known:
                        parents.setdefault(record["id"], set()).add(record["src"])
            frontier = []
            fresh = sorted(parents)
            room = len(fresh) if flt.max_nodes is None else max(flt.max_nodes - len(seen), 0)
            for node in fresh[:room]:
                known.add(node)
                seen.append(node)
                frontier.append(node)
            if room < len(fresh):
                capped = True
                left = fresh[room:]
                folded = {
                    "hop": hop,
                    "hops": flt.hops,
                    "count": len(left),
                    "by_kind": _kinds(left),
                    "groups": self._fold(flt, params, left, parents, prefix=f"{FOLD_PREFIX}{seen[0]}:"),
                }
                break
        return seen, folded if capped else None

    def _fold(
        self,
        flt: SubgraphFilter,
        params: dict[str, Any],
        left: list[str],
        parents: dict[str, set[str]],
        *,
        prefix: str,
    ) -> list[dict[str, Any]]:
        """The nodes a cap left out, in groups: people by their current organised crime
        group, else by their current or latest establishment (custody or post; see
        ``_home_rank``), everything else (and people past ``FOLD_LOOKUP_MAX``) by kind.
        The grouping reads those links whatever link types the map follows: it
        describes the nodes, as the reader may see them. Each group: ``{id, by, key, name, count,
        by_kind, reached_from, links}``: ``reached_from`` how many drawn nodes its members
        were reached from, ``links`` the ``FOLD_LINKS_MAX`` of them with most members and
        how many each; the largest ``FOLD_GROUPS_MAX`` groups, the rest as one.
        Group ids are ``prefix`` and a number (a map's expansions keep theirs apart)."""
        people = [n for n in left[:FOLD_LOOKUP_MAX] if label_for_id(n) == "Person"]
        home: dict[str, tuple[str, str, str]] = {}  # node -> (by, key, name)
        if people:  # one read: custody, posts and memberships of the people left out
            conditions = ["n.id IN $ids", self._node_condition("g", flt), self._link_conditions(flt)]
            where = " AND ".join(c for c in conditions if c)
            # The far end unlabelled: with `(g:Establishment)` FalkorDB starts from the
            # prisons and walks every custody link (0.33 s for 3,600 people, against 0.04 s).
            rows = self.read_all(
                f"MATCH (n:Person)-[r:HELD_AT|EMPLOYED_AT|MEMBER_OF]->(g) WHERE {where} "
                "RETURN n.id AS id, g.id AS key, g.name AS name, labels(g) AS labels, "
                "coalesce(r.valid_to, r.to) AS until, coalesce(r.valid_from, r.from, r.since) AS since",
                {**params, "ids": people},
            )
            today = date.today().isoformat()
            for row in sorted((r for r in rows if {"Establishment", "OCG"} & set(r["labels"])), key=_home_rank(today)):
                by = "ocg" if "OCG" in row["labels"] else "establishment"
                home[row["id"]] = (by, str(row["key"]), str(row["name"] or row["key"]))  # the last wins
        members: dict[tuple[str, str, str], list[str]] = {}
        for node in left:
            kind = _kind(node)
            members.setdefault(home.get(node, ("kind", kind, kind)), []).append(node)
        ranked = sorted(members.items(), key=lambda item: (-len(item[1]), item[0]))
        if len(ranked) > FOLD_GROUPS_MAX:
            rest = [n for _, nodes in ranked[FOLD_GROUPS_MAX - 1 :] for n in nodes]
            ranked = [*ranked[: FOLD_GROUPS_MAX - 1], (("other", "other", "other groups"), rest)]
        groups = []
        for number, ((by, key, name), nodes) in enumerate(ranked, start=1):
            links: dict[str, int] = {}
            for node in nodes:
                for parent in parents.get(node, ()):
                    links[parent] = links.get(parent, 0) + 1
            groups.append(
                {
                    "id": f"{prefix}{number}",
                    "by": by,
                    "key": key,
                    "name": name,
                    "count": len(nodes),
                    "by_kind": _kinds(nodes),
                    "reached_from": len(links),
                    "links": sorted(links.items(), key=lambda item: (-item[1], item[0]))[:FOLD_LINKS_MAX],
                }
            )
        return groups

    @paused_gc()
    def subgraph(self, flt: SubgraphFilter | None = None) -> nx.MultiDiGraph:
        """Extract part of the graph as a NetworkX ``MultiDiGraph``.

        Node keys are node ids; node attributes are the stored properties plus
        ``labels`` (sorted list). Edge keys are ``"<TYPE>"`` or ``"<TYPE>#<n>"`` for
        several links of one type between one ordered pair; edge attributes are the
        stored properties plus ``type`` (without ``event_ids`` unless asked for).
        ``graph.graph["capped"]`` says whether ``max_nodes`` cut the expansion.
        """
        flt = flt or SubgraphFilter()
        params: dict[str, Any] = {"since": flt.since, "until": flt.until, "network": flt.network, "agency": flt.agency}
        params = {k: v for k, v in params.items() if v is not None}
        if flt.runs is not None:
            return self._changed(flt, {**params, "runs": list(flt.runs)})
        capped = False
        node_where = self._node_condition("n", flt)
        reads: list[tuple[str, dict[str, Any]]] = []
        folded: dict[str, Any] | None = None
        returned = "RETURN n.id AS id, labels(n) AS labels, " + _columns("n", flt.node_properties)
        if flt.node_ids is not None:
            ids, folded = self._expand(flt, params)
            capped = folded is not None
            where = " AND ".join(x for x in ("n.id IN $ids", node_where) if x)
            for label, group in by_label(ids).items():  # by each label's id index
                anchor = f"n:{check_label(label)}" if label else "n"
                reads.append((f"MATCH ({anchor}) WHERE {where} {returned}", {**params, "ids": group}))
        else:
            node_cypher = "MATCH (n) " + (f"WHERE {node_where} " if node_where else "") + returned
            if flt.max_nodes is not None:
                node_cypher += " ORDER BY id LIMIT $max_nodes"
                params["max_nodes"] = flt.max_nodes
            reads.append((node_cypher, params))
        graph: nx.MultiDiGraph = nx.MultiDiGraph()
        for text, given in reads:
            graph.add_nodes_from(
                (record["id"], {**_props(record, flt.node_properties, flt.unread), "labels": sorted(record["labels"])})
                for record in self.read_all(text, given)
            )
        if flt.max_nodes is not None and flt.node_ids is None:
            capped = graph.number_of_nodes() >= flt.max_nodes
        graph.graph["capped"] = capped
        if folded is not None:
            graph.graph["folded"] = folded
        if graph.number_of_nodes() == 0:
            return graph
        conditions = [c for c in (self._node_condition("a", flt), self._node_condition("b", flt)) if c]
        link_condition = self._link_conditions(flt)
        if link_condition:
            conditions.append(link_condition)
        if flt.node_ids is None:
            for type_name, records in self._link_records(flt, conditions, params):
                self._add_links(graph, type_name, records, flt)
            return graph
        conditions.append("a.id IN $src")
        if graph.number_of_nodes() <= FAR_END_CHECK_MAX:
            params["ids"] = list(graph.nodes)
            conditions.append("b.id IN $ids")
        for label, group in by_label(list(graph.nodes)).items():  # each link once, from its source's label
            for type_name, records in self._link_records(flt, conditions, {**params, "src": group}, anchor=label):
                self._add_links(graph, type_name, records, flt)
        return graph

    def _changed(self, flt: SubgraphFilter, params: dict[str, Any]) -> nx.MultiDiGraph:
        """What the runs in ``params["runs"]`` wrote (see ``SubgraphFilter.runs``)."""
        node_where = " AND ".join([self._node_condition("n", flt), "n.load_run IN $runs"])
        graph: nx.MultiDiGraph = nx.MultiDiGraph(capped=False)
        present = self._present()
        for label in [n.label for n in NODE_TYPES if n.label in present["labels"]]:  # one per node, by its index
            graph.add_nodes_from(
                (record["id"], {**_props(record, None, flt.unread), "labels": sorted(record["labels"])})
                for record in self.read_all(
                    f"MATCH (n:{check_label(label)}) WHERE {node_where} "
                    "RETURN n.id AS id, labels(n) AS labels, properties(n) AS props",
                    params,
                )
            )
        conditions = [self._link_conditions(flt)]
        for type_name in present["types"]:  # each type by its own index
            if flt.link_types and type_name not in flt.link_types:
                continue
            one = replace(flt, link_types=(type_name,))
            for kind, records in self._link_records(one, conditions, params, whole_graph=True):
                for record in records:
                    for end in (record["src"], record["dst"]):
                        if end not in graph:
                            graph.add_node(end)
                self._add_links(graph, kind, records, one)
        return graph

    def _link_records(
        self,
        flt: SubgraphFilter,
        conditions: list[str],
        params: dict[str, Any],
        *,
        whole_graph: bool | None = None,
        anchor: str | None = None,
    ):
        """(type, records) per query. For a whole-graph extraction the aggregated types
        are read by their own property columns, so their event id lists stay in the
        store; a neighbourhood reads few links and takes them whole."""
        wanted = [t.type for t in LINK_TYPES if t.aggregated and (not flt.link_types or t.type in flt.link_types)]
        if whole_graph is None:
            whole_graph = flt.node_ids is None
        whole_graph = whole_graph and not flt.event_ids
        by_columns: dict[str, list[str]] = {}
        if whole_graph and flt.link_properties is None:
            for t in wanted:
                keys = self._link_keys(t, flt.runs)
                if keys is not None:  # an aggregated type declares no key
                    by_columns[t] = [k for k in keys if k not in flt.unread]
        if not flt.link_types or set(flt.link_types) - set(by_columns):
            others = [*conditions, "NOT type(r) IN $column_types"] if by_columns else conditions
            where = f"WHERE {' AND '.join(others)} " if others else ""
            source = f"a:{check_label(anchor)}" if anchor else "a"
            cypher = (
                f"MATCH ({source})-[r{_type_pattern(flt.link_types)}]->(b) {where}"
                f"RETURN a.id AS src, b.id AS dst, type(r) AS type, {_columns('r', flt.link_properties)}"
            )
            yield None, self.read_all(cypher, {**params, "column_types": sorted(by_columns)})
        for type_name, keys in sorted(by_columns.items()):
            where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
            columns = "".join(f", r.`{key}` AS `{key}`" for key in keys)
            source = f"a:{check_label(anchor)}" if anchor else "a"
            cypher = (
                f"MATCH ({source})-[r:{link_type(type_name).type}]->(b) {where}RETURN a.id AS src, b.id AS dst{columns}"
            )
            yield type_name, self.read_all(cypher, params)

    def _link_keys(self, type_name: str, runs: Sequence[str] | None = None) -> list[str] | None:
        """Property names stored on links of an aggregated type (those ``runs`` wrote,
        when given), without the event ids; None when a name is not a plain identifier
        (then the type is read whole)."""
        if runs is None:
            found = self.read_internal("link-property-keys", type=type_name)
        else:
            found = self.read_internal("link-property-keys-of-runs", {"runs": list(runs)}, type=type_name)
        keys = sorted(r["key"] for r in found if r["key"] != EVENT_IDS)
        if not all(_PLAIN_NAME.fullmatch(k) and k not in ("src", "dst") for k in keys):
            return None
        return keys

    @staticmethod
    def _add_links(
        graph: nx.MultiDiGraph, type_name: str | None, records: list[dict[str, Any]], flt: SubgraphFilter
    ) -> None:
        unread: dict[str, frozenset[str]] = {}  # per type: flt.unread less its declared key
        skipped = flt.unread if flt.event_ids else flt.unread | {EVENT_IDS}
        for record in records:
            src, dst = record.pop("src"), record.pop("dst")
            if src not in graph or dst not in graph:
                continue  # an endpoint cut by max_nodes
            if type_name is None:
                kind = intern(record.pop("type"))
                if kind not in unread:
                    unread[kind] = skipped - set(link_key(kind))
                props = _props(record, None if "props" in record else tuple(record), unread[kind])
            else:
                kind, props = type_name, {k: share(v) for k, v in record.items() if v is not None}
            props["type"] = kind
            add_link(graph, src, dst, kind, props)

    # -- helpers ----------------------------------------------------------------------
    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

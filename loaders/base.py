"""What every file loader shares: row errors, references, duplicate detection, helpers.

A file loader module (``loaders/prisoners.py`` ...) provides

* ``CONTRACT``: its :class:`~loaders.contract.FileContract`;
* ``transform(row: SourceRow) -> model | Excluded``: pure, raises :class:`RowError`;
  the model (a dataclass) says which nodes it needs (``refs()``), which keys identify
  it for duplicate detection (``keys()``) and which nodes it creates (``defines()``);
* ``load(store, models, run, ctx)``: writes one batch through the store port, each
  statement one ``UNWIND`` (atomic);
* optionally ``GATHER_CHUNKS`` (how many chunks one write may gather) and
  ``prepare(models)`` (pure: shapes the rows for ``load``, which then receives its
  result; it runs on the reading thread while the previous write is in flight).

:func:`loaders.runner.load_file` ties them together: read -> transform -> reference
check -> duplicate check -> load, chunk by chunk.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from graph_service.grading import OFFICIAL_GRADING
from graph_service.schema import PERSON_NAMESPACES
from graph_service.store import GraphStore, LoadRun
from loaders import normalise as norm
from loaders.contract import GRADING, FileContract
from loaders.csvsource import SourceRow


class RowError(ValueError):
    """A row that breaks the contract: which column, its value, why.

    ``kind`` classifies the reason in the report (missing, invalid, unknown_reference,
    conflicting_duplicate, malformed).
    """

    def __init__(self, column: str, value: str, reason: str, kind: str = "invalid"):
        super().__init__(reason)
        self.column = column
        self.value = value
        self.reason = reason
        self.kind = kind


@dataclass(frozen=True)
class Excluded:
    """A row deliberately not loaded (privileged call, exact duplicate...).

    ``refs``: nodes the row names; an unknown one still makes the row a reject
    (written with ``withheld`` instead of its value when the row is confidential).
    """

    reason: str
    refs: tuple[Ref, ...] = ()
    withheld: bool = False


class Ref(NamedTuple):
    """A node a row needs to exist (in this load or already in the store)."""

    column: str
    value: str
    label: str
    node_id: str


class Key(NamedTuple):
    """An identity of a row for duplicate detection: same ``key`` with other ``values`` conflicts."""

    name: str
    key: tuple[Any, ...]
    values: Mapping[str, Any]


# -- cell helpers (used by the pure transforms) -----------------------------------------
def required(row: SourceRow, column: str) -> str:
    value = row.values.get(column)
    value = value.strip() if value else ""
    if not value:
        raise RowError(column, "", f"missing required value for {column}", "missing")
    return value


def optional(row: SourceRow, column: str) -> str | None:
    value = row.values.get(column)
    return (value.strip() or None) if value else None


def parse(row: SourceRow, column: str, fn: Callable[[str], Any], *, need: bool = False) -> Any:
    """Parse a cell with ``fn``; empty optional cells give ``None``."""
    text = row.values.get(column)  # required()/optional() inlined: called for every cell
    text = text.strip() if text else ""
    if not text:
        if need:
            raise RowError(column, "", f"missing required value for {column}", "missing")
        return None
    try:
        return fn(text)
    except norm.ValueProblem as problem:
        raise RowError(column, text, str(problem), "invalid") from None


def date_period(row: SourceRow, start: str, end: str) -> tuple[str, str | None]:
    """The dates in columns ``start`` (required) and ``end`` (may be empty; never before ``start``)."""
    begin = parse(row, start, norm.iso_date, need=True)
    finish = parse(row, end, norm.iso_date)
    if finish is not None and finish < begin:
        raise RowError(end, finish, f"{end} {finish} is before {start} {begin}")
    return begin, finish


# One read-only mapping per distinct grading, shared by the rows that carry it.
_GRADINGS: dict[tuple[tuple[str, str], ...], Mapping[str, str]] = {}
GRADINGS_MAX = 10_000


def grading(row: SourceRow, contract: FileContract) -> Mapping[str, str]:
    """The row's 3x5x2 grading, each given value validated, gaps from the file default
    (read-only: rows with the same grading share one mapping)."""
    result = dict(contract.default_grading)
    if contract.graded:
        for column in GRADING:
            value = optional(row, column)
            if value is not None:
                result[column] = parse(row, column, lambda v, c=column: norm.grading_value(c, v))
    key = tuple(result.items())
    shared = _GRADINGS.get(key)
    if shared is None:
        if len(_GRADINGS) >= GRADINGS_MAX:
            _GRADINGS.clear()  # free-text handling conditions: forgetting only costs sharing
        shared = _GRADINGS[key] = MappingProxyType(result)
    return shared


_EXTRA_NAME = re.compile(r"[^a-z0-9_]+")


def extras(row: SourceRow, contract: FileContract) -> dict[str, str]:
    """Columns outside the contract, kept as properties (names made identifier-safe)."""
    known = set(contract.columns)
    out = {}
    for column, value in row.values.items():
        if column in known or not column:
            continue
        value = norm.clean(value)
        if value:
            out[_EXTRA_NAME.sub("_", column).strip("_") or "extra"] = value
    return out


def check_width(row: SourceRow) -> None:
    if row.width_problem:
        raise RowError("", "", row.width_problem, "malformed")


def person_id(namespace: str, identifier: str) -> str:
    return f"{namespace}:{identifier}"


def subject_ref(row: SourceRow, type_column: str, id_column: str, allowed: tuple[str, ...]) -> tuple[str, Ref]:
    """A subject given as (type, id) columns: returns (node id, reference to check).

    Phones are normalised (their node is created on demand, a number identifies itself).
    """
    subject_type = parse(row, type_column, lambda v: norm.choice(v, allowed, type_column, lower=True), need=True)
    raw = required(row, id_column)
    if subject_type == "phone":
        number = parse(row, id_column, norm.phone, need=True)
        return f"phone:{number}", Ref(id_column, raw, "Phone", f"phone:{number}")
    if subject_type == "ocg":
        return f"ocg:{raw}", Ref(id_column, raw, "OCG", f"ocg:{raw}")
    nid = person_id(subject_type, raw.upper() if subject_type == "prisoner" else raw)
    return nid, Ref(id_column, raw, "Person", nid)


def drop_none(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None}


def link_props(
    source: str,
    source_ref: str,
    grading_values: Mapping[str, str],
    valid_from: str | None,
    valid_to: str | None,
    **extra: Any,
) -> dict[str, Any]:
    return drop_none(
        {
            "source": source,
            "source_ref": source_ref,
            **grading_values,
            "valid_from": valid_from,
            "valid_to": valid_to,
            **extra,
        }
    )


# -- writes shared by several loaders ---------------------------------------------------
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
    store: GraphStore, numbers: Iterable[str], source: str, run: LoadRun, known: set[str] | None = None
) -> int:
    """Merge Phone nodes; ``known`` (node ids already written by this load) are skipped
    and the new ones added to it (call records repeat the same numbers batch after batch)."""
    unique = sorted({n for n in numbers if known is None or f"phone:{n}" not in known})
    if not unique:
        return 0
    rows = [{"id": f"phone:{n}", "props": {"number": n, "source": source}} for n in unique]
    written = store.upsert_nodes("Phone", rows, run)
    if known is not None:
        if len(known) > KNOWN_PHONES_MAX:
            known.clear()  # bounded memory: forgetting only costs a repeated MERGE
        known.update(row["id"] for row in rows)
    return written


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


# -- loader context: known nodes and duplicate detection --------------------------------
# Most ids of one label read from the store in one go for the reference checks of a
# file (a read waits for the write in flight; a per-chunk lookup would stall the load).
PRELOAD_MAX = 500_000


class KnownNodes:
    """Node ids known to exist: created by this load, or found in the store.

    The first time a file refers to a label's node this load has not created, every
    id of that label in the store is read at once (when there are at most
    :data:`PRELOAD_MAX`): the file's later checks need no store round trip, and an id
    not there is unknown. Larger labels are looked up chunk by chunk instead.
    """

    def __init__(self, store: GraphStore):
        self.store = store
        self.ids: dict[str, set[str]] = defaultdict(set)
        self._complete: set[str] = set()  # labels whose store ids are all in ``ids``
        self._tried: set[str] = set()

    def add(self, label: str, ids: Iterable[str]) -> None:
        self.ids[label].update(ids)

    def new_file(self) -> None:
        """Forget which labels were read whole (another writer may have added nodes since)."""
        self._complete.clear()
        self._tried.clear()

    def unknown(self, refs: Iterable[Ref]) -> set[tuple[str, str]]:
        """The (label, id) pairs among ``refs`` that exist neither in this load nor in the store."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for ref in refs:
            if ref.label == "Phone":
                continue  # numbers are created on demand
            if ref.node_id not in self.ids[ref.label]:
                wanted[ref.label].add(ref.node_id)
        missing: set[tuple[str, str]] = set()
        for label, ids in wanted.items():
            if label not in self._tried:
                self._read_whole(label)
            if label in self._complete:
                known = self.ids[label]
                missing.update((label, i) for i in ids if i not in known)
            else:
                missing.update((label, i) for i in ids - self._look_up(label, ids))
        return missing

    def _read_whole(self, label: str) -> None:
        self._tried.add(label)
        total = self.store.read_internal("label-node-count", label=label)
        if total and int(total[0]["n"]) <= PRELOAD_MAX:
            self.ids[label].update(r["id"] for r in self.store.read_internal("label-node-ids", label=label))
            self._complete.add(label)

    def _look_up(self, label: str, ids: set[str]) -> set[str]:
        found: set[str] = set()
        ordered = sorted(ids)
        for start in range(0, len(ordered), 5000):
            records = self.store.read_internal(
                "label-node-ids-present", {"ids": ordered[start : start + 5000]}, label=label
            )
            found.update(r["id"] for r in records)
        self.ids[label].update(found)
        return found


# Page cache of a spilled duplicate index (KiB): lookups and inserts stay in memory
# for a London-sized file, and the bound holds at national scale.
SPILL_CACHE_KB = 65_536


class DuplicateIndex:
    """Keys seen in this load: in memory up to ``memory_keys`` keys, then on disk.

    Each key keeps the first row's line and normalised values; a later row with the same
    key and the same values is an exact duplicate, with other values a conflict. Past
    ``memory_keys`` keys (a national-size calls file) the index moves to SQLite in a
    temporary file, so memory stays bounded whatever the size of the input. Keys belong
    to one file: the runner resets the index for each file. In memory a
    key costs about 200 bytes: its line and values packed in one string, the column
    names kept once per kind of key.
    """

    def __init__(self, memory_keys: int = 200_000) -> None:
        self.memory_keys = memory_keys
        self.memory: dict[int, str] | None = {}
        self.db: sqlite3.Connection | None = None
        self.path: str | None = None
        self._columns: dict[str, tuple[str, ...]] = {}

    @staticmethod
    def _hash(file: str, key: Key) -> int:
        return hash((file, key.name, key.key))

    def encode(self, key: Key) -> str:
        """The key's values as text: the values alone when its columns are the usual
        ones for its kind of key, else ``*`` and the (column, value) pairs."""
        values = key.values
        columns = tuple(values)
        usual = self._columns.setdefault(key.name, columns)
        if columns == usual:
            return repr(tuple(values.values()))
        return "*" + repr(tuple(values.items()))

    def decode(self, name: str, encoded: str) -> dict[str, Any]:
        if encoded.startswith("*"):
            return dict(ast.literal_eval(encoded[1:]))
        return dict(zip(self._columns[name], ast.literal_eval(encoded)))

    def _spill(self) -> None:
        handle, self.path = tempfile.mkstemp(prefix="marsoc-dedupe-", suffix=".sqlite")
        os.close(handle)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(f"PRAGMA cache_size=-{SPILL_CACHE_KB}")
        self.db.execute("CREATE TABLE seen (k INTEGER PRIMARY KEY, line INTEGER, v TEXT)")
        assert self.memory is not None
        self.db.executemany(
            "INSERT INTO seen (k, line, v) VALUES (?, ?, ?)",
            ((k, *_unpack(packed)) for k, packed in self.memory.items()),
        )
        self.memory = None

    def lookup(self, hashes: Sequence[int]) -> dict[int, tuple[int, str]]:
        """``{hash: (line, encoded values)}`` of the given hashes already seen."""
        if self.memory is not None:
            memory = self.memory
            return {h: _unpack(memory[h]) for h in hashes if h in memory}
        assert self.db is not None
        found: dict[int, tuple[int, str]] = {}
        unique = list(set(hashes))
        for start in range(0, len(unique), 900):
            part = unique[start : start + 900]
            marks = ",".join("?" * len(part))
            for k, line, v in self.db.execute(f"SELECT k, line, v FROM seen WHERE k IN ({marks})", part):
                found[k] = (line, v)
        return found

    def add(self, items: Sequence[tuple[int, int, str]]) -> None:
        """Remember ``(hash, line, encoded values)``; a hash already seen keeps its first row."""
        if self.memory is not None:
            memory = self.memory
            for h, line, encoded in items:
                if h not in memory:
                    memory[h] = f"{line} {encoded}"
            if len(memory) > self.memory_keys:
                self._spill()
            return
        assert self.db is not None
        self.db.executemany("INSERT OR IGNORE INTO seen (k, line, v) VALUES (?, ?, ?)", items)

    def close(self) -> None:
        self.memory = None
        if self.db is not None:
            self.db.close()
            self.db = None
        if self.path:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            self.path = None

    def reset(self) -> None:
        """Forget every key (a new file: keys never match across files)."""
        self.close()
        self.memory = {}
        self._columns = {}


def _unpack(packed: str) -> tuple[int, str]:
    line, encoded = packed.split(" ", 1)
    return int(line), encoded


def conflict_column(first: Mapping[str, Any], second: Mapping[str, Any]) -> str:
    for column in sorted(set(first) | set(second)):
        if first.get(column) != second.get(column):
            return column
    return ""


@dataclass
class LoaderContext:
    """State one load shares between its files."""

    store: GraphStore
    known: KnownNodes
    duplicates: DuplicateIndex
    # Phone and Postcode ids this load has already merged (so repeats are not sent
    # again). Kept apart from ``known``, which the reference check fills before the
    # chunk defining them is written.
    written: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def person_props(
    namespace: str,
    source_id: str,
    surname: str,
    forenames: str,
    source: str,
    source_ref: str,
    **others: Any,
) -> dict[str, Any]:
    """The properties of a Person node as docs/graph-model.md lists them."""
    return drop_none(
        {
            **others,
            "namespace": namespace,
            "source_id": source_id,
            "surname": norm.display(surname),
            "forenames": norm.display(forenames),
            "name": norm.full_name(forenames, surname),
            "name_key": norm.name_key(forenames, surname),
            "source": source,
            "source_ref": source_ref,
        }
    )


def merge_row(rows: dict[str, dict[str, Any]], node_id: str, props: Mapping[str, Any]) -> None:
    """Collect one node's properties over the rows of a batch: a later row's values win,
    a value a later row leaves empty is kept from an earlier one."""
    entry = rows.get(node_id)
    if entry is None:
        rows[node_id] = {"id": node_id, "props": dict(props)}
    else:
        entry["props"].update(props)


def establishment_ref(
    row: SourceRow, column: str = "establishment_code", need: bool = True
) -> tuple[str | None, Ref | None]:
    code = required(row, column) if need else optional(row, column)
    if code is None:
        return None, None
    return code, Ref(column, code, "Establishment", f"establishment:{code}")


def refresh_prisoners(store: GraphStore, ids: Iterable[str]) -> None:
    """``in_custody`` (an open custody period) and ``establishment`` (of the latest period)
    computed from every HELD_AT period in the store, so later exports update them."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), 5000):
        store.write_internal("prisoners-refresh", {"ids": ids[start : start + 5000]})


def refresh_staff(store: GraphStore, ids: Iterable[str]) -> None:
    """``role`` and ``establishment`` of a member of staff from the latest post
    (an open post first)."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), 5000):
        store.write_internal("staff-refresh", {"ids": ids[start : start + 5000]})

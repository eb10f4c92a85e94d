"""The graph store port and its adapters; :func:`open_store` picks one from settings."""

from __future__ import annotations

from graph_service.settings import Settings
from graph_service.store.port import (
    BadParameter,
    GraphStore,
    LoadRun,
    QueryResult,
    QueryTimeout,
    ReadOnlyViolation,
    StoreError,
    StoreVersion,
    SubgraphFilter,
)


def open_store(settings: Settings, *, ensure_schema: bool = True) -> GraphStore:
    """Open the store the settings name (``embedded``, ``falkordb`` or ``neo4j``)."""
    options = dict(
        query_timeout_s=settings.query_timeout_s,
        row_cap=settings.row_cap,
        batch_size=settings.batch_size,
    )
    store: GraphStore
    if settings.store == "embedded":
        from graph_service.store.falkordb_store import FalkorDBStore

        store = FalkorDBStore.embedded(
            settings.embedded_db_path,
            settings.graph_name,
            socket_timeout_s=settings.socket_timeout_s,
            threads=settings.engine_threads or settings.console_total + 4,
            **options,
        )
    elif settings.store == "falkordb":
        from graph_service.store.falkordb_store import FalkorDBStore

        assert settings.falkordb_url  # checked by Settings
        store = FalkorDBStore.server(
            settings.falkordb_url, settings.graph_name, socket_timeout_s=settings.socket_timeout_s, **options
        )
    else:
        from graph_service.store.neo4j_store import Neo4jStore

        assert settings.neo4j_uri and settings.neo4j_password  # checked by Settings
        store = Neo4jStore.connect(
            settings.neo4j_uri,
            (settings.neo4j_user, settings.neo4j_password),
            settings.neo4j_database,
            **options,
        )
    if ensure_schema:
        try:
            store.ensure_schema()
        except BaseException:
            store.close()
            raise
    return store


__all__ = [
    "BadParameter",
    "GraphStore",
    "LoadRun",
    "QueryResult",
    "QueryTimeout",
    "ReadOnlyViolation",
    "StoreError",
    "StoreVersion",
    "SubgraphFilter",
    "open_store",
]

"""Store contract fixtures: one ``store`` per adapter.

The embedded FalkorDB store always runs. The Neo4j adapter runs when ``NEO4J_URI`` is
set (with ``NEO4J_USER``/``NEO4J_PASSWORD``), and a FalkorDB server when
``FALKORDB_URL`` is set; otherwise those cases are skipped with the reason shown in
the test summary.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_service.settings import load_settings
from graph_service.store import GraphStore, open_store

ADAPTERS = ("embedded", "falkordb", "neo4j")


def _settings(adapter: str, data_dir: Path):
    if adapter == "embedded":
        return load_settings(store="embedded", data_dir=data_dir)
    if adapter == "falkordb":
        url = os.environ.get("FALKORDB_URL")
        if not url:
            pytest.skip("FalkorDB server adapter not tested: FALKORDB_URL is not set")
        return load_settings(store="falkordb", falkordb_url=url, data_dir=data_dir, graph_name="marsoc_test")
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("Neo4j adapter not tested: NEO4J_URI is not set (see README, 'Running against Neo4j')")
    return load_settings(
        store="neo4j",
        neo4j_uri=uri,
        neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
        neo4j_password=os.environ.get("NEO4J_PASSWORD", "password"),
        neo4j_database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        data_dir=data_dir,
    )


@pytest.fixture(scope="module", params=ADAPTERS)
def shared_store(request, tmp_path_factory) -> Iterator[GraphStore]:
    settings = _settings(request.param, tmp_path_factory.mktemp(f"store-{request.param}"))
    store = open_store(settings)
    yield store
    store.close()


@pytest.fixture
def store(shared_store: GraphStore) -> Iterator[GraphStore]:
    """A clean store for each test (every node and link deleted first)."""
    shared_store.delete_all()
    yield shared_store

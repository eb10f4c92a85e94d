"""Fixtures of the loaders' tests: a real embedded FalkorDB store (no mocks).

Contract CSV fixtures live in ``loaderdata.py`` (imported by the tests by that name, so
they never clash with another folder's ``conftest``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph_service.settings import load_settings
from graph_service.store import GraphStore, LoadRun, open_store


@pytest.fixture(scope="session")
def shared_store(tmp_path_factory) -> Iterator[GraphStore]:
    store = open_store(load_settings(data_dir=tmp_path_factory.mktemp("loaders-store")))
    yield store
    store.close()


@pytest.fixture
def store(shared_store: GraphStore) -> Iterator[GraphStore]:
    """A clean store per test (every node and link deleted first)."""
    shared_store.delete_all()
    saved = shared_store.batch_size
    yield shared_store
    shared_store.batch_size = saved


@pytest.fixture
def run() -> LoadRun:
    return LoadRun("test-run", now="2026-01-01T00:00:00+00:00")

"""Fixtures of the API tests: the real app over the real embedded store, no mocks.

The sample graph (tests/api/sample_graph.py) is written into a fresh data folder; the
app opens that store in its lifespan, as in production. The named-query library is a
small real one written into tmp (one of its queries tries to write).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sample_graph import PASSWORD, build_data_dir, sample_library

from graph_service.api.app import create_app
from graph_service.settings import Settings


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory) -> Settings:
    return build_data_dir(tmp_path_factory.mktemp("api-data"))


@pytest.fixture(scope="session")
def library_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cypher")
    sample_library(root)
    return root


JUSTIFICATION = "Op TESTBED, checks of the service"


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """The Authorization header of a bearer token for ``username``."""
    found = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert found.status_code == 200, found.text
    return {"Authorization": f"Bearer {found.json()['access_token']}", "X-Justification": JUSTIFICATION}


@pytest.fixture(scope="module")
def anonymous(sample_settings: Settings, library_root: Path) -> Iterator[TestClient]:
    """The real app, no one signed in."""
    app = create_app(sample_settings)
    with TestClient(app) as test_client:
        app.state.store.library = sample_library(library_root)
        yield test_client


@pytest.fixture(scope="module")
def client(sample_settings: Settings, library_root: Path) -> Iterator[TestClient]:
    """The real app with a police analyst signed in (a bearer token on every request)."""
    app = create_app(sample_settings)
    with TestClient(app) as test_client:
        app.state.store.library = sample_library(library_root)
        test_client.headers.update(sign_in(test_client, "analyst.police"))
        yield test_client

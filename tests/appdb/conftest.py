"""The application database on a real SQLite file always, and on a real PostgreSQL
when ``MARSOC_TEST_PG_URL`` names one (``.ci/run`` starts one and sets it)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from graph_service.appdb import AppDB, open_app_db

PG_URL = os.environ.get("MARSOC_TEST_PG_URL")
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def _fresh_pg(url: str) -> str:
    """An empty public schema in the test database (its tables belong to the tests)."""
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
        connection.execute(text("DROP FUNCTION IF EXISTS marsoc_audit_append_only() CASCADE"))
    engine.dispose()
    return url


@pytest.fixture(params=ENGINES)
def db(request, tmp_path) -> Iterator[AppDB]:
    if request.param == "postgresql":
        if not PG_URL:
            if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
                pytest.fail("MARSOC_TEST_PG_URL is not set under CI: .ci/run starts PostgreSQL and sets it")
            pytest.skip("PostgreSQL not tested: MARSOC_TEST_PG_URL is not set (see README, 'Tests')")
        opened = open_app_db(url=_fresh_pg(PG_URL))
    else:
        opened = open_app_db(url=f"sqlite:///{tmp_path / 'app.sqlite'}")
    try:
        yield opened
    finally:
        opened.close()

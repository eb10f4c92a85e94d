"""Opening the application database and bringing its schema up to date."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def app_db_url(settings: Any) -> str:
    """``MARSOC_APP_DB_URL``, or the SQLite file in ``DATA_DIR``."""
    if settings.app_db_url:
        return str(settings.app_db_url)
    return f"sqlite:///{Path(settings.app_db_path).resolve()}"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not wait for the writer
    cursor.execute("PRAGMA synchronous=FULL")  # an audit record is on disk once written
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class AppDB:
    """The engine and a session factory; :meth:`session` is one transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on an error."""
        with self._sessions.begin() as session:
            yield session

    def upgrade(self) -> None:
        """Bring the schema to Alembic's latest revision."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()


def open_app_db(settings: Any = None, *, url: str | None = None, upgrade: bool = True) -> AppDB:
    """Open the application database the settings name (or ``url``), upgraded to the
    latest schema unless ``upgrade`` is false."""
    url = url or app_db_url(settings)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name != "postgresql":
        engine.dispose()
        raise ValueError(f"MARSOC_APP_DB_URL must name SQLite or PostgreSQL, not {engine.dialect.name}")
    db = AppDB(engine)
    if upgrade:
        try:
            db.upgrade()
        except BaseException:
            db.close()
            raise
    return db

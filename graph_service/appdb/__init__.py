"""The application database: users, the consultation audit log (and, later, the hub's
plans), kept apart from the intelligence graph.

SQLite in ``DATA_DIR`` by default (``marsoc-app.sqlite``), PostgreSQL when
``MARSOC_APP_DB_URL`` names one. SQLAlchemy 2 for the mapping and the queries, Alembic
for the schema (``migrations/``): :func:`open_app_db` upgrades the database to the
latest revision before handing it out.
"""

from graph_service.appdb.db import AppDB, app_db_url, open_app_db

__all__ = ["AppDB", "app_db_url", "open_app_db"]

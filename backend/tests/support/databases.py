"""Throw-away databases on the test server, each dropped when the run ends.

Every run gets its own uniquely named databases, so two runs (or a run beside `make run` on
the embedded server) never see each other's rows, and a run leaves nothing behind.
"""

import os
import secrets
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import URL

from src.core.settings import REPO_ROOT
from src.db.embedded import embedded_server_url
from src.db.urls import normalize_database_url

BACKEND_DIR = Path(__file__).resolve().parents[2]


def test_server_url() -> URL:
    """TEST_DATABASE_URL's server when set, else the embedded pgserver (started on demand)."""
    raw = os.environ.get("TEST_DATABASE_URL")
    if raw:
        return normalize_database_url(raw)
    return embedded_server_url(REPO_ROOT / ".pgdata")


def alembic_config(database_url: URL | None = None) -> Config:
    config = Config(str(BACKEND_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(BACKEND_DIR / "alembic"))
    config.attributes["configure_logging"] = False
    if database_url is not None:
        config.attributes["database_url"] = database_url.render_as_string(hide_password=False)
    return config


def upgrade(database_url: URL, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


class Databases:
    def __init__(self, server_url: URL) -> None:
        self.server_url = server_url
        self._admin = create_engine(
            server_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool
        )
        self._prefix = f"taskapi_test_{os.getpid()}_{secrets.token_hex(3)}"
        self._created: list[str] = []

    def create(self, template: URL | None = None, encoding: str | None = None) -> URL:
        """An empty database, or a copy of `template` (which must have no open connection);
        with `encoding` (e.g. SQL_ASCII), an empty one in that encoding and the C locale."""
        name = f"{self._prefix}_{len(self._created)}"
        sql = f'CREATE DATABASE "{name}"'
        if template is not None:
            sql += f' TEMPLATE "{template.database}"'
        elif encoding is not None:
            sql += f" TEMPLATE template0 ENCODING '{encoding}' LOCALE 'C'"
        with self._admin.connect() as conn:
            conn.execute(text(sql))
        self._created.append(name)
        return self.server_url.set(database=name)

    def drop(self, url: URL) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))

    def drop_all(self) -> None:
        for name in self._created:
            self.drop(self.server_url.set(database=name))
        self._admin.dispose()

"""The zero set-up database: a real PostgreSQL server from the `pgserver` wheel.

Used when DATABASE_URL is unset. Its data lives in a git-ignored folder of the repository, so
a newcomer's tasks survive a restart. pgserver shares one server between the processes that
ask for it (the API's workers, `alembic`, the tests) and stops it when the last one exits.
It listens on a Unix socket only, so it never collides with a server on port 5432.
"""

import logging
import warnings
from pathlib import Path

from sqlalchemy import column, create_engine, exists, select, table, text
from sqlalchemy.engine import URL, make_url

log = logging.getLogger(__name__)

# platformdirs (used by pgserver) warns when XDG_RUNTIME_DIR is unset, as in CI; harmless.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")

APP_DATABASE = "taskapi"


def embedded_server_url(pgdata: Path, database: str = "postgres") -> URL:
    """Start (or join) the embedded server and return a URL for `database` on it."""
    import pgserver  # imported here: only the embedded path pays for it

    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    # Keep a reference for the life of the process: pgserver stops the server when the
    # last handle of the last process using it is garbage collected.
    _handles.append(server)
    uri = make_url(server.get_uri())
    return uri.set(drivername="postgresql+psycopg2", database=database)


def embedded_app_url(pgdata: Path) -> URL:
    """URL of the application database on the embedded server, created on first use."""
    admin_url = embedded_server_url(pgdata)
    ensure_database(admin_url, APP_DATABASE)
    log.info("using the embedded PostgreSQL server in %s", pgdata)
    return admin_url.set(database=APP_DATABASE)


_PG_DATABASE = table("pg_database", column("datname"))


def ensure_database(admin_url: URL, name: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            found = conn.scalar(select(exists().where(_PG_DATABASE.c.datname == name)))
            if not found:
                # DDL, which no SQLAlchemy construct builds; `name` is our constant, quoted.
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


_handles: list[object] = []

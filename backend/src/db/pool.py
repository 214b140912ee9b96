"""The psycopg connection pool: how connections are opened, checked out and given back.

The API talks to PostgreSQL through psycopg 3 in async mode: a request never leaves the event
loop for a worker thread (those hops were a third of a request's cost, docs/performance.md).
psycopg 3 is libpq, so every parameter of a libpq URL (`sslmode=require`, `channel_binding`,
`options`, a Unix socket `host=`) means what it means to psql. Alembic and the command-line
tools keep SQLAlchemy and psycopg2; both read the same DATABASE_URL.
"""

import select
import time
from weakref import WeakKeyDictionary

from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool
from sqlalchemy.engine import URL

from src.core.metrics import POOL_CHECKED_OUT, POOL_CONNECTIONS
from src.core.settings import Settings
from src.db.embedded import embedded_app_url
from src.db.urls import libpq_conninfo, normalize_database_url

Connection = AsyncConnection[DictRow]
Pool = AsyncConnectionPool[Connection]


def resolve_database_url(settings: Settings) -> URL:
    if settings.database_url is not None:
        return normalize_database_url(settings.database_url.get_secret_value())
    return embedded_app_url(settings.embedded_pgdata)


def create_db_pool(url: URL, settings: Settings, name: str = "task-api") -> Pool:
    """A pool of `url`'s connections, not yet open: the app's lifespan opens and closes it,
    on the event loop that serves the requests."""
    timeout_ms = int(settings.db_statement_timeout_ms)

    async def configure(connection: Connection) -> None:
        # Per-connection SETs rather than the `options` startup parameter, which
        # transaction-mode poolers (pgbouncer, Neon's pooler) refuse. UTC: the columns hold
        # UTC without a zone, and CURRENT_TIMESTAMP defaults must agree with what the app writes.
        await connection.execute("SET TIME ZONE 'UTC'")
        if timeout_ms:
            await connection.execute(f"SET statement_timeout = {timeout_ms}")

    return AsyncConnectionPool(
        libpq_conninfo(url),
        connection_class=AsyncConnection[DictRow],
        kwargs={
            # One statement is one transaction unless a repository asks for more (DbSession).
            "autocommit": True,
            "row_factory": dict_row,
            "connect_timeout": settings.db_connect_timeout_seconds,
            "application_name": settings.db_application_name,
            # Text as str even on a SQL_ASCII database (an initdb run without a UTF-8 locale,
            # as pg_autoctl's nodes get by default), where psycopg would return bytes.
            "client_encoding": "utf8",
            # Behind a transaction-mode pooler older than pgbouncer 1.21 a named prepared
            # statement may land on another server connection: DB_PREPARED_STATEMENTS=false.
            "prepare_threshold": 5 if settings.db_prepared_statements else None,
        },
        min_size=settings.db_pool_size,
        max_size=settings.db_pool_size + settings.db_max_overflow,
        timeout=settings.db_pool_timeout_seconds,
        # A failed connection attempt gives up at once instead of retrying in the background
        # with a growing back-off: the first request after the server is back connects again
        # straight away. Meanwhile requests wait QUICK_TIMEOUT_SECONDS, not the pool timeout.
        reconnect_timeout=0,
        reconnect_failed=_remember_failure,
        configure=configure,
        open=False,
        name=name,
    )


def _is_dead(connection: Connection) -> bool:
    """True when an idle pooled connection can no longer serve a request.

    An idle connection has nothing to read, unless the server said goodbye (a restart sends
    FATAL 57P01 and closes the socket): a zero-timeout poll of its socket tells, without the
    round trip of a `SELECT 1` before every request.
    """
    if connection.closed:
        return True
    readable, _, _ = select.select([connection.fileno()], [], [], 0)
    return bool(readable)


async def connect_directly(pool: Pool) -> Connection:
    """A connection of its own, with the pool's settings but none of its waiting: a refused
    connection fails at once (start-up checks)."""
    conninfo, kwargs = pool.conninfo, pool.kwargs
    assert isinstance(conninfo, str)
    assert isinstance(kwargs, dict)
    connection: Connection = await AsyncConnection.connect(conninfo, **kwargs)
    return connection


# While connection attempts are failing, a request waits this long for a connection (instead
# of DB_POOL_TIMEOUT_SECONDS): the database is down, so 503 at once and let the client retry.
QUICK_TIMEOUT_SECONDS = 1.0
FAILURE_MEMORY_SECONDS = 10.0
_last_failure: "WeakKeyDictionary[Pool, float]" = WeakKeyDictionary()


def _remember_failure(pool: Pool) -> None:
    _last_failure[pool] = time.monotonic()


def _wait_for_connection(pool: Pool) -> float:
    failed_at = _last_failure.get(pool)
    if failed_at is not None and time.monotonic() - failed_at < FAILURE_MEMORY_SECONDS:
        return min(QUICK_TIMEOUT_SECONDS, pool.timeout)
    return pool.timeout


async def checkout(pool: Pool, wait: float | None = None) -> Connection:
    """A live connection from the pool; dead ones are closed (the pool replaces them). Waits
    at most `wait` seconds for one, when given."""
    timeout = _wait_for_connection(pool)
    if wait is not None:
        timeout = min(timeout, wait)
    for _ in range(pool.max_size + 1):
        connection = await pool.getconn(timeout)
        if not _is_dead(connection):
            POOL_CHECKED_OUT.inc()
            return connection
        await connection.close()
        await pool.putconn(connection)
    raise ConnectionError("no live database connection")  # every connection died at once


async def checkin(pool: Pool, connection: Connection) -> None:
    POOL_CHECKED_OUT.dec()
    await pool.putconn(connection)
    _publish_pool_size(pool)


_pool_size_published_at = 0.0


def _publish_pool_size(pool: Pool) -> None:
    """The open-connections gauge, refreshed at most once a second (the pool opens and closes
    connections in its own tasks, which have no hook for it)."""
    global _pool_size_published_at
    now = time.monotonic()
    if now - _pool_size_published_at >= 1.0:
        _pool_size_published_at = now
        POOL_CONNECTIONS.set(pool.get_stats()["pool_size"])

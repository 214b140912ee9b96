"""The connection pool and the request's database session.

The API talks to PostgreSQL through psycopg 3 in async mode: a request never leaves the event
loop for a worker thread (those hops were a third of a request's cost, docs/performance.md).
psycopg 3 is libpq, so every parameter of a libpq URL (`sslmode=require`, `channel_binding`,
`options`, a Unix socket `host=`) means what it means to psql. Alembic and the command-line
tools keep SQLAlchemy and psycopg2; both read the same DATABASE_URL.
"""

import select
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from types import TracebackType
from typing import Annotated, Any
from weakref import WeakKeyDictionary

from fastapi import Depends, Request
from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool
from sqlalchemy.engine import URL
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from src.database_url import libpq_conninfo, normalize_database_url
from src.embedded_postgres import embedded_app_url
from src.metrics import POOL_CHECKED_OUT, POOL_CONNECTIONS
from src.settings import Settings

Connection = AsyncConnection[DictRow]
Pool = AsyncConnectionPool[Connection]


def resolve_database_url(settings: Settings) -> URL:
    if settings.database_url is not None:
        return normalize_database_url(settings.database_url.get_secret_value())
    return embedded_app_url(settings.embedded_pgdata)


def create_db_pool(url: URL, settings: Settings) -> Pool:
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
        name="task-api",
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


async def checkout(pool: Pool) -> Connection:
    """A live connection from the pool; dead ones are closed (the pool replaces them)."""
    for _ in range(pool.max_size + 1):
        connection = await pool.getconn(_wait_for_connection(pool))
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


class DbSession:
    """A request's database work: one pooled connection and at most one transaction.

    The connection is taken from the pool at the first statement, so a request refused before
    it reaches the database (401, 403, 422) never waits for one. Statements run in autocommit
    until a repository calls `begin()`: PostgreSQL runs a single statement atomically, and most
    requests send one, so they skip the two round trips of BEGIN and COMMIT. A repository
    method whose statements must stand or fall together calls `begin()` first; `finish()`
    (DbSessionMiddleware) commits that transaction when the route succeeded and rolls it back
    when it failed. Repositories never commit.

    Inside a transaction that is already open (the tests' rolled-back one), `begin()` and
    `savepoint()` open savepoints.
    """

    def __init__(self, pool: Pool | None = None, connection: Connection | None = None) -> None:
        self._pool = pool
        self._connection = connection
        self._transaction: AsyncExitStack | None = None

    async def connection(self) -> Connection:
        if self._connection is None:
            assert self._pool is not None, "a session needs a pool or a connection"
            self._connection = await checkout(self._pool)
        return self._connection

    async def begin(self) -> None:
        if self._transaction is None:
            connection = await self.connection()
            self._transaction = AsyncExitStack()
            await self._transaction.enter_async_context(connection.transaction())

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A block whose failure undoes only itself (a transaction of its own in autocommit)."""
        connection = await self.connection()
        async with connection.transaction():
            yield

    async def execute(self, query: Any, params: Any = None) -> int:
        """Run a statement; the number of rows it affected."""
        connection = await self.connection()
        cursor = await connection.execute(query, params)
        return cursor.rowcount

    async def fetch_one(self, query: Any, params: Any = None) -> dict[str, Any] | None:
        connection = await self.connection()
        cursor = await connection.execute(query, params)
        return await cursor.fetchone()

    async def fetch_all(self, query: Any, params: Any = None) -> list[dict[str, Any]]:
        connection = await self.connection()
        cursor = await connection.execute(query, params)
        return await cursor.fetchall()

    async def finish(self, error: BaseException | None) -> None:
        """Commit (no error) or roll back the transaction `begin()` opened, if any, then give
        the connection back to the pool it came from."""
        transaction, self._transaction = self._transaction, None
        try:
            if transaction is not None:
                exc_type: type[BaseException] | None = type(error) if error else None
                traceback: TracebackType | None = error.__traceback__ if error else None
                await transaction.__aexit__(exc_type, error, traceback)
        finally:
            if self._pool is not None and self._connection is not None:
                connection, self._connection = self._connection, None
                await checkin(self._pool, connection)


@asynccontextmanager
async def session_scope(session: DbSession) -> AsyncIterator[DbSession]:
    """`session` for a block: its transaction (if any) committed when the block succeeds and
    rolled back when it raises, and its pooled connection returned either way."""
    try:
        yield session
    except BaseException as error:
        await session.finish(error)
        raise
    await session.finish(None)


def open_session(pool: Pool) -> AbstractAsyncContextManager[DbSession]:
    return session_scope(DbSession(pool))


class FailedResponseError(Exception):
    """Why a session rolls back when the route answered with an error status."""


class DbSessionMiddleware:
    """Gives each HTTP request its DbSession, in `scope["state"]["db_session"]`, and finishes it
    as the response starts: a transaction the request opened is committed when the status is
    below 400 and rolled back otherwise (or when the app raises), and the connection goes back
    to the pool, all before the client sees the status line. A client never sees a 2xx for a
    write that failed to commit.

    A middleware rather than a `yield` dependency: FastAPI's exit stack for one cost about
    36 µs of CPU per request, a tenth of a task read (docs/performance.md). Sessions come from
    `app.state.session_factory` (the tests put one on their rolled-back connection there).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session: DbSession = scope["app"].state.session_factory()
        scope.setdefault("state", {})["db_session"] = session
        finished = False

        async def finish_then_send(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.start" and not finished:
                finished = True
                status = message["status"]
                await session.finish(None if status < 400 else FailedResponseError(status))
            await send(message)

        try:
            await self.app(scope, receive, finish_then_send)
        except BaseException as error:
            if not finished:
                finished = True
                await session.finish(error)
            raise
        if not finished:  # the app returned without a response: nothing to commit for
            await session.finish(FailedResponseError(0))


def pool_session_factory(app: Any) -> Callable[[], DbSession]:
    """Sessions on the pool the app's lifespan opened (app.state.db_pool)."""
    return lambda: DbSession(app.state.db_pool)


async def get_db_session(request: Request) -> DbSession:
    """The request's session (DbSessionMiddleware made it)."""
    session: DbSession = request.scope["state"]["db_session"]
    return session


SessionDep = Annotated[DbSession, Depends(get_db_session)]

"""The request's database session: one pooled connection, at most one transaction.

Statements come from src/db/statements.py (SQLModel builds them, psycopg runs them); the
session only runs them. DbSessionMiddleware gives each HTTP request its session and finishes
it (commit or roll back) before the status line is sent.
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from types import TracebackType
from typing import Any, Protocol

import anyio
from psycopg.pq import TransactionStatus
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from src.db.pool import Connection, Pool, checkin, checkout
from src.db.replica import StandbyRead, standby_connection
from src.db.statements import Statement

# A statement's values by name, and a row by column name.
Params = Mapping[str, Any]
Row = dict[str, Any]


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

    With a standby for reads (src/db/replica.py), `read_from()` sends a read-only session to
    the standby when it has caught up with the caller, and `on_finish()` records where a
    write left the primary.
    """

    def __init__(self, pool: Pool | None = None, connection: Connection | None = None) -> None:
        self._pool = pool
        self._connection = connection
        self._source: Pool | None = None  # the pool the connection came from
        self._transaction: AsyncExitStack | None = None
        self._standby_read: StandbyRead | None = None
        self._on_finish: Callable[[Connection | None], Awaitable[None]] | None = None
        # The request's Idempotency-Key while no write has carried it (src/api/idempotency.py).
        self.idempotency_key: PendingKey | None = None

    def read_from(self, read: StandbyRead) -> None:
        """Run this session's statements on the standby if it may serve them (before the
        first statement; reads only)."""
        self._standby_read = read

    def on_finish(self, callback: Callable[[Connection | None], Awaitable[None]]) -> None:
        """Run `callback` when the session finishes, committed or rolled back, on its
        connection (None when it never took one), before the connection goes back."""
        self._on_finish = callback

    async def connection(self) -> Connection:
        if self._connection is None:
            if self._standby_read is not None:
                read, self._standby_read = self._standby_read, None
                standby = await standby_connection(read)
                if standby is not None:
                    self._connection, self._source = standby, read.pool
                    return standby
            assert self._pool is not None, "a session needs a pool or a connection"
            self._connection = await checkout(self._pool)
            self._source = self._pool
        return self._connection

    async def begin(self) -> None:
        if self._transaction is None and self.idempotency_key is not None:
            await self.idempotency_key.claim(self)  # BEGIN and the claim, in one round trip
            return
        if self._transaction is None:
            connection = await self.connection()
            self._transaction = AsyncExitStack()
            await self._transaction.enter_async_context(connection.transaction())

    async def begin_with(self, statement: Statement, params: Params | None = None) -> Row | None:
        """`begin()`, then `statement`'s first row, in one round trip (psycopg's pipeline
        mode sends BEGIN and the statement together): an Idempotency-Key's claim opens the
        request's transaction without a wait of its own."""
        if self._transaction is not None:
            return await self.fetch_one(statement, params)
        connection = await self.connection()
        self._transaction = AsyncExitStack()
        async with connection.pipeline():
            await self._transaction.enter_async_context(connection.transaction())
            cursor = await connection.execute(statement.sql, params, prepare=statement.prepare)
        return await cursor.fetchone()

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A block whose failure undoes only itself (a transaction of its own in autocommit)."""
        connection = await self.connection()
        async with connection.transaction():
            yield

    async def execute(self, statement: Statement, params: Params | None = None) -> int:
        """Run a statement; the number of rows it affected."""
        connection = await self.connection()
        cursor = await connection.execute(statement.sql, params, prepare=statement.prepare)
        return cursor.rowcount

    async def fetch_one(self, statement: Statement, params: Params | None = None) -> Row | None:
        """The statement's first row. A write with a keyed variant, while the request's
        Idempotency-Key is pending, runs that variant instead (the key recorded with it)."""
        if self.idempotency_key is not None and statement.keyed is not None:
            return await self.idempotency_key.write(self, statement, params or {})
        connection = await self.connection()
        cursor = await connection.execute(statement.sql, params, prepare=statement.prepare)
        return await cursor.fetchone()

    async def fetch_one_alone(
        self, statement: Statement, params: Params | None = None
    ) -> Row | None:
        """`fetch_one`, for a statement that may fail without failing the request: inside a
        transaction (the tests' rolled-back one), in a savepoint that its failure undoes."""
        connection = await self.connection()
        if connection.info.transaction_status == TransactionStatus.IDLE:
            cursor = await connection.execute(statement.sql, params, prepare=statement.prepare)
            return await cursor.fetchone()
        async with connection.transaction():
            cursor = await connection.execute(statement.sql, params, prepare=statement.prepare)
            return await cursor.fetchone()

    async def fetch_all(self, statement: Statement, params: Params | None = None) -> list[Row]:
        connection = await self.connection()
        cursor = await connection.execute(statement.sql, params, prepare=statement.prepare)
        return await cursor.fetchall()

    async def finish(
        self, error: BaseException | None, last: tuple[Statement, Params] | None = None
    ) -> None:
        """Commit (no error) or roll back the transaction `begin()` opened, if any, then give
        the connection back to the pool it came from. `last`, on success: a statement run
        just before the COMMIT, in the same round trip (an Idempotency-Key's response); when
        it fails, the transaction rolls back and its error is raised.

        Shielded from cancellation: anyio cancels a task (a task group torn down, as the MCP
        SDK's are) again at every await until it exits, which would interrupt the rollback;
        the pool would then discard the connection and open another (a TLS handshake on a
        managed database) instead of reusing it."""
        if self._transaction is None and self._connection is None and self._on_finish is None:
            return
        with anyio.CancelScope(shield=True):
            transaction, self._transaction = self._transaction, None
            try:
                if transaction is not None and last is not None and error is None:
                    await self._commit_after(transaction, *last)
                elif transaction is not None:
                    exc_type: type[BaseException] | None = type(error) if error else None
                    traceback: TracebackType | None = error.__traceback__ if error else None
                    await transaction.__aexit__(exc_type, error, traceback)
                if self._on_finish is not None:
                    await self._on_finish(self._connection)
            finally:
                if self._source is not None and self._connection is not None:
                    connection, self._connection = self._connection, None
                    await checkin(self._source, connection)

    async def _commit_after(
        self, transaction: AsyncExitStack, statement: Statement, params: Params
    ) -> None:
        connection = self._connection
        assert connection is not None
        try:
            async with connection.pipeline():
                await connection.execute(statement.sql, params, prepare=statement.prepare)
                await transaction.__aexit__(None, None, None)  # COMMIT, sent with it
        except BaseException:
            # The statement failed: the pipeline skipped the COMMIT and the transaction is
            # aborted. Roll it back here when it is this session's own (a pooled
            # connection); the tests' connection rolls back its whole transaction itself.
            if self._source is not None and (
                connection.info.transaction_status != TransactionStatus.IDLE
            ):
                await connection.rollback()
            raise


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


class PendingKey(Protocol):
    """The request's Idempotency-Key (src/api/idempotency.py) while no write has carried it:
    the first keyed write records it in its own statement (`write`), or `begin` claims it in
    the transaction it opens. Either takes it off the session."""

    async def write(self, session: "DbSession", statement: Statement, params: Params) -> Row | None:
        """`statement`'s keyed variant: its row; or the row the key's first request wrote."""

    async def claim(self, session: "DbSession") -> None:
        """Open the session's transaction, the key claimed in it."""


class Recorder(Protocol):
    """The request's Idempotency-Key, in `scope["state"]["idempotency"]`, as the middleware
    sees it: `claimed` in the request's transaction, the response is stored before it
    commits (`record` gives the statement, which `finish` runs with the COMMIT); `replayed`,
    the response is the first request's again."""

    claimed: bool
    replayed: bool

    def record(
        self, status: int, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> tuple[Statement, Params]: ...


_REPLAYED = (b"idempotency-replayed", b"true")


class FailedResponseError(Exception):
    """Why a session rolls back when the route answered with an error status."""


class DbSessionMiddleware:
    """Gives each HTTP request its DbSession, in `scope["state"]["db_session"]`, and finishes it
    as the response starts: a transaction the request opened is committed when the status is
    below 400 and rolled back otherwise (or when the app raises), and the connection goes back
    to the pool, all before the client sees the status line. A client never sees a 2xx for a
    write that failed to commit. With an Idempotency-Key claimed, a successful response is
    held until its body is complete and stored in the same transaction (src/api/idempotency.py).

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
        state = scope.setdefault("state", {})
        state["db_session"] = session
        finished = False
        held: Message | None = None  # a response start waiting for its body (see below)
        chunks: list[bytes] = []

        async def finish_then_send(message: Message) -> None:
            nonlocal finished, held
            if message["type"] == "http.response.start" and not finished:
                status = message["status"]
                recorder: Recorder | None = state.get("idempotency")
                if recorder is not None and recorder.replayed:
                    message["headers"] = [*message.get("headers", ()), _REPLAYED]
                elif recorder is not None and recorder.claimed and status < 400:
                    held = message  # its response is stored before the commit
                    return
                finished = True
                await session.finish(None if status < 400 else FailedResponseError(status))
            elif held is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                start, held, body = held, None, b"".join(chunks)
                finished = True
                recorder = state["idempotency"]
                await session.finish(None, recorder.record(start["status"], start["headers"], body))
                await send(start)
                message = {"type": "http.response.body", "body": body}
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

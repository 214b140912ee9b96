"""The engine and the one-transaction-per-request session."""

from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from sqlalchemy import Engine, QueuePool, event
from sqlalchemy.engine import URL
from sqlmodel import Session, create_engine

from src.database_url import normalize_database_url
from src.embedded_postgres import embedded_app_url
from src.settings import Settings


def resolve_database_url(settings: Settings) -> URL:
    if settings.database_url is not None:
        return normalize_database_url(settings.database_url.get_secret_value())
    return embedded_app_url(settings.embedded_pgdata)


def create_db_engine(url: URL, settings: Settings) -> Engine:
    engine = create_engine(
        url,
        # Statement parameters (task titles...) stay out of exception messages and logs.
        hide_parameters=True,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        # A connection that died while pooled (server restart, idle timeout of a managed
        # pooler) is replaced before it is handed to a request.
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": settings.db_connect_timeout_seconds,
            "application_name": settings.db_application_name,
        },
    )
    timeout_ms = settings.db_statement_timeout_ms
    if timeout_ms:
        # A SET per new connection rather than the `options` startup parameter, which
        # transaction-mode poolers (pgbouncer, Neon's pooler) refuse.
        @event.listens_for(engine, "connect")
        def _set_statement_timeout(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(timeout_ms)}")
            dbapi_connection.commit()

    return engine


async def get_engine(request: Request) -> Engine:  # async: no thread hop for a lookup
    engine: Engine = request.app.state.engine
    return engine


async def session_slot(request: Request) -> AsyncIterator[None]:
    """Wait (without a thread) until a pooled connection is sure to be free.

    A request holds its connection between its sync steps, each run on a worker thread.
    Unbounded, a burst lets requests waiting for a connection occupy every thread while the
    requests holding the connections wait for a thread, until the pool timeout answers 503.
    At most as many sessions as the engine's pool holds connections are open at once.
    """
    limiter: anyio.CapacityLimiter = request.app.state.session_limiter
    async with limiter:
        yield


def pool_capacity(engine: Engine) -> int:
    """Connections the engine's pool can hand out at once (pool size + overflow)."""
    pool = engine.pool
    if isinstance(pool, QueuePool):
        return pool.size() + max(0, pool._max_overflow)
    return 1_000_000  # NullPool and friends: no pool to exhaust


async def get_session(
    engine: Annotated[Engine, Depends(get_engine)],
    _slot: Annotated[None, Depends(session_slot, scope="function")],
) -> AsyncIterator[Session]:
    """One transaction per request: commit when the route succeeded, roll back otherwise.

    Repositories only flush. Declared with `scope="function"` (api/deps.py) so the commit
    happens before the response is sent: a client never sees a 2xx for a write that failed
    to commit. Creating a Session does no I/O, so it happens on the event loop; the commit
    (or rollback) and the close, which talk to the database, share one worker thread.
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        await anyio.to_thread.run_sync(_finish, session, False)
        raise
    await anyio.to_thread.run_sync(_finish, session, True)


def _finish(session: Session, succeeded: bool) -> None:
    try:
        if succeeded:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()

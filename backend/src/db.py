"""The engine and the one-transaction-per-request session."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
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
    return create_engine(
        url,
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


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """One transaction per request: commit when the route succeeded, roll back otherwise.

    Repositories only flush. Declared with `scope="function"` (api/deps.py) so the commit
    happens before the response is sent: a client never sees a 2xx for a write that failed
    to commit.
    """
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

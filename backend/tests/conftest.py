"""Fixtures shared by the whole suite: real PostgreSQL, migrated by Alembic, never create_all.

- `migrated_template`: a database brought to head by `alembic upgrade head`, once per run.
- `session`: a connection to a copy of it inside a transaction rolled back after each test;
  the app's session dependency is swapped for it through `dependency_overrides`.
- `committed_engine`: a fresh copy of the template for tests that need real commits seen by
  other connections (races, concurrency); dropped after the test.
"""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, pool
from sqlalchemy.engine import URL
from sqlmodel import Session

from tests.support.databases import Databases, test_server_url, upgrade


@pytest.fixture(scope="session")
def databases() -> Iterator[Databases]:
    dbs = Databases(test_server_url())
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def migrated_template(databases: Databases) -> URL:
    url = databases.create()
    upgrade(url, "head")
    return url


@pytest.fixture(scope="session")
def engine(databases: Databases, migrated_template: URL) -> Iterator[Engine]:
    engine = create_engine(databases.create(template=migrated_template))
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose commits are savepoints inside a transaction rolled back at the end."""
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()


@pytest.fixture
def committed_engine(databases: Databases, migrated_template: URL) -> Iterator[Engine]:
    url = databases.create(template=migrated_template)
    engine = create_engine(url, pool_size=20, max_overflow=20, poolclass=pool.QueuePool)
    yield engine
    engine.dispose()
    databases.drop(url)

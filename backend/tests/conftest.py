"""Fixtures shared by the whole suite: real PostgreSQL, migrated by Alembic, never create_all.

- `migrated_template`: a database brought to head by `alembic upgrade head`, once per run.
- `db`: a connection to a copy of it inside a transaction rolled back after each test
  (tests/support/db.py); the app's session dependency is swapped for a session on it
  through `dependency_overrides`.
- `committed_url` / `committed_engine`: a fresh copy of the template for tests that need real
  commits seen by other connections (races, concurrency); dropped after the test.
"""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, pool
from sqlalchemy.engine import URL

from tests.support.databases import Databases, test_server_url, upgrade
from tests.support.db import TestDb


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
def test_database(databases: Databases, migrated_template: URL) -> URL:
    """One copy of the template for the whole run; every test's changes are rolled back."""
    return databases.create(template=migrated_template)


@pytest.fixture
def db(test_database: URL) -> Iterator[TestDb]:
    """The test's connection, in a transaction rolled back at the end (tests/support/db.py)."""
    test_db = TestDb(test_database)
    yield test_db
    test_db.close()


@pytest.fixture
def committed_url(databases: Databases, migrated_template: URL) -> Iterator[URL]:
    url = databases.create(template=migrated_template)
    yield url
    databases.drop(url)


@pytest.fixture
def committed_engine(committed_url: URL) -> Iterator[Engine]:
    """A SQLAlchemy engine on `committed_url`, for the test's own reads and writes."""
    engine = create_engine(committed_url, pool_size=20, max_overflow=20, poolclass=pool.QueuePool)
    yield engine
    engine.dispose()

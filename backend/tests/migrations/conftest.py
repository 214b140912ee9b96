"""Fixtures of the migration tests: empty and migrated databases, and pytest-alembic's."""

from collections.abc import Iterator

import pytest
from alembic.config import Config
from sqlalchemy import Connection, create_engine, pool
from sqlalchemy.engine import URL

from tests.support.databases import Databases
from tests.support.databases import alembic_config as make_alembic_config


@pytest.fixture
def empty_database(databases: Databases) -> Iterator[URL]:
    url = databases.create()
    yield url
    databases.drop(url)


@pytest.fixture
def migrated_database(databases: Databases, migrated_template: URL) -> Iterator[URL]:
    """A database at head that the test may change freely (a copy of the template)."""
    url = databases.create(template=migrated_template)
    yield url
    databases.drop(url)


@pytest.fixture
def alembic_config() -> Config:
    """pytest-alembic runs our alembic.ini and env.py; the connection comes from below."""
    return make_alembic_config()


@pytest.fixture
def alembic_engine(empty_database: URL) -> Iterator[Connection]:
    """A connection to a fresh, empty database, handed to env.py as config.attributes["connection"].

    A Connection rather than an Engine: env.py runs the migrations on the connection it is
    given (alembic refuses an Engine there).
    """
    engine = create_engine(empty_database, poolclass=pool.NullPool)
    with engine.connect() as connection:
        yield connection
    engine.dispose()

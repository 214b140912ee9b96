"""DATABASE_URL forms, what reaches the drivers, and passwords kept out of messages.

The app talks to PostgreSQL through psycopg 3 (libpq conninfo, src/db/pool.py); Alembic and the
command-line tools through SQLAlchemy and psycopg2. Both must get the same parameters.
"""

import asyncio
import logging

import pytest
from psycopg import OperationalError
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import PoolTimeout
from sqlalchemy import create_engine

from src.core.settings import Settings
from src.db.pool import connect_directly, create_db_pool
from src.db.session import open_session
from src.db.urls import (
    InvalidDatabaseURLError,
    libpq_conninfo,
    mask,
    normalize_database_url,
)
from tests.support.db import sql

QUERY = "sslmode=require&options=-c%20statement_timeout%3D5000"


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg2"])
def test_accepted_schemes_use_psycopg2_and_pass_the_query_to_the_driver(scheme: str) -> None:
    url = normalize_database_url(f" {scheme}://app:pw@db.example:6543/tasks?{QUERY} ")
    assert url.drivername == "postgresql+psycopg2"

    _, connect_args = create_engine(url).dialect.create_connect_args(url)
    assert connect_args == {
        "host": "db.example",
        "port": 6543,
        "dbname": "tasks",
        "user": "app",
        "password": "pw",
        "sslmode": "require",
        "options": "-c statement_timeout=5000",
    }


@pytest.mark.parametrize(
    "query",
    [
        "sslmode=require",
        "sslmode=require&application_name=a%20b%2Bc",
        "options=-c%20statement_timeout%3D5000",
    ],
)
def test_the_apps_driver_reads_the_same_parameters_from_the_libpq_url(query: str) -> None:
    """psycopg 3 (libpq) gets what psycopg2 gets: libpq percent-decodes a URL's values and
    reads `+` as a plus sign, not as a space."""
    url = normalize_database_url(f"postgresql://app:pw@db.example:6543/tasks?{query}")
    _, psycopg2_args = create_engine(url).dialect.create_connect_args(url)

    libpq_args = conninfo_to_dict(libpq_conninfo(url))

    assert libpq_args == {**psycopg2_args, "port": "6543"}


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "not a url",
        "mysql://app:s3cr3t-pw@db/tasks",
        "postgresql+asyncpg://app:s3cr3t-pw@db/tasks",
        "sqlite:///tasks.db",
    ],
)
def test_unsupported_or_garbage_urls_are_refused_without_the_password(raw: str) -> None:
    with pytest.raises(InvalidDatabaseURLError) as refused:
        normalize_database_url(raw)
    assert "s3cr3t-pw" not in str(refused.value)


def test_unescaped_at_sign_in_the_password_is_refused_without_the_password() -> None:
    with pytest.raises(InvalidDatabaseURLError) as refused:
        normalize_database_url("postgresql://app:p@ss:w0rd-tail@db/tasks")
    assert "w0rd-tail" not in str(refused.value)


def test_mask_hides_the_password() -> None:
    masked = mask("postgresql://app:s3cr3t-pw@db.example/tasks?sslmode=require")
    assert masked == "postgresql://app:***@db.example/tasks?sslmode=require"
    assert "s3cr3t-pw" not in mask(normalize_database_url("postgres://app:s3cr3t-pw@db/x"))
    assert mask("not a url") == "<unparseable database URL>"


def test_a_connection_failure_does_not_repeat_the_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    raw = "postgresql://postgres:s3cr3t-pw@127.0.0.1:5432/nonexistent_db_xyz"
    settings = Settings(
        _env_file=None, app_env="development", db_pool_size=1, db_pool_timeout_seconds=1.0
    )
    pool = create_db_pool(normalize_database_url(raw), settings)
    assert "s3cr3t-pw" not in repr(pool)

    async def connect() -> tuple[OperationalError, PoolTimeout]:
        # Directly (the start-up check), then through the pool as a request would.
        with pytest.raises(OperationalError) as direct:
            await connect_directly(pool)
        await pool.open(wait=False)
        try:
            with pytest.raises(PoolTimeout) as pooled:
                async with open_session(pool) as session:
                    await session.fetch_one(sql("SELECT 1"))
        finally:
            await pool.close()
        return direct.value, pooled.value

    with caplog.at_level(logging.DEBUG):
        direct, pooled = asyncio.run(connect())

    assert "nonexistent_db_xyz" in str(direct) or "127.0.0.1" in str(direct)
    for message in (str(direct), repr(direct), str(pooled), repr(pooled), caplog.text):
        assert "s3cr3t-pw" not in message

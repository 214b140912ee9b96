"""DATABASE_URL forms, what reaches the drivers, and passwords kept out of messages.

The app talks to PostgreSQL through psycopg 3 (libpq conninfo, src/db/pool.py); Alembic and the
command-line tools through SQLAlchemy and psycopg2. Both must get the same parameters.
"""

import asyncio
import logging
from typing import Any, Literal

import pytest
from psycopg import OperationalError
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import PoolTimeout
from sqlalchemy import NullPool, create_engine, text
from sqlalchemy.engine import URL

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
from tests.support.multi_host import behind_a_dead_host

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


# --- several hosts: a primary and its standbys ------------------------------------------

MULTI_HOST_FORMS = [
    # What pg_auto_failover prints, and the query form libpq also reads.
    "postgres://app:s3cr3t-pw@10.0.0.1:6002,10.0.0.2:6001/tasks?target_session_attrs=read-write",
    "postgresql://app:s3cr3t-pw@/tasks?host=10.0.0.1,10.0.0.2&port=6002,6001"
    "&target_session_attrs=read-write",
]


@pytest.mark.parametrize("raw", MULTI_HOST_FORMS)
def test_both_multi_host_forms_reach_both_drivers_as_host_and_port_lists(raw: str) -> None:
    url = normalize_database_url(raw)

    _, psycopg2_args = create_engine(url).dialect.create_connect_args(url)
    libpq_args = conninfo_to_dict(libpq_conninfo(url))

    expected = {
        "host": "10.0.0.1,10.0.0.2",
        "port": "6002,6001",
        "dbname": "tasks",
        "user": "app",
        "password": "s3cr3t-pw",
        "target_session_attrs": "read-write",
    }
    assert psycopg2_args == expected
    assert libpq_args == expected
    assert "s3cr3t-pw" not in mask(url)
    assert "10.0.0.1" in mask(url)


def test_hosts_without_ports_ipv6_and_socket_directories_are_listed_as_written() -> None:
    url = normalize_database_url("postgresql://app@db-a,[::1]:5433,%2Fvar%2Frun%2Fpg/tasks")
    libpq_args = conninfo_to_dict(libpq_conninfo(url))
    assert (libpq_args["host"], libpq_args["port"]) == ("db-a,::1,/var/run/pg", ",5433,")


@pytest.mark.parametrize(
    "raw",
    [
        "postgresql://app:s3cr3t-pw@h1:5432,h2:5432/tasks?host=h3",  # hosts named twice
        "postgresql://app:s3cr3t-pw@h1:5432,:5433/tasks",  # a port without its host
        "postgresql://app:s3cr3t-pw@h1:5432,h2:port/tasks",  # a port that is not a number
    ],
)
def test_a_malformed_host_list_is_refused_without_the_password(raw: str) -> None:
    with pytest.raises(InvalidDatabaseURLError) as refused:
        normalize_database_url(raw)
    assert "s3cr3t-pw" not in str(refused.value)


@pytest.mark.parametrize("form", ["authority", "query"])
def test_a_dead_first_host_is_skipped_by_the_app_and_by_alembics_driver(
    test_database: URL, form: Literal["authority", "query"]
) -> None:
    """Nothing listens on the first host; the second is the test database. Both the API's
    pool (psycopg 3) and SQLAlchemy (psycopg2, what Alembic and the CLI use) connect."""
    url = normalize_database_url(behind_a_dead_host(test_database, form))

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT current_database()")).scalar_one()
        assert found == test_database.database
    finally:
        engine.dispose()

    settings = Settings(_env_file=None, app_env="development", db_pool_size=1)

    async def through_the_pool() -> Any:
        pool = create_db_pool(url, settings)
        await pool.open(wait=True, timeout=10)
        try:
            async with open_session(pool) as session:
                return await session.fetch_one(sql("SELECT current_database() AS name"))
        finally:
            await pool.close()

    assert asyncio.run(through_the_pool()) == {"name": test_database.database}

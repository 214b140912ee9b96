"""DATABASE_URL forms, what reaches the driver, and passwords kept out of messages."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from src.database_url import InvalidDatabaseURLError, mask, normalize_database_url
from src.db import create_db_engine
from src.settings import Settings

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


def test_a_connection_failure_does_not_repeat_the_password() -> None:
    raw = "postgresql://postgres:s3cr3t-pw@127.0.0.1:5432/nonexistent_db_xyz"
    settings = Settings(_env_file=None, app_env="development")
    engine = create_db_engine(normalize_database_url(raw), settings)
    assert "s3cr3t-pw" not in repr(engine)
    try:
        with pytest.raises(OperationalError) as failed, engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
    assert "nonexistent_db_xyz" in str(failed.value) or "127.0.0.1" in str(failed.value)
    assert "s3cr3t-pw" not in str(failed.value)

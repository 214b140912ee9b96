"""`make migrate`'s script: backup, upgrade, verify; and the documented restore works."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import URL

from src.cli.migrate import libpq_url, pg_dump_binary
from tests.support.databases import BACKEND_DIR, Databases, upgrade

USER_ID = "6f1c1f8e-2f4b-4a53-9b60-2d9a5c1f2b11"


@pytest.fixture
def database(databases: Databases) -> Iterator[URL]:
    url = databases.create()
    yield url
    databases.drop(url)


def _migrate(url: URL, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url.render_as_string(hide_password=False)}
    return subprocess.run(
        [sys.executable, "-m", "src.cli.migrate", *args],
        cwd=BACKEND_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _scalar(url: URL, sql: str) -> object:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            return conn.scalar(text(sql))
    finally:
        engine.dispose()


def _seed(url: URL) -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO users (id, email) VALUES ('{USER_ID}', 'a@example.com')"))
        conn.execute(text(f"INSERT INTO tasks (user_id, title) VALUES ('{USER_ID}', 'kept')"))
    engine.dispose()


def test_backs_up_upgrades_and_verifies(database: URL, tmp_path: Path) -> None:
    upgrade(database, "001")
    _seed(database)

    result = _migrate(database, "--backup-dir", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "database at head" in result.stderr
    assert _scalar(database, "SELECT version_num FROM alembic_version") != "001"
    dumps = list(tmp_path.glob("*-at-001.dump"))
    assert len(dumps) == 1


def test_the_backup_restores_into_an_empty_database(
    database: URL, databases: Databases, tmp_path: Path
) -> None:
    upgrade(database, "head")
    _seed(database)
    assert _migrate(database, "--backup-dir", str(tmp_path)).returncode == 0
    dump = next(tmp_path.glob("*.dump"))
    restored = databases.create()

    dsn, env = libpq_url(restored)
    pg_restore = str(Path(pg_dump_binary()).with_name("pg_restore"))
    subprocess.run(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "-d", dsn, str(dump)],
        env=env,
        check=True,
        capture_output=True,
    )

    assert _scalar(restored, "SELECT title FROM tasks") == "kept"
    assert _scalar(restored, "SELECT version_num FROM alembic_version") == _scalar(
        database, "SELECT version_num FROM alembic_version"
    )
    databases.drop(restored)


def test_without_backup_on_an_empty_database(database: URL) -> None:
    result = _migrate(database)
    assert result.returncode == 0, result.stderr
    assert _scalar(database, "SELECT count(*) FROM tasks") == 0

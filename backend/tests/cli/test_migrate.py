"""`make migrate`'s script: backup, upgrade, verify; and the documented restore works."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import URL

from src.db.schema_state import expected_revisions
from tests.migrations.helpers import SEED_DDL, execute
from tests.support.databases import BACKEND_DIR, Databases, upgrade
from tests.support.multi_host import behind_a_dead_host

USER_ID = "6f1c1f8e-2f4b-4a53-9b60-2d9a5c1f2b11"


@pytest.fixture
def database(databases: Databases) -> Iterator[URL]:
    url = databases.create()
    yield url
    databases.drop(url)


# The script with alembic's upgrade made a no-op: a deploy whose upgrade did not reach head.
_NO_UPGRADE = (
    "import sys; import alembic.command; alembic.command.upgrade = lambda *a, **k: None; "
    "from src.cli.migrate import main; sys.exit(main(sys.argv[1:]))"
)


def _head() -> str:
    [head] = expected_revisions()
    return head


def _migrate(
    url: URL | str,
    *args: str,
    program: tuple[str, ...] = ("-m", "src.cli.migrate"),
    path: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """A script of src/cli/ on `url`, as make runs it (no terminal: nothing to answer)."""
    raw = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": raw}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, *program, *args],
        cwd=BACKEND_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
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


def _insert_task(url: URL) -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO tasks (user_id, title) VALUES ('{USER_ID}', 'more')"))
    engine.dispose()


def test_backs_up_upgrades_and_verifies(database: URL, tmp_path: Path) -> None:
    upgrade(database, "001")
    _seed(database)

    result = _migrate(database, "--backup-dir", str(tmp_path))

    assert result.returncode == 0, result.stderr
    # The revision before and after, as alembic's MigrationContext reads them.
    assert f"database schema is at revision 001; this code needs {_head()}" in result.stderr
    assert f"database at head: {_head()}" in result.stderr
    assert _scalar(database, "SELECT version_num FROM alembic_version") == _head()
    dumps = list(tmp_path.glob("*-at-001.dump"))
    assert len(dumps) == 1
    # Revision 004 backfilled the counts of the task seeded at 001.
    assert _scalar(database, "SELECT total FROM task_counts") == 1


@pytest.mark.parametrize("form", ["authority", "query"])
def test_a_multi_host_url_backs_up_and_migrates_through_its_live_host(
    database: URL, tmp_path: Path, form: Literal["authority", "query"]
) -> None:
    """pg_auto_failover's URL form and libpq's query form, the first host dead: pg_dump,
    Alembic and the check after it all reach the database."""
    upgrade(database, "001")
    _seed(database)

    result = _migrate(behind_a_dead_host(database, form), "--backup-dir", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert f"database at head: {_head()}" in result.stderr
    assert len(list(tmp_path.glob("*-at-001.dump"))) == 1
    assert _scalar(database, "SELECT count(*) FROM tasks") == 1


def _restore(
    url: URL, dump: Path, *args: str, path: str | None = None
) -> subprocess.CompletedProcess[str]:
    return _migrate(url, str(dump), *args, program=("-m", "src.cli.restore"), path=path)


def _titles(url: URL) -> list[str]:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            return list(conn.scalars(text("SELECT title FROM tasks ORDER BY id")))
    finally:
        engine.dispose()


def test_a_backup_restores_over_the_changed_database(database: URL, tmp_path: Path) -> None:
    upgrade(database, "head")
    _seed(database)
    assert _migrate(database, "--backup-dir", str(tmp_path)).returncode == 0
    [dump] = tmp_path.glob("*.dump")
    # After the backup: a task added, one deleted, an object a later revision would create.
    _insert_task(database)
    execute(database, "DELETE FROM tasks WHERE title = 'kept'; CREATE TABLE later_object (id int)")
    # Debian's client tools (15) first on PATH: they cannot read pg_dump 16's dumps, and are
    # not the ones used.
    path = "/usr/lib/postgresql/15/bin:" + os.environ.get("PATH", "")

    result = _restore(database, dump, "--yes", path=path)

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == f"restored: database schema is at head ({_head()})"
    assert _titles(database) == ["kept"]
    assert _scalar(database, "SELECT to_regclass('later_object')") is None
    # `public` as PostgreSQL 15+ makes it: the database owner's, usable by every role.
    assert (
        _scalar(
            database, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public'"
        )
        == "pg_database_owner"
    )
    assert _scalar(database, "SELECT has_schema_privilege('public', 'public', 'USAGE')") is True
    # task_counts comes back as dumped, not counted twice by triggers firing on the restored
    # rows, and the restored triggers keep counting.
    assert _scalar(database, "SELECT total FROM task_counts") == 1
    _insert_task(database)
    assert _scalar(database, "SELECT total FROM task_counts") == 2


def test_a_backup_taken_before_a_migration_rolls_it_back(database: URL, tmp_path: Path) -> None:
    upgrade(database, "005")
    _seed(database)
    assert _migrate(database, "--backup-dir", str(tmp_path)).returncode == 0  # 005 -> head
    [dump] = tmp_path.glob("*-at-005.dump")

    result = _restore(database, dump, "--yes")

    assert result.returncode == 0, result.stderr
    assert _scalar(database, "SELECT version_num FROM alembic_version") == "005"
    assert _scalar(database, "SELECT to_regclass('ix_tasks_tags')") is None  # 006's index
    assert _titles(database) == ["kept"]
    assert _migrate(database).returncode == 0  # and the upgrade runs again
    assert _scalar(database, "SELECT version_num FROM alembic_version") == _head()


def test_a_restore_that_fails_changes_nothing(database: URL, tmp_path: Path) -> None:
    upgrade(database, "head")
    _seed(database)
    assert _migrate(database, "--backup-dir", str(tmp_path)).returncode == 0
    [dump] = tmp_path.glob("*.dump")
    broken = tmp_path / "broken.dump"
    broken.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    _insert_task(database)

    result = _restore(database, broken, "--yes")

    assert result.returncode == 1
    assert _titles(database) == ["kept", "more"]
    assert _scalar(database, "SELECT total FROM task_counts") == 2


def test_a_restore_psql_refuses_reports_psqls_error_and_changes_nothing(
    database: URL, tmp_path: Path
) -> None:
    upgrade(database, "head")
    _seed(database)
    # A schema outside `public`, in the dump and still in the database: CREATE SCHEMA fails.
    execute(database, "CREATE SCHEMA extra; CREATE TABLE extra.notes (id int)")
    assert _migrate(database, "--backup-dir", str(tmp_path)).returncode == 0
    [dump] = tmp_path.glob("*.dump")
    _insert_task(database)

    result = _restore(database, dump, "--yes")

    assert result.returncode == 1
    assert "restore failed, nothing changed: " in result.stderr
    assert 'ERROR:  schema "extra" already exists' in result.stderr
    assert "pg_restore could not read" not in result.stderr
    assert _titles(database) == ["kept", "more"]


def test_a_restore_asks_before_replacing_anything(database: URL, tmp_path: Path) -> None:
    upgrade(database, "head")
    _seed(database)
    assert _migrate(database, "--backup-dir", str(tmp_path)).returncode == 0
    [dump] = tmp_path.glob("*.dump")
    _insert_task(database)

    result = _restore(database, dump)  # no --yes, and no terminal to ask on

    assert result.returncode == 2
    assert "confirm with --yes (make restore FILE=... YES=1)" in result.stderr
    assert _titles(database) == ["kept", "more"]


def test_without_backup_on_an_empty_database(database: URL) -> None:
    result = _migrate(database)
    assert result.returncode == 0, result.stderr
    assert _scalar(database, "SELECT count(*) FROM tasks") == 0


def test_a_backup_of_an_empty_database_is_named_at_base(database: URL, tmp_path: Path) -> None:
    result = _migrate(database, "--backup-dir", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "database schema is at revision none (alembic never ran)" in result.stderr
    assert [p.name.rsplit("-at-", 1)[1] for p in tmp_path.glob("*.dump")] == ["base.dump"]
    assert _scalar(database, "SELECT version_num FROM alembic_version") == _head()


def test_exits_1_when_the_upgrade_did_not_reach_head(database: URL) -> None:
    """The verification step: the revision is read back after the upgrade, not assumed."""
    upgrade(database, "002")

    result = _migrate(database, program=("-c", _NO_UPGRADE))

    assert result.returncode == 1, result.stderr
    assert (
        f"migration did not reach head: database schema is at revision 002; "
        f"this code needs {_head()}"
    ) in result.stderr
    assert _scalar(database, "SELECT version_num FROM alembic_version") == "002"


def test_first_names_the_database_and_where_it_came_from(database: URL) -> None:
    result = _migrate(database)

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"database {database.render_as_string(hide_password=True)}, "
        "from DATABASE_URL in the environment"
    )


def test_refuses_tables_alembic_did_not_make_with_the_safe_next_step(database: URL) -> None:
    execute(database, SEED_DDL)

    result = _migrate(database)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "migration refused: database has tables that Alembic did not make and no "
        "alembic_version; its objects are those of revision 001: run "
        "`alembic stamp 001 && alembic upgrade head` from backend/ (docs/migrations.md)"
    )


def test_fails_on_a_database_stamped_past_its_objects_with_the_words_of_readyz(
    database: URL,
) -> None:
    execute(database, SEED_DDL)
    execute(
        database,
        "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);"
        f"INSERT INTO alembic_version VALUES ('{_head()}')",
    )

    result = _migrate(database)

    assert result.returncode == 1
    last = result.stderr.splitlines()[-1]
    assert last.startswith(
        f"migration did not reach head: database is stamped at revision {_head()} but lacks "
        "set_updated_at(), ix_tasks_user_id_created_at_id"
    )
    assert last.endswith(
        "run `alembic stamp 001 && alembic upgrade head` from backend/ (docs/migrations.md)"
    )


def test_a_database_ahead_of_this_code_is_left_alone(database: URL) -> None:
    upgrade(database, "head")
    execute(database, "UPDATE alembic_version SET version_num = '999'")

    result = _migrate(database, "--backup-dir", "/nonexistent/never-written")

    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        "database schema is at revision 999, newer than this code"
    )
    assert _scalar(database, "SELECT version_num FROM alembic_version") == "999"

"""Deploys migrating at once: env.py's advisory lock makes them take turns, and the one that
waits must not deadlock a revision that builds an index CONCURRENTLY."""

import time
from pathlib import Path

from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import URL

from tests.migrations.helpers import (
    HEAD_TABLES,
    copy_of_alembic,
    head,
    query,
    script_directory,
    start_upgrade,
    succeeded,
    tables,
    versions,
    wait_for_session,
)

MIGRATION_LOCK_KEY = 7_236_417_001  # alembic/env.py

CONCURRENT_INDEX_REVISION = """
from alembic import op

revision = "concurrently"
down_revision = "{head}"


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.execute("CREATE INDEX CONCURRENTLY ix_tasks_title ON tasks (title)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_tasks_title")
"""


def test_two_simultaneous_upgrades_apply_each_revision_once(empty_database: URL) -> None:
    first, second = start_upgrade(empty_database, "first"), start_upgrade(empty_database, "second")
    outputs = [process.communicate(timeout=120)[0] for process in (first, second)]

    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert versions(empty_database) == [head()]
    assert tables(empty_database) == HEAD_TABLES
    log = "".join(outputs)
    for script in script_directory().walk_revisions():
        assert log.count(f"-> {script.revision}, ") == 1, log


def test_an_upgrade_waits_for_the_lock_holder(empty_database: URL) -> None:
    engine = create_engine(empty_database, poolclass=pool.NullPool)
    with engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        upgrade = start_upgrade(empty_database, "waiting")
        wait_for_session(empty_database, "waiting", upgrade)
        time.sleep(1)  # ample time to migrate an empty database, were it not waiting
        assert upgrade.poll() is None
        assert tables(empty_database) == set()

    assert succeeded(upgrade)
    engine.dispose()
    assert versions(empty_database) == [head()]


def test_waiting_for_the_lock_does_not_deadlock_an_index_built_concurrently(
    migrated_database: URL, tmp_path: Path
) -> None:
    """CREATE INDEX CONCURRENTLY waits for every older snapshot in the database, so a second
    deploy must not hold one while it waits for the first to finish."""
    ini = copy_of_alembic(tmp_path)
    revision = CONCURRENT_INDEX_REVISION.format(head=head())
    (tmp_path / "alembic/versions/concurrently.py").write_text(revision)
    engine = create_engine(migrated_database, poolclass=pool.NullPool)

    with engine.connect() as writer:  # a write in progress holds the index build back
        writer.exec_driver_sql("LOCK TABLE tasks IN ROW EXCLUSIVE MODE")
        first = start_upgrade(migrated_database, "first", ini)
        wait_for_session(migrated_database, "first", first, lock=True)
        second = start_upgrade(migrated_database, "second", ini)
        wait_for_session(migrated_database, "second", first, second)
        time.sleep(1)  # the second one is now waiting for the migration lock
        writer.rollback()

    assert succeeded(first)
    assert succeeded(second)
    engine.dispose()
    assert versions(migrated_database) == ["concurrently"]
    valid = "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_tasks_title'::regclass"
    assert query(migrated_database, valid) == [(True,)]

"""Up, down and up again: on an empty database, and with rows that must survive."""

import pytest
from alembic import command
from sqlalchemy.engine import URL

from tests.migrations.helpers import (
    HEAD_TABLES,
    execute,
    functions,
    head,
    query,
    script_directory,
    tables,
    triggers,
    versions,
)
from tests.support.databases import alembic_config, upgrade

# Every revision below head that keeps the tables: 001 up to head's predecessor. Walked
# from head down, so each new revision makes its predecessor a target too.
DOWNGRADE_TARGETS = [script.revision for script in script_directory().walk_revisions()][1:]

ROWS = """
INSERT INTO users (id, email, created_at, updated_at) VALUES
    ('6f1c2a3e-1d4b-4f5a-9e8d-7c6b5a493827', 'ada@example.com',
     '2026-01-02 03:04:05.123456', '2026-01-02 03:04:05.123456');
INSERT INTO tasks (user_id, title, description, is_completed, created_at, updated_at) VALUES
    ('6f1c2a3e-1d4b-4f5a-9e8d-7c6b5a493827', 'Write the guide', NULL, false,
     '2026-01-02 03:04:05', '2026-01-02 03:04:06'),
    ('6f1c2a3e-1d4b-4f5a-9e8d-7c6b5a493827', 'Ship it', 'to production', true,
     '2026-02-03 04:05:06', '2026-02-03 04:05:07');
"""


def all_rows(url: URL) -> list[tuple[object, ...]]:
    """Every user and task, every column but the sync sequence (revision 008), which a
    downgrade below 008 drops on purpose: the sync tokens issued before then get 410."""
    columns = query(
        url,
        "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position)"
        " FROM information_schema.columns"
        " WHERE table_name = 'tasks' AND column_name <> 'change_seq'",
    )[0][0]
    return query(url, "SELECT * FROM users ORDER BY id") + query(
        url, f"SELECT {columns} FROM tasks ORDER BY id"
    )


def task_counts(url: URL) -> list[tuple[object, ...]]:
    return query(url, "SELECT user_id::text, total, completed FROM task_counts ORDER BY user_id")


def test_base_head_base_head(empty_database: URL) -> None:
    config = alembic_config(empty_database)
    for _ in range(2):
        command.upgrade(config, "head")
        assert tables(empty_database) == HEAD_TABLES
        assert versions(empty_database) == [head()]

        command.downgrade(config, "base")
        assert tables(empty_database) == {"alembic_version"}
        assert versions(empty_database) == []
        assert triggers(empty_database) == set()
        assert functions(empty_database) == set()  # set_updated_at, task_counts_apply


@pytest.mark.parametrize("target", DOWNGRADE_TARGETS)
def test_rows_survive_downgrade_and_upgrade(migrated_database: URL, target: str) -> None:
    execute(migrated_database, ROWS)
    before = all_rows(migrated_database)
    assert len(before) == 3
    counts = [("6f1c2a3e-1d4b-4f5a-9e8d-7c6b5a493827", 2, 1)]  # kept by 004's triggers
    assert task_counts(migrated_database) == counts

    command.downgrade(alembic_config(migrated_database), target)
    assert versions(migrated_database) == [target]
    assert query(migrated_database, "SELECT count(*) FROM users") == [(1,)]
    assert query(migrated_database, "SELECT count(*) FROM tasks") == [(2,)]

    upgrade(migrated_database, "head")
    assert all_rows(migrated_database) == before
    assert task_counts(migrated_database) == counts  # 004 again: backfilled from tasks

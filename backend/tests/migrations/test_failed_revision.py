"""A revision that fails halfway leaves the database at the revision before it, schema and data.

The failing revisions live in a test-only versions directory, added to the real one through
`version_locations` (alembic.ini separates paths with os.pathsep).
"""

import os
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL
from sqlalchemy.exc import ProgrammingError

from tests.migrations.helpers import execute, head, query, tables, versions
from tests.support.databases import BACKEND_DIR, alembic_config

REVISION = """
from alembic import op

revision = "{revision}"
down_revision = "{down_revision}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE TABLE created_by_{revision} (id integer)")
    op.execute("{then}")


def downgrade() -> None:
    op.execute("DROP TABLE created_by_{revision}")
"""
ROWS = """
INSERT INTO users (id, email) VALUES ('0b3f8c9e-3c1a-4a8e-9a3b-2f1e0d9c8b7a', 'bo@example.com');
INSERT INTO tasks (user_id, title) VALUES ('0b3f8c9e-3c1a-4a8e-9a3b-2f1e0d9c8b7a', 'Keep me');
"""


def config_with(url: URL, extra_versions: Path, revisions: dict[str, tuple[str, str]]) -> Config:
    """Write each revision (down_revision, SQL run after creating a table) to extra_versions."""
    for revision, (down_revision, then) in revisions.items():
        source = REVISION.format(revision=revision, down_revision=down_revision, then=then)
        (extra_versions / f"{revision}_test_only.py").write_text(source)
    config = alembic_config(url)
    real_versions = BACKEND_DIR / "alembic" / "versions"
    config.set_main_option("version_locations", f"{real_versions}{os.pathsep}{extra_versions}")
    return config


def rows(url: URL) -> list[tuple[object, ...]]:
    return query(url, "SELECT email, title FROM users JOIN tasks ON tasks.user_id = users.id")


def test_failing_revision_leaves_the_previous_head(migrated_database: URL, tmp_path: Path) -> None:
    execute(migrated_database, ROWS)
    config = config_with(migrated_database, tmp_path, {"999": (head(), "SELECT * FROM nowhere")})

    with pytest.raises(ProgrammingError, match="nowhere"):
        command.upgrade(config, "heads")

    assert versions(migrated_database) == [head()]
    assert "created_by_999" not in tables(migrated_database)
    assert rows(migrated_database) == [("bo@example.com", "Keep me")]


def test_revisions_before_the_failing_one_stay_applied(
    migrated_database: URL, tmp_path: Path
) -> None:
    """Each revision commits on its own: 998 is kept when 999 after it fails."""
    execute(migrated_database, ROWS)
    config = config_with(
        migrated_database,
        tmp_path,
        {
            "998": (head(), "UPDATE tasks SET title = 'Changed by 998'"),
            "999": ("998", "SELECT * FROM nowhere"),
        },
    )

    with pytest.raises(ProgrammingError, match="nowhere"):
        command.upgrade(config, "heads")

    assert versions(migrated_database) == ["998"]
    assert "created_by_998" in tables(migrated_database)
    assert "created_by_999" not in tables(migrated_database)
    assert rows(migrated_database) == [("bo@example.com", "Changed by 998")]

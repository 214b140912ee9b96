"""Task organization: indexes for the new sorts, the tag filter and search

- (user_id, priority, id): sort=priority / -priority in keyset order.
- (user_id, COALESCE(due_date, 'infinity'), id) and the same with '-infinity': sort=due_date
  and -due_date with tasks that have no due date last in both directions.
- GIN on tags: tag=a,b (tags @> ...).
- pg_trgm GIN on title and on description: q= (ILIKE '%word%') for rare words, instead of
  reading every task of the user. Only where the server has the pg_trgm extension (every
  managed provider and Debian's PostgreSQL do; the embedded pgserver does not): search works
  without them, slower on large lists. They are not in the models (alembic/env.py,
  TRIGRAM_INDEXES).

Each index is built CONCURRENTLY, outside the revision's transaction (autocommit_block), so
writers are never blocked while it builds: on 10^6 tasks the build takes seconds, and
`tests/migrations/test_online_revisions.py` measures what a writer waits meanwhile. A build
that fails (a deadlock, a cancelled statement) leaves an INVALID index behind: each index
is dropped first if it exists, so running `alembic upgrade head` again finishes the job.

Generated with `alembic revision --autogenerate --rev-id 005` (the index half, moved here);
CONCURRENTLY, IF EXISTS and the extension added by hand.

Revision ID: 006
Revises: 005
Create Date: 2026-12-01 23:20:00.000000

"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision: str = "006"
down_revision: str | None = "005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What shows that this revision ran: objects it creates, by name (src/db/schema_objects.py
# checks them before `alembic upgrade` and `stamp`, and behind /readyz).
SCHEMA_OBJECTS: dict[str, list[str]] = {
    "relations": ["ix_tasks_tags", "ix_tasks_user_id_priority_id"]
}

SQUAWK_IGNORE: dict[str, str] = {
    "prefer-robust-stmts": (
        "Fires on VALIDATE CONSTRAINT, which squawk reads as outside a transaction because the "
        "revision's autocommit block follows. It runs inside this revision's transaction, and "
        "validating an already valid constraint does nothing: a rerun after a failure is safe. "
        "Every CREATE INDEX is IF NOT EXISTS after a DROP INDEX IF EXISTS."
    ),
}

STATEMENT_TIMEOUT = "30min"
CHECK = "ck_tasks_recurrence_needs_due_date"

Index = tuple[str, list[str | sa.TextClause], dict[str, Any]]
INDEXES: list[Index] = [
    ("ix_tasks_user_id_priority_id", ["user_id", "priority", "id"], {}),
    (
        "ix_tasks_user_id_due_last_id",
        ["user_id", sa.text("coalesce(due_date, 'infinity'::timestamp)"), "id"],
        {},
    ),
    (
        "ix_tasks_user_id_due_first_id",
        ["user_id", sa.text("coalesce(due_date, '-infinity'::timestamp)"), "id"],
        {},
    ),
    ("ix_tasks_tags", ["tags"], {"postgresql_using": "gin"}),
]
TRIGRAM_INDEXES: list[Index] = [
    (
        "ix_tasks_title_trgm",
        ["title"],
        {"postgresql_using": "gin", "postgresql_ops": {"title": "gin_trgm_ops"}},
    ),
    (
        "ix_tasks_description_trgm",
        ["description"],
        {"postgresql_using": "gin", "postgresql_ops": {"description": "gin_trgm_ops"}},
    ),
]


def _trigrams_available() -> bool:
    if context.is_offline_mode():  # `--sql`: render them, as for a server that has pg_trgm
        return True
    query = sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")
    return bool(op.get_bind().execute(query).scalar())


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '2s'")
    op.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
    # Revision 005's CHECK constraint, over the existing rows, in this revision's transaction:
    # SHARE UPDATE EXCLUSIVE, so reads and writes go on while it scans.
    op.execute(f"ALTER TABLE tasks VALIDATE CONSTRAINT {CHECK}")
    indexes = list(INDEXES)
    if _trigrams_available():
        # Creating it needs the database owner's rights, which `make migrate` has.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        indexes += TRIGRAM_INDEXES
    with op.get_context().autocommit_block():
        op.execute(f"SET statement_timeout = '{STATEMENT_TIMEOUT}'")
        for name, columns, options in indexes:
            op.drop_index(name, table_name="tasks", if_exists=True, postgresql_concurrently=True)
            op.create_index(
                name,
                "tasks",
                columns,
                unique=False,
                if_not_exists=True,
                postgresql_concurrently=True,
                **options,
            )
        op.execute("RESET statement_timeout")


def downgrade() -> None:
    with op.get_context().autocommit_block():
        for name, _, _ in reversed(INDEXES + TRIGRAM_INDEXES):
            op.drop_index(name, table_name="tasks", if_exists=True, postgresql_concurrently=True)
    # pg_trgm stays: other objects of the database may use it, and it costs nothing unused.

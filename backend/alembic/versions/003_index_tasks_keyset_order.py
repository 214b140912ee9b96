"""Index tasks for the keyset order of a user's list

The composite index (user_id, created_at, id) serves GET /api/{user_id}/tasks in its default
order (-created_at) and in created_at: `WHERE user_id = ? [AND (created_at, id) < (?, ?)]
ORDER BY created_at DESC, id DESC LIMIT n` reads n index entries, whatever the size of the
table, of the user's list or the depth of the cursor. Without it PostgreSQL fetches every
task of the user through ix_tasks_user_id and sorts them, on every page.

Generated with `alembic revision --autogenerate --rev-id 003` from the Index in
`Task.__table_args__`, then given timeouts (see upgrade()).

Revision ID: 003
Revises: 002
Create Date: 2026-11-24 07:25:57.681218

"""

from collections.abc import Sequence

from alembic import op

revision: str = "003"
down_revision: str | None = "002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What shows that this revision ran: objects it creates, by name (src/db/schema_objects.py
# checks them before `alembic upgrade` and `stamp`, and behind /readyz).
SCHEMA_OBJECTS: dict[str, list[str]] = {"relations": ["ix_tasks_user_id_created_at_id"]}

INDEX = "ix_tasks_user_id_created_at_id"

# squawk's findings on this revision's SQL (tests/migrations/test_squawk.py), and why each is
# accepted.
SQUAWK_IGNORE: dict[str, str] = {
    "require-concurrent-index-creation": (
        "CREATE INDEX (not CONCURRENTLY) blocks writes to tasks while it builds: about 1 s "
        "per million rows on a 2-core machine (bench/, docs/performance.md), once per deploy, "
        "bounded by lock_timeout and statement_timeout below. CONCURRENTLY cannot run inside "
        "a transaction, and env.py runs each revision in one so that a revision failing "
        "halfway leaves the database at the previous one. A table too large for that pause: "
        "build the index CONCURRENTLY by hand first (same name, docs/migrations.md), and this "
        "revision finds it (IF NOT EXISTS)."
    ),
}

# Give up rather than queue behind a long transaction while every writer queues behind us.
LOCK_TIMEOUT = "5s"
STATEMENT_TIMEOUT = "10min"


def upgrade() -> None:
    # SET LOCAL: for this revision's transaction only (transaction_per_migration in env.py).
    op.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    op.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
    op.create_index(
        INDEX, "tasks", ["user_id", "created_at", "id"], unique=False, if_not_exists=True
    )


def downgrade() -> None:
    # Dropping is a catalog change (no scan); it needs ACCESS EXCLUSIVE for that instant.
    op.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    op.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
    op.drop_index(INDEX, table_name="tasks", if_exists=True)
